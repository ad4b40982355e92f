import { gpioRange, type BoardDefinition } from "./board-definition.js";

const RESERVED: Record<number, string> = { 19: "USB D-", 20: "USB D+", 43: "the console UART0 TX", 44: "the console UART0 RX" };
for (const pin of gpioRange(26, 32)) RESERVED[pin] = "the module's SPI flash";
for (const pin of gpioRange(33, 37)) RESERVED[pin] = "the module's octal PSRAM";
// Strapping pins whose level at reset can stop the board booting (ESP32-S3 datasheet, "Strapping Pins");
// GPIO 3 (JTAG source, eFuse-gated) and 46 (boot mode only with GPIO 0 low, ROM messages) stay usable.
RESERVED[0] = "a strapping pin (low at reset starts the serial bootloader; the BOOT button)";
RESERVED[45] = "a strapping pin (VDD_SPI: high at reset selects 1.8 V flash and the WROOM-1 does not boot)";
/** GPIO 0-21 and 33-48 exist on the ESP32-S3 (datasheet section 2.3); 22-25 do not. */
const usable = [...gpioRange(0, 21), ...gpioRange(33, 48)].filter((pin) => RESERVED[pin] === undefined);

/**
 * Espressif ESP32-S3-DevKitC-1 (ESP32-S3-WROOM-1 with octal PSRAM): I2C on
 * 8/9, FSPI on 12/13/11, ADC1 on GPIO 1-10 (ESP32-S3 datasheet section
 * 2.3.3: ADC2 is unusable while Wi-Fi runs), RS-485 on UART1 (TX 17, RX 18,
 * DE 21). Every usable GPIO is input and output.
 */
export const ESP32S3_DEVKITC: BoardDefinition = Object.freeze({
  name: "esp32s3-devkitc",
  chip: "esp32s3",
  i2c: Object.freeze({ sda: 8, scl: 9 }),
  spi: Object.freeze({ sck: 12, miso: 13, mosi: 11 }),
  analog: Object.freeze(gpioRange(1, 10)),
  inputs: Object.freeze(usable),
  outputs: Object.freeze(usable),
  pwm: Object.freeze(usable),
  rs485: Object.freeze({ uart: 1, tx: 17, rx: 18, de: 21 }),
  reserved: Object.freeze(RESERVED),
});
