import { modbusBusOf } from "../modbus/modbus-bus.js";
import { registersOf, REGISTER_FORMATS, type RegisterFormat } from "../modbus/register-format.js";
import { defineSensorType, fieldOf, type SensorType } from "../sensor-type.js";
import { pattern } from "../../util/pattern.js";

const FUNCTIONS = Object.freeze({ coil: 1, discrete: 2, holding: 3, input: 4 } as const);

/**
 * A register or bit of a Modbus RTU device (`mb.<dev>.*`) read by the
 * node's master (io/modbus): holding or input registers in one of the
 * REGISTER_FORMATS, or a coil or discrete input as 0/1, then scale, offset
 * and unit as any channel. The value is the latest poll of the device; a
 * refused or missing answer makes it bad with the reason (`timeout`, `crc`,
 * `exception_2` ...), and the value before it is not reported again.
 */
export const modbus: SensorType = defineSensorType({
  name: "modbus",
  help: "a register or bit of a Modbus RTU device on the RS-485 port (mb.<dev>)",
  quantities: { value: { unit: "/", anyUnit: true, resolution: 0.001 } },
  fields: {
    device: { type: "string", default: "", pattern: pattern(String.raw`^[a-z][a-z0-9_]{0,15}$`), patternHelp: "the name of an mb.<dev> device", help: "the device (mb.<dev>)", restart: true },
    function: { type: "enum", values: Object.keys(FUNCTIONS), default: "holding", help: "holding | input registers, coil | discrete bits", restart: true },
    register: { type: "int", default: 0, min: 0, max: 65535, help: "protocol address (0-based, not 40001)", restart: true },
    format: { type: "enum", values: [...REGISTER_FORMATS], default: "u16", help: "u16 s16 u32 s32 f32 (high word first) or u32sw s32sw f32sw (low word first); registers only", restart: true },
  },
  chip: ["device", "function", "register"],
  check(channel, problems) {
    const fn = String(channel.get("function") ?? "holding");
    const format = String(channel.get("format") ?? "u16");
    if ((fn === "coil" || fn === "discrete") && format !== "u16") problems.push(`ch.${channel.name}.format ${format} does not fit a ${fn} (a bit reads 0/1): leave it u16`);
    const register = Number(channel.get("register") ?? 0);
    if ((fn === "holding" || fn === "input") && register + registersOf(format as RegisterFormat) > 65536) problems.push(`ch.${channel.name}.register ${register} with format ${format} passes 65535`);
    if (!channel.get("device")) problems.push(`ch.${channel.name}.device must name an mb.<dev> device`);
  },
  open(context) {
    const bus = modbusBusOf(context.io);
    const device = String(fieldOf(context.config, modbus, "device"));
    if (!bus) throw Object.assign(new Error("modbus: this node has no RS-485 port or no mb devices"), { reason: "no_io" });
    const fn = FUNCTIONS[String(fieldOf(context.config, modbus, "function")) as keyof typeof FUNCTIONS] ?? 3;
    const point = bus.watch(device, fn, Number(fieldOf(context.config, modbus, "register")), String(fieldOf(context.config, modbus, "format")) as RegisterFormat);
    return {
      sample: () => ({ value: point.measurement() }),
      close: () => point.close(),
    };
  },
});
