#!/usr/bin/env node
import { startNode, type NodeHandle } from "../../modules/node.js";
import { parseSimArgs, USAGE, UsageError, type SimOptions } from "./args.js";
import { startEmbeddedBroker } from "./embedded-broker.js";
import { FileStorage } from "./file-storage.js";
import { createMqttTransport } from "../node/mqtt-transport.js";
import { createSimPlatform, simHardwareId } from "./sim-platform.js";
import { FlagValueError, preflight } from "./preflight.js";
import { PtyConsole } from "./pty-console.js";
import { defaultStateDir } from "./state-dir.js";
import { StdioConsole } from "./stdio-console.js";
import { VirtualTime } from "./virtual-time.js";
import { simulatedBoard } from "../../modules/io/models/index.js";
import { simulatedRs485 } from "../../modules/io/models/simulated-rs485.js";
import { SimInputError } from "./machines/input-error.js";
import { loadMachine, placeMachine, type Machine, type RunningMachine } from "./machines/machine.js";
import { simCommand } from "./machines/sim-command.js";
import { checkMachineConfig, finishReplay } from "./machines/sim-run.js";
import { FileOtaSlots } from "./file-ota.js";
import { nodeHttpClient } from "./node-http.js";
import { FIRMWARE_VERSION } from "../../modules/version.js";
import { runFleet } from "./fleet/run-fleet.js";
import { announceUi, openUiOrExit } from "./dashboard/open-ui.js";
import { attachSimNode, uiConsole } from "./dashboard/attach-sim.js";
import { FAULT_KINDS } from "./machines/profile.js";
import { monitorHint } from "./monitor-hint.js";

/** Runs the simulator: `fieldnode-sim --help` tells how. */
async function main(argv: string[]): Promise<void> {
  let options: SimOptions;
  try {
    options = parseSimArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`fieldnode-sim: ${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (options.nodes !== undefined) return runFleet(options, options.nodes);

  // The machine (--profile, --replay) is read and checked before anything starts, too.
  let machine: Machine;
  try {
    machine = loadMachine({ profile: options.profile, replay: options.replay, realBus: options.serial !== undefined });
  } catch (error) {
    if (!(error instanceof SimInputError)) throw error;
    process.stderr.write(`fieldnode-sim: ${error.message}\n`);
    process.exit(2);
  }
  const stateDir = options.stateDir ?? defaultStateDir(".state", options.id, simHardwareId());
  const storage = new FileStorage(stateDir);

  // Every flag and override value is checked, as the node will apply it, before anything starts.
  let checked;
  try {
    checked = preflight({ ...options, brokerUrl: options.broker ?? "mqtt://127.0.0.1:1883", brokerGiven: options.broker !== undefined, base: machine.replayOnly ? machine.config : undefined, defaults: machine.replayOnly ? undefined : machine.config }, storage, simHardwareId());
  } catch (error) {
    const usage = error instanceof FlagValueError ? "" : `\n${USAGE}\n`;
    process.stderr.write(`fieldnode-sim: ${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  const { uplink } = checked;
  try {
    checkMachineConfig(machine, storage, simHardwareId(), checked.overrides);
  } catch (error) {
    process.stderr.write(`fieldnode-sim: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const ui = await openUiOrExit(options.ui);
  const broker = options.broker ? undefined : await startEmbeddedBroker();
  if (broker) process.stdout.write(`embedded broker listening on ${broker.url}\n`);
  const brokerUrl = options.broker ?? broker!.url;
  announceUi(ui, brokerUrl, checked.overrides["mqtt.prefix"]);
  if (broker) process.stdout.write(`${monitorHint(brokerUrl, checked.overrides["mqtt.prefix"], options.caFile)}\n`);
  let console: StdioConsole | PtyConsole;
  if (options.console === "pty") {
    try {
      console = await PtyConsole.open();
    } catch (error) {
      process.stderr.write(`fieldnode-sim: ${(error as Error).message}\n`);
      await broker?.close();
      process.exit(1);
    }
    process.stdout.write(`console on ${console.path}: attach with "screen ${console.path} 115200" or "picocom ${console.path}"\n`);
  } else console = new StdioConsole();
  const consolePort = uiConsole(ui, console);
  const transport = createMqttTransport();

  let node: NodeHandle | undefined;
  // One clock and one board for the whole run: the machine goes on while the node reboots.
  const time = new VirtualTime({ speed: options.speed });
  const board = simulatedBoard(() => time.monotonic(), Math.floor(Math.random() * 2 ** 31) + 1);
  // The profile's Modbus slaves (else the default meter and drive), on for the whole run like the machine.
  const rs485 = options.serial ? undefined : simulatedRs485(time, () => time.monotonic(), 9600, machine.profile.modbus?.slaves);
  let running: RunningMachine | undefined;
  let resetReason = "power-on";
  let stopping = false;

  // Two firmware slots under the state dir; the bootloader step runs at every boot (NODE_EXTRA_CA_CERTS adds https trust).
  const slots = new FileOtaSlots(stateDir, FIRMWARE_VERSION, () => void reboot());
  const http = nodeHttpClient();
  const boot = () => {
    slots.bootloader();
    const sim = createSimPlatform({
      time,
      board,
      ota: slots,
      http,
      storage,
      console: consolePort,
      mqtt: transport,
      resetReason,
      restart: () => void reboot(),
      onWatchdogReset: (reason) => void reboot(reason),
      // On a board, log lines share the UART with the console: so they do on the pty.
      log: (_level, line) => {
        process.stdout.write(`${line}\n`);
        if (console instanceof PtyConsole) console.write(`${line}\r\n`);
        ui?.local.text(`${line}\n`);
      },
      clockSyncDelayMs: options.clockSyncDelayMs,
      speed: options.speed,
      serialPath: options.serial,
      rs485,
    });
    const { platform } = sim;
    // Flags override the saved config for this run only (see USAGE).
    const overrides: Record<string, string> = { ...checked.overrides, "mqtt.url": brokerUrl };
    // A replay's channels replace the node's for this run; a profile's are the defaults until a save.
    node = startNode(platform, machine.replayOnly ? { overrides: { ...machine.config, ...overrides } } : { overrides, defaults: machine.config }, uplink);
    node.registerCommand(simCommand(() => running, machine.summary, (ms) => time.stall(ms), rs485));
    attachSimNode(ui, node, consolePort, { targets: running?.faults.targets() ?? [], kinds: FAULT_KINDS });
  };

  const reboot = async (reason = "software") => {
    await node?.stop();
    resetReason = reason;
    time.still(boot);
  };

  const shutdown = async (signal: string, code = 0) => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write(`\n${signal}: stopping\n`);
    // The node's stop waits up to 2 s for PUBACKs, then up to 1.5 s for the broker to close.
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    running?.stop();
    await node?.stop();
    time.close();
    await ui?.close();
    await broker?.close();
    console.close();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  // The machine's own lines look like the node's log lines (a script reading replies skips them alike).
  const simLog = (line: string) => {
    const text = `[${(time.monotonic() / 1000).toFixed(3)}] INFO sim: ${line}`;
    process.stdout.write(`${text}\n`);
    if (console instanceof PtyConsole) console.write(`${text}\r\n`);
    ui?.local.text(`${text}\n`);
  };
  simLog(machine.summary);
  running = placeMachine(machine, board, { now: () => time.monotonic(), once: (fn, ms) => time.once(fn, ms), clear: (h) => time.clear(h as never) }, () => {
    simLog("replay: last row sampled; delivering what the node holds");
    void finishReplay(() => node, (code) => void shutdown("replay done", code));
  });
  running.faults.onChange = simLog;
  // Virtual time stands still while the firmware starts, so every channel starts at one instant.
  time.still(boot);
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`fieldnode-sim: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
