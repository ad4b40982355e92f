/**
 * `modbus read|write|scan`: commissioning a Modbus RTU device from the
 * console (the raw frames show at `log debug`). A device is an `mb.<dev>`
 * name or a unit address 1-247 (a device not configured yet).
 */
import type { ModbusBus } from "../../io/modbus/modbus-bus.js";
import { MAX_QUANTITY, type ModbusRequest } from "../../io/modbus/pdu.js";
import type { ModbusResult } from "../../io/modbus/response.js";
import { ConsoleError } from "../console-error.js";
import type { ConsoleCommand } from "../console.js";

const READ_FUNCTIONS: Readonly<Record<string, 1 | 2 | 3 | 4>> = Object.freeze({ coil: 1, discrete: 2, holding: 3, input: 4 });
const USAGE = "usage: modbus read <dev> <coil|discrete|holding|input> <register> [count] | modbus write <dev> <coil|register> <register> <value> | modbus scan [from-to]";
/** Time-out of one probe of `modbus scan`, ms. */
const SCAN_TIMEOUT_MS = 100;

function shown(text: string): string {
  return JSON.stringify(text.length > 20 ? `${text.slice(0, 20)}…` : text);
}

function integer(name: string, text: string, min: number, max: number): number {
  const n = /^-?[0-9]{1,6}$/.test(text) ? Number(text) : /^0x[0-9a-fA-F]{1,4}$/.test(text) ? parseInt(text.slice(2), 16) : NaN;
  if (!(n >= min && n <= max)) throw new ConsoleError("usage", `${name} must be ${min}..${max}, got ${shown(text)}`);
  return n;
}

function ask(bus: ModbusBus, request: ModbusRequest, timeoutMs?: number): Promise<ModbusResult> {
  return new Promise((resolve) => bus.master.submit(request, resolve, timeoutMs));
}

/** The console commands; `bus()` is the node's Modbus bus (undefined when no mb device is configured or no port). */
export function modbusCommands(bus: () => ModbusBus | undefined): ConsoleCommand[] {
  return [
    {
      name: "modbus",
      summary: "read, write or scan Modbus RTU devices on the RS-485 port",
      usage: "read|write|scan ...",
      details: `${USAGE}. <dev> is an mb.<dev> name or a unit address 1-247; registers are protocol addresses (0-based). write: a coil takes on/off/1/0, a register 0..65535 (or -32768..-1). scan probes each unit with a read of holding register 0 (${SCAN_TIMEOUT_MS} ms time-out): an answer or an exception means the unit is there.`,
      async run(args, reply) {
        const b = bus();
        if (!b) throw new ConsoleError("no-modbus", "no Modbus port: configure a device (set mb.<dev>.type rtu, save, restart)");
        const unitOf = (text: string | undefined): number => {
          if (text === undefined) throw new ConsoleError("usage", USAGE);
          const device = b.devices.get(text);
          if (device) return device.address;
          if (/^[0-9]{1,3}$/.test(text)) return integer("unit", text, 1, 247);
          throw new ConsoleError("unknown-device", `no Modbus device ${shown(text)}; devices: ${[...b.devices.keys()].join(", ") || "none"}`);
        };
        const check = (result: ModbusResult): number[] => {
          if (!result.ok) throw new ConsoleError("modbus", `${result.reason}: ${result.detail}`);
          return result.values;
        };
        const verb = args[0];
        if (verb === "read") {
          if (args.length < 4 || args.length > 5) throw new ConsoleError("usage", USAGE);
          const unit = unitOf(args[1]);
          const fn = READ_FUNCTIONS[args[2]];
          if (!fn) throw new ConsoleError("usage", `function must be coil, discrete, holding or input, got ${shown(args[2])}`);
          const address = integer("register", args[3], 0, 65535);
          const count = args[4] === undefined ? 1 : integer("count", args[4], 1, Math.min(MAX_QUANTITY[fn], 65536 - address));
          const values = check(await ask(b, { unit, fn, address, count }));
          values.forEach((v, i) => reply(`${args[2]} ${address + i} = ${v}${fn >= 3 ? ` (0x${v.toString(16).padStart(4, "0")}, s16 ${v >= 0x8000 ? v - 0x10000 : v})` : ""}`));
          return;
        }
        if (verb === "write") {
          if (args.length !== 5) throw new ConsoleError("usage", USAGE);
          const unit = unitOf(args[1]);
          const address = integer("register", args[3], 0, 65535);
          let request: ModbusRequest;
          if (args[2] === "coil") {
            const value = { on: 1, off: 0, "1": 1, "0": 0 }[args[4]];
            if (value === undefined) throw new ConsoleError("usage", `a coil takes on, off, 1 or 0, got ${shown(args[4])}`);
            request = { unit, fn: 5, address, value };
          } else if (args[2] === "register") {
            const value = integer("value", args[4], -32768, 65535);
            request = { unit, fn: 6, address, value: value < 0 ? value + 0x10000 : value };
          } else throw new ConsoleError("usage", `write takes coil or register, got ${shown(args[2])}`);
          check(await ask(b, request));
          reply(`${args[2]} ${address} of unit ${unit} written`);
          return;
        }
        if (verb === "scan") {
          if (args.length > 2) throw new ConsoleError("usage", USAGE);
          const range = /^([0-9]{1,3})-([0-9]{1,3})$/.exec(args[1] ?? "1-247");
          if (!range) throw new ConsoleError("usage", `scan takes a range such as 1-10, got ${shown(args[1] ?? "")}`);
          const from = integer("from", range[1], 1, 247);
          const to = integer("to", range[2], from, 247);
          const found: string[] = [];
          for (let unit = from; unit <= to; unit++) {
            const result = await ask(b, { unit, fn: 3, address: 0, count: 1 }, SCAN_TIMEOUT_MS);
            if (result.ok || result.reason.startsWith("exception_")) found.push(`${unit}${result.ok ? "" : ` (${result.reason})`}`);
          }
          reply(found.length ? `units answering: ${found.join(", ")}` : `no unit answered in ${from}-${to}`);
          return;
        }
        throw new ConsoleError("usage", USAGE);
      },
    },
  ];
}
