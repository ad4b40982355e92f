/**
 * One supported board's pin map: which GPIOs can do what. Each board is one
 * file exporting a `BoardDefinition`; `boards.ts` lists them, the manifest's
 * subplatform names one (`fieldnode.board`), the simulator uses the ESP32
 * DevKitC. Pin numbers are GPIO numbers.
 */
export interface BoardDefinition {
  /** Name in the manifest (`fieldnode.board`), `status` and save errors, e.g. "esp32-devkitc". */
  readonly name: string;
  /** Chip, for Improv device info and the birth, e.g. "esp32", "esp32s3". */
  readonly chip: string;
  /** The I2C bus the sensors share. */
  readonly i2c: { readonly sda: number; readonly scl: number };
  /** The SPI bus (MAX31855 and the like). */
  readonly spi: { readonly sck: number; readonly miso: number; readonly mosi: number };
  /** GPIOs with an ADC usable while Wi-Fi runs (ADC1 only: ADC2 belongs to the radio). */
  readonly analog: readonly number[];
  /** GPIOs usable as digital inputs (contacts, pulse meters). */
  readonly inputs: readonly number[];
  /** GPIOs usable as outputs: relays, chip selects. */
  readonly outputs: readonly number[];
  /** GPIOs with PWM (LEDC) output; on the ESP32 family, every output. */
  readonly pwm: readonly number[];
  /** The RS-485 transceiver: UART number, its TX/RX pins and the driver-enable (DE) pin. */
  readonly rs485: { readonly uart: number; readonly tx: number; readonly rx: number; readonly de: number };
  /** GPIOs a technician must not use, and why (flash, PSRAM, console, USB, strapping pins that can stop the boot). */
  readonly reserved: Readonly<Record<number, string>>;
}

/** GPIOs `from`..`to` inclusive, without those in `except`. */
export function gpioRange(from: number, to: number, except: readonly number[] = []): number[] {
  const out: number[] = [];
  for (let pin = from; pin <= to; pin++) if (!except.includes(pin)) out.push(pin);
  return out;
}
