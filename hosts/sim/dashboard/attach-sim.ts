import type { NodeHandle } from "../../../modules/node.js";
import type { ConsolePort } from "../../../modules/platform.js";
import { masksSecret } from "../../../modules/console/secret-mask.js";
import type { Dashboard } from "./dashboard-server.js";
import { ConsoleTee } from "./console-tee.js";

/**
 * The node's console port: with a dashboard, shared with the page
 * (ConsoleTee: what the node writes goes to the page too); without, `port` itself.
 */
export function uiConsole(ui: Dashboard | undefined, port: ConsolePort): ConsolePort {
  if (!ui) return port;
  const tee = new ConsoleTee(port);
  tee.onOutput = (text) => ui.local.text(text);
  return tee;
}

/** `line` as a terminal shows it: `*` from where a secret value starts (masksSecret). */
export function maskSecrets(line: string): string {
  for (let i = 0; i <= line.length; i++) if (masksSecret(line.slice(0, i))) return line.slice(0, i) + "*".repeat(line.length - i);
  return line;
}

/**
 * Shows the simulator's booted `node` on the dashboard beyond what MQTT
 * carries: its raw and filtered readings (NodeHandle.observe), its console
 * (lines typed in the page go into `port`, the tee `uiConsole` gave) and its
 * fault targets and kinds for the fault buttons (`sim fault`). Called at each
 * boot; the observer ends with the node.
 */
export function attachSimNode(ui: Dashboard | undefined, node: NodeHandle, port: ConsolePort, faults: { targets: readonly string[]; kinds: readonly string[] }): void {
  if (!ui) return;
  ui.local.info = { node: node.nodeId, faultTargets: faults.targets, faultKinds: faults.kinds };
  node.observe(({ tap, reading, time }) =>
    ui.local.point(tap, reading.channel, [time, reading.value ?? null, reading.quality === "good" ? null : `${reading.quality}:${reading.reason}`]));
  if (!(port instanceof ConsoleTee)) return;
  ui.onConsoleLine = (line) => {
    // A terminal echoes what is typed (the tee passes it on); a pipe does not: show the line as typed, its secret masked.
    if (!port.interactive) ui.local.text(`> ${maskSecrets(line)}\n`);
    return port.type(line);
  };
}
