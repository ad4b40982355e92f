// ESP-IDF app rollback (CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE) for the OTA port: the native
// functions are in app-rollback.c; the types are in moddable-extras.d.ts ("fieldnode/app-rollback").
export function pendingVerify() @ "xs_app_rollback_pending";
export function markValid() @ "xs_app_rollback_mark_valid";
export function rollbackAndReboot() @ "xs_app_rollback_now";
