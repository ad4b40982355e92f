/** Firmware version, reported by `version`, in `status` and in the MQTT birth message. */
export const FIRMWARE_VERSION = "0.1.0";
