/**
 * The simulator's own console command, `sim`: the machine behind the
 * simulated board, and fault injection while the node runs. It exists only
 * in the simulator (the host registers it with the node's console).
 */
import { ConsoleError } from "../../../modules/console/console-error.js";
import type { ConsoleCommand } from "../../../modules/console/console.js";
import type { RunningMachine } from "./machine.js";
import type { RS485BusModel } from "../../../modules/io/models/rs485-bus-model.js";
import { describeSlaves, setSlaveFault } from "./sim-modbus.js";

/** Longest `sim stall`, s. */
const STALL_MAX_S = 3600;

/**
 * `sim`, `sim fault <chip|channel> <kind> [for <s>]`, `sim clear`, `sim stall <s>`,
 * `sim modbus [...]` (sim-modbus.ts); `summary` is the machine's one-line
 * description, `stall(ms)` blocks the firmware's loop for that long
 * (VirtualTime.stall; absent: `sim stall` is refused), `rs485` is the
 * simulated bus (absent with --serial: `sim modbus` is refused).
 */
export function simCommand(machine: () => RunningMachine | undefined, summary: string, stall?: (ms: number) => void, rs485?: RS485BusModel): ConsoleCommand {
  return {
    name: "sim",
    summary: "the simulated machine: state and fault injection",
    usage: "[fault <chip|channel> nack|stuck|open|noise|spike|drift [for <s>] | clear | stall <s> | modbus [<unit> none|noanswer|crc|slow <ms>|exception <code>]]",
    details: "Simulator only. sim: the machine, its channels' physical values and the active faults. sim fault: nack (the chip stops answering), open (a broken wire), stuck (the value freezes), noise, spike, drift; on a chip it hits every channel of it; for <s>: it ends by itself after that many seconds. sim clear: ends every fault. sim stall <s>: the firmware's loop is blocked that long (at most 3600 s), as a handler that never returns: past 10 s the watchdog resets the node (reset reason watchdog). sim modbus: the simulated Modbus slaves; sim modbus <unit> <fault>: that slave stops answering, answers with a bad CRC, answers <ms> late or answers exception <code>, until none.",
    run(args, reply) {
      const running = machine();
      if (!running) throw new ConsoleError("busy", "the machine is not running");
      if (args.length === 0) {
        reply(summary);
        for (const name of running.plant.names()) reply(`  ${name} = ${Number(running.plant.value(name).toPrecision(6))}`);
        const faults = running.faults.list();
        reply(faults.length ? `faults: ${faults.join("; ")}` : "faults: none");
        return;
      }
      if (args[0] === "modbus") {
        if (!rs485) throw new ConsoleError("busy", "no simulated RS-485 bus (--serial binds the port to a real device)");
        if (args.length === 1) {
          for (const line of describeSlaves(rs485)) reply(line);
          return;
        }
        try {
          reply(setSlaveFault(rs485, args.slice(1)));
        } catch (error) {
          throw new ConsoleError("bad-value", (error as Error).message);
        }
        return;
      }
      if (args[0] === "clear" && args.length === 1) {
        reply(`cleared ${running.faults.clear()} fault(s)`);
        return;
      }
      if (args[0] === "stall" && args.length === 2 && stall) {
        const seconds = Number(args[1]);
        if (!/^[0-9]{1,4}(\.[0-9]{1,3})?$/.test(args[1]) || !(seconds > 0) || seconds > STALL_MAX_S) throw new ConsoleError("bad-value", `stall: seconds must be a number above 0 and at most ${STALL_MAX_S}, got ${JSON.stringify(args[1].slice(0, 20))}`);
        reply(`the firmware's loop is blocked for ${seconds} s (virtual time jumps; what fell due runs late)`);
        stall(Math.round(seconds * 1000));
        return;
      }
      if (args[0] === "fault" && (args.length === 3 || (args.length === 5 && args[3] === "for"))) {
        let seconds: number | undefined;
        if (args.length === 5) {
          seconds = Number(args[4]);
          if (!/^[0-9]{1,8}(\.[0-9]{1,3})?$/.test(args[4]) || !(seconds > 0)) throw new ConsoleError("bad-value", `for: seconds must be a number above 0, got ${JSON.stringify(args[4].slice(0, 20))}`);
        }
        try {
          reply(running.faults.inject(args[1], args[2], seconds));
        } catch (error) {
          throw new ConsoleError("bad-value", (error as Error).message);
        }
        return;
      }
      throw new ConsoleError("usage", "usage: sim [fault <chip|channel> nack|stuck|open|noise|spike|drift [for <s>] | clear | stall <s> | modbus [<unit> <fault>]]");
    },
  };
}
