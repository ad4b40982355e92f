/// <reference path="./moddable-extras.d.ts" />
import Modules from "modules";
import type { OtaSlots } from "../../modules/platform.js";

type OTAClass = typeof import("esp32/ota").default;
type Rollback = typeof import("fieldnode/hosts/esp32/app-rollback");

/** Size of each app slot in hosts/esp32/partitions.csv (ota_0, ota_1). */
export const APP_SLOT_BYTES = 0x1b0000;

/**
 * The board's two app slots (hosts/esp32/partitions.csv) through the SDK's
 * `esp32/ota` module, and ESP-IDF app rollback through `fieldnode/hosts/esp32/app-rollback`:
 * `end()` makes the written slot the boot partition (state "new"); the
 * bootloader boots it once as "pending verify" and, if the firmware never
 * calls `confirm()` (esp_ota_mark_app_valid_cancel_rollback), the boot after
 * goes back to the previous slot. The running version is this build's
 * FIRMWARE_VERSION, so `runningVersion` is left out. Both modules are looked
 * up through `Modules` (as `resetReason` is), so the mcsim build links
 * without them: there it returns `undefined` and `cmd/ota` answers `unsupported`.
 */
export function espOtaSlots(slotBytes = APP_SLOT_BYTES): OtaSlots | undefined {
  if (!Modules.has("esp32/ota") || !Modules.has("fieldnode/hosts/esp32/app-rollback")) return undefined;
  const OTA = Modules.importNow("esp32/ota") as OTAClass;
  const { markValid, pendingVerify, rollbackAndReboot } = Modules.importNow("fieldnode/hosts/esp32/app-rollback") as Rollback;
  let open: InstanceType<OTAClass> | undefined;
  return {
    slotBytes,
    begin(bytes) {
      this.abort();
      if (bytes > slotBytes) throw new RangeError(`${bytes} bytes exceed the ${slotBytes}-byte slot`);
      open = new OTA({ length: bytes });
    },
    write(chunk) {
      if (!open) throw new Error("no slot open");
      open.write(chunk);
    },
    end() {
      if (!open) throw new Error("no slot open");
      const ota = open;
      open = undefined;
      ota.complete(); // esp_ota_end checks the image (magic, segments, SHA-256 appended by the IDF build)
    },
    abort() {
      const ota = open;
      open = undefined;
      try {
        ota?.cancel();
      } catch {
        // Already closed.
      }
    },
    pendingConfirm: () => pendingVerify(),
    confirm: () => markValid(),
    rollback: () => rollbackAndReboot(),
  };
}
