/// <reference path="./moddable-extras.d.ts" />
import type { DigitalIO, DigitalOptions, IOProvider } from "../../modules/platform.js";
import { rs485SerialClass, type Rs485Pins } from "./rs485-serial.js";

/** I2C pins of common ESP32 devkits, used when the board target names none. */
export const ESP32_I2C_DEFAULT = Object.freeze({ data: 21, clock: 22 });

/**
 * The ECMA-419 IO classes of the SDK's `embedded:provider/builtin`, read
 * from the `device` global that the SDK's `system` module installs, or
 * `undefined` where there is none (mcsim: no ECMA-419 digital, analog or
 * I2C; the firmware's chip models stand in there).
 *
 * I2C, Analog, PWM, PulseCount and SPI are the SDK classes themselves; Digital is
 * wrapped to take the port's mode names ("input", "inputPullUp",
 * "inputPullDown", "output") and throws `RangeError` for another. The
 * default I2C pins come from `device.I2C.default` when the board target
 * defines them, else GPIO 21/22. Serial (the RS-485 port of the Modbus
 * master) is wrapped by rs485-serial.ts with the board's `rs485` pins.
 */
export function builtinIO(rs485: Rs485Pins & { direction?: number } = {}): IOProvider | undefined {
  // The typings' `device` lacks close() and the optional shapes (see moddable-extras.d.ts), and is absent under mcsim.
  const device = (globalThis as unknown as { device?: ModdableDevice }).device;
  const io = device?.io;
  if (io?.I2C === undefined || io.Digital === undefined) return undefined;
  const NativeDigital = io.Digital;
  const modes: Record<DigitalOptions["mode"], unknown> = {
    input: NativeDigital.Input,
    inputPullUp: NativeDigital.InputPullUp,
    inputPullDown: NativeDigital.InputPullDown,
    output: NativeDigital.Output,
  };

  class Digital implements DigitalIO {
    readonly #pin: ModdableDigital;

    constructor(options: DigitalOptions) {
      if (!Object.hasOwn(modes, options.mode)) {
        throw new RangeError(`digital mode must be input, inputPullUp, inputPullDown or output, got "${String(options.mode)}"`);
      }
      this.#pin = new NativeDigital({ pin: options.pin, mode: modes[options.mode] });
    }

    read(): number {
      return this.#pin.read();
    }

    write(value: number): void {
      this.#pin.write(value ? 1 : 0);
    }

    close(): void {
      this.#pin.close();
    }
  }

  const i2cDefault = device?.I2C?.default;
  return {
    I2C: io.I2C,
    Digital,
    Analog: io.Analog,
    PWM: io.PWM,
    ...(io.PulseCount ? { PulseCount: io.PulseCount } : {}),
    ...(io.SPI ? { SPI: io.SPI } : {}),
    ...(io.Serial ? { Serial: rs485SerialClass(io.Serial, { ...device?.Serial?.default, ...rs485 }) } : {}),
    ...(rs485.direction !== undefined ? { rs485Direction: rs485.direction } : {}),
    i2cDefault: i2cDefault ? { data: i2cDefault.data, clock: i2cDefault.clock } : { ...ESP32_I2C_DEFAULT },
  };
}
