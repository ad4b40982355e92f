import { ADS1115Model } from "./ads1115-model.js";
import { ContactModel } from "./contact-model.js";
import { MAX31855Model, type ThermocoupleState } from "./max31855-model.js";
import { PulseSource } from "./pulse-models.js";
import type { SimulatedBoard } from "./simulated-board.js";
import { TransmitterModel, type TransmitterWiring } from "./transmitter-model.js";

/**
 * Placing chips, transmitters, meters and contacts on a simulated board, for
 * machine profiles and tests. Each returns the model, whose `faults` can be
 * set while the node runs. Throws what the bus or pin board throws (an
 * address out of range, a pin out of range).
 */

/** An ADS1115 at I2C `address` (0x48..0x4B on the real chip); its `inputs` are volts per AIN. */
export function placeADS1115(board: SimulatedBoard, address = 0x48, random?: () => number): ADS1115Model {
  const chip = new ADS1115Model(board.now, random);
  board.bus.attach(address, chip);
  return chip;
}

/** A MAX31855 on the SPI bus behind chip-select pin `select`. */
export function placeMAX31855(board: SimulatedBoard, select: number, state: () => ThermocoupleState, random: () => number): MAX31855Model {
  const chip = new MAX31855Model(state, random);
  board.spi.attach(select, chip);
  return chip;
}

/**
 * A 4-20 mA or 0-10 V transmitter measuring `value()`, wired to an ESP32 ADC
 * pin (`{ pin }`, 12-bit, full scale `vref` volts, default 3.3) or to input
 * `ain` of an ADS1115 model.
 */
export function placeTransmitter(
  board: SimulatedBoard,
  to: { pin: number; vref?: number } | { adc: ADS1115Model; ain: number },
  value: () => number,
  wiring: TransmitterWiring,
  random: () => number,
): TransmitterModel {
  const transmitter = new TransmitterModel(value, wiring, random);
  if ("pin" in to) board.pins.analog.set(to.pin, () => transmitter.counts(to.vref ?? 3.3, 12));
  else to.adc.inputs[to.ain] = () => transmitter.volts();
  return transmitter;
}

/** A pulse meter at `rate()` pulses per second on `pin`: counted by PulseCount, and as a square wave for a Digital input. */
export function placePulseMeter(board: SimulatedBoard, pin: number, rate: () => number): PulseSource {
  const source = new PulseSource(board.now, rate);
  board.pulses.sources.set(pin, source);
  board.pins.inputs.set(pin, () => source.level());
  return source;
}

/** A contact or logic signal on `pin` following `level()` (0/1), with stuck and bounce faults. */
export function placeContact(board: SimulatedBoard, pin: number, level: () => number): ContactModel {
  const contact = new ContactModel(board.now, level);
  board.pins.inputs.set(pin, () => contact.read());
  return contact;
}
