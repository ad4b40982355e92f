/*
 * ESP-IDF app rollback for fieldnode's OTA port (hosts/esp32/ota-slots.ts):
 * the running image's state, confirming it, and giving it up. Needs
 * CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE=y in the board's sdkconfig.
 */
#include "xsmc.h"
#include "xsHost.h"
#if ESP32
#include "esp_ota_ops.h"
#endif

#if ESP32
void xs_app_rollback_pending(xsMachine *the)
{
	esp_ota_img_states_t state;
	const esp_partition_t *running = esp_ota_get_running_partition();
	xsmcSetBoolean(xsResult, running && esp_ota_get_state_partition(running, &state) == ESP_OK && state == ESP_OTA_IMG_PENDING_VERIFY);
}

void xs_app_rollback_mark_valid(xsMachine *the)
{
	esp_err_t err = esp_ota_mark_app_valid_cancel_rollback();
	if (err != ESP_OK) xsUnknownError("esp_ota_mark_app_valid_cancel_rollback: %d", err);
}

void xs_app_rollback_now(xsMachine *the)
{
	esp_err_t err = esp_ota_mark_app_invalid_rollback_and_reboot();
	xsUnknownError("esp_ota_mark_app_invalid_rollback_and_reboot: %d", err);
}
#else
/* Hosts without ESP-IDF (mcsim): hosts/esp32/ota-slots.ts never calls these, as esp32/ota is absent there. */
void xs_app_rollback_pending(xsMachine *the) { xsmcSetBoolean(xsResult, 0); }
void xs_app_rollback_mark_valid(xsMachine *the) { xsUnknownError("no app rollback on this host"); }
void xs_app_rollback_now(xsMachine *the) { xsUnknownError("no app rollback on this host"); }
#endif
