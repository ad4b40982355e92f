import { gpioRange, type BoardDefinition } from "./board-definition.js";

/** GPIOs an ESP32-WROOM-32 module brings out on the DevKitC headers (6-11 are its flash). */
const EXISTING = [0, 1, 2, 3, 4, 5, ...gpioRange(12, 19), 21, 22, 23, 25, 26, 27, 32, 33, 34, 35, 36, 39];
/** GPIO 34-39 are inputs only, without pull-ups (ESP32 datasheet section 2.2, table 2-1). */
const INPUT_ONLY = [34, 35, 36, 39];
const RESERVED: Record<number, string> = { 1: "the console UART0 TX", 3: "the console UART0 RX" };
for (const pin of gpioRange(6, 11)) RESERVED[pin] = "the module's SPI flash";
// Strapping pins whose level at reset can stop the board booting (ESP32 datasheet, "Strapping Pins");
// GPIO 2, 5 and 15 only select download-mode details, SDIO timing and boot messages, and stay usable.
RESERVED[0] = "a strapping pin (low at reset starts the serial bootloader; the BOOT button)";
RESERVED[12] = "a strapping pin (MTDI: high at reset selects 1.8 V flash and the WROOM-32 does not boot)";
const usable = EXISTING.filter((pin) => RESERVED[pin] === undefined);
const outputs = usable.filter((pin) => !INPUT_ONLY.includes(pin));

/**
 * Espressif ESP32-DevKitC (ESP32-WROOM-32): I2C on 21/22, VSPI on 18/19/23,
 * ADC1 on 32-39 (ESP32 datasheet section 4.1.2: ADC2 is unusable while Wi-Fi
 * runs), RS-485 on UART2 (TX 17, RX 16, DE 4). GPIO 0 and 12 are strapping
 * pins that can stop it booting, so reserved. The simulator's board.
 */
export const ESP32_DEVKITC: BoardDefinition = Object.freeze({
  name: "esp32-devkitc",
  chip: "esp32",
  i2c: Object.freeze({ sda: 21, scl: 22 }),
  spi: Object.freeze({ sck: 18, miso: 19, mosi: 23 }),
  analog: Object.freeze([32, 33, 34, 35, 36, 39]),
  inputs: Object.freeze(usable),
  outputs: Object.freeze(outputs),
  pwm: Object.freeze(outputs),
  rs485: Object.freeze({ uart: 2, tx: 17, rx: 16, de: 4 }),
  reserved: Object.freeze(RESERVED),
});
