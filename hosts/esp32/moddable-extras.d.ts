/**
 * Declarations that @moddable/typings 5.6.0 lacks or gets wrong, checked
 * against the Moddable SDK sources this host builds with. Remove an entry
 * once the npm typings carry it.
 *
 * - `resetReason`: the ESP32-only module in build/devices/esp32/modules has
 *   no typings at all.
 * - ECMA-419 IO instances: the typings omit `close()` on I2C, Analog, PWM and
 *   PulseCount, the PWM `resolution` option, and make PulseCount's `control`
 *   pin mandatory; the SDK implements and accepts all of them.
 * - ECMA-419 SPI: the typings' `embedded:io/spi` has no `close()`, and
 *   `embedded:provider/builtin` is not what `device.io` is typed from here;
 *   `ModdableSPI` is the part the MAX31855 driver uses (read into a buffer,
 *   write, flush with deselect, close), all in the SDK's ESP32 SPI.
 * - `Uint8Array.fromBase64`: in XS, not in the ES2022 lib (see below).
 * - `embedded:network/mqtt/client`: the typings declare
 *   `onControl(opcode, message)`, but the SDK client calls
 *   `onControl(message)`; `ModdableMqttControl` is the message it passes.
 */

declare module "resetReason" {
  /** ESP-IDF `esp_reset_reason()` as a number and as Moddable's label ("Power-On", "Software", "Task WDT"...). */
  export default function getResetReason(): { reason: number; string: string };
}

/** An ECMA-419 I2C instance as the SDK implements it. */
interface ModdableI2C {
  write(buffer: ArrayBufferView | ArrayBuffer, stop?: boolean): void;
  read(byteLength: number, stop?: boolean): ArrayBuffer;
  /** ECMA-419 §9.2 (and @moddable/typings' embedded:io/i2c): reads into the caller's buffer, no allocation. */
  read(buffer: Uint8Array, stop?: boolean): unknown;
  close(): void;
}

/** An ECMA-419 Digital instance as the SDK implements it. */
interface ModdableDigital {
  read(): number;
  write(value: number): void;
  close(): void;
}

/** An ECMA-419 Analog instance as the SDK implements it. */
interface ModdableAnalog {
  readonly resolution: number;
  read(): number;
  close(): void;
}

/** An ECMA-419 PWM instance as the SDK implements it. */
interface ModdablePWM {
  readonly resolution: number;
  write(value: number): void;
  close(): void;
}

/** An ECMA-419 PulseCount instance as the SDK implements it. */
interface ModdablePulseCount {
  read(): number;
  write(value: number): void;
  close(): void;
}

/** An ECMA-419 SPI instance as the SDK implements it. */
interface ModdableSPI {
  read(buffer: ArrayBufferView): void;
  write(buffer: ArrayBufferView): void;
  flush(deselect?: boolean): void;
  close(): void;
}

/** An ECMA-419 Serial instance (§10.5) as the SDK implements it, `format: "buffer"`. */
interface ModdableSerial {
  read(): ArrayBuffer | undefined;
  write(buffer: ArrayBufferView | ArrayBuffer): void;
  close(): void;
}

/** `device.io` of `embedded:provider/builtin` with the shapes above. */
interface ModdableIOClasses {
  I2C: new (options: { data: number; clock: number; hz: number; address: number; port?: number }) => ModdableI2C;
  Digital: {
    new (options: { pin: number; mode: unknown }): ModdableDigital;
    readonly Input: unknown;
    readonly InputPullUp: unknown;
    readonly InputPullDown: unknown;
    readonly Output: unknown;
  };
  Analog: new (options: { pin: number; resolution?: number }) => ModdableAnalog;
  PWM: new (options: { pin: number; hz?: number; resolution?: number }) => ModdablePWM;
  PulseCount?: new (options: { signal: number; control?: number }) => ModdablePulseCount;
  SPI?: new (options: { clock: number; in?: number; out?: number; select?: number; hz: number; mode?: number; port?: number }) => ModdableSPI;
  Serial?: new (options: { baud: number; port?: number; receive?: number; transmit?: number; format?: "buffer"; onReadable?: (count: number) => void; [more: string]: unknown }) => ModdableSerial;
}

/** The `device` global that the SDK's `system` module installs (absent under mcsim). */
interface ModdableDevice {
  io: ModdableIOClasses;
  I2C?: { default?: { data: number; clock: number } };
  Serial?: { default?: { port?: number; receive?: number; transmit?: number } };
}

/** The message the SDK MQTT client passes to `onControl`. */
interface ModdableMqttControl {
  operation: number;
  id?: number;
  returnCode?: number;
  payload?: number[];
}

/**
 * `Uint8Array.fromBase64` (TC39 "Uint8Array to/from base64", ES2026): XS
 * implements it (`mxUint8ArrayBase64`, on by default); TypeScript's ES2022
 * lib, which this build keeps, does not declare it. Used by the ESP32 host
 * only (never by `modules/`, which also runs on Node 20).
 */
interface Uint8ArrayConstructor {
  fromBase64(text: string, options?: { alphabet?: "base64" | "base64url"; lastChunkHandling?: "loose" | "strict" | "stop-before-partial" }): Uint8Array;
}

/**
 * OTA (issue 11): `esp32/ota` is the SDK's ESP32 OTA module
 * (build/devices/esp32/modules/ota: `new OTA()` opens the next OTA slot with
 * esp_ota_begin, `write` appends, `complete` runs esp_ota_end and
 * esp_ota_set_boot_partition, `cancel` esp_ota_abort); @moddable/typings
 * has no declaration for it. `fieldnode/hosts/esp32/app-rollback` is this host's own
 * native module (hosts/esp32/app-rollback.c and .js): ESP-IDF app rollback
 * (CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE), which the SDK does not expose.
 */
declare module "esp32/ota" {
  export default class OTA {
    constructor(options?: { length?: number });
    write(bytes: ArrayBuffer | ArrayBufferView): void;
    complete(): void;
    cancel(): void;
  }
}

declare module "fieldnode/hosts/esp32/app-rollback" {
  /** esp_ota_get_state_partition(running) == ESP_OTA_IMG_PENDING_VERIFY. */
  export function pendingVerify(): boolean;
  /** esp_ota_mark_app_valid_cancel_rollback(). */
  export function markValid(): void;
  /** esp_ota_mark_app_invalid_rollback_and_reboot(): does not return on success. */
  export function rollbackAndReboot(): void;
}
