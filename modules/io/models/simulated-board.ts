import type { IOProvider } from "../../platform.js";
import { BME280_ADDRESS } from "../drivers/bme280.js";
import { SHT3X_ADDRESS } from "../drivers/sht3x.js";
import { BME280Model } from "./bme280-model.js";
import { I2CBusModel } from "./i2c-bus-model.js";
import { PinBoard } from "./pin-models.js";
import { PulseCountBoard } from "./pulse-models.js";
import { SHT3xModel } from "./sht3x-model.js";
import { SPIBusModel } from "./spi-bus-model.js";
import { syntheticClimate } from "./synthetic-climate.js";

/** The simulated board: its IO provider plus handles to observe and fault it. */
export interface SimulatedBoard {
  io: IOProvider;
  bus: I2CBusModel;
  /** The SPI bus: chips by select pin (see placement.ts). */
  spi: SPIBusModel;
  pins: PinBoard;
  /** Pulse sources behind the ECMA-419 PulseCount, by signal pin. */
  pulses: PulseCountBoard;
  /** The board's monotonic clock (ms), for the models placed on it. */
  now: () => number;
  /** The SHT3x-compatible chip at its default I2C address (SHT3X_ADDRESS). */
  sht3x: SHT3xModel;
  /** A BME280 at its default address (BME280_ADDRESS), in the same room, with a slowly varying barometric pressure. */
  bme280: BME280Model;
}

/** Default I2C pins of the simulated board (those of a typical ESP32 devkit). */
const I2C_DEFAULT = { data: 21, clock: 22 };

/**
 * Assembles a board with an SHT3x and a BME280 at their default addresses on the default bus, an SPI bus,
 * GPIO, ADC, PWM and PulseCount pins, all driven by `now` (monotonic ms) so
 * virtual time works. More chips are placed with `placement.ts`.
 */
export function simulatedBoard(now: () => number, seed = 1): SimulatedBoard {
  const bus = new I2CBusModel();
  const spi = new SPIBusModel();
  const pins = new PinBoard();
  const pulses = new PulseCountBoard(pins);
  const sht3x = new SHT3xModel(syntheticClimate(now, seed));
  bus.attach(SHT3X_ADDRESS, sht3x);
  const room = syntheticClimate(now, seed + 1);
  const bme280 = new BME280Model(() => ({ ...room(), pressure: 101_325 + 400 * Math.sin((2 * Math.PI * now()) / 86_400_000) }));
  bus.attach(BME280_ADDRESS, bme280);
  const io: IOProvider = {
    I2C: bus.ioClass(),
    Digital: pins.digitalClass(),
    Analog: pins.analogClass(),
    PWM: pins.pwmClass(),
    PulseCount: pulses.pulseCountClass(),
    SPI: spi.ioClass(),
    i2cDefault: I2C_DEFAULT,
    simulated: true,
  };
  return { io, bus, spi, pins, pulses, now, sht3x, bme280 };
}
