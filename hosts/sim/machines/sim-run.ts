/** The simulator's side of running a machine: checking the config it implies, and ending a replay. */
import { ConfigService } from "../../../modules/config/config-service.js";
import type { NodeHandle } from "../../../modules/node.js";
import type { Storage } from "../../../modules/platform.js";
import { SimInputError } from "./input-error.js";
import type { Machine } from "./machine.js";

/**
 * Checks that the node accepts the config `machine` implies, on top of the
 * config saved in `storage` and the boot `overrides`, as startNode will
 * apply it (a replay's channels as overrides, a profile's as defaults).
 * Throws SimInputError naming the profile or CSV; writes nothing.
 */
export function checkMachineConfig(machine: Machine, storage: Storage, hardwareId: string, overrides: Record<string, string>): void {
  const service = new ConfigService(storage, hardwareId);
  try {
    if (machine.replayOnly) service.setOverrides({ ...machine.config, ...overrides });
    else {
      service.seedDefaults(machine.config);
      service.setOverrides(overrides);
    }
  } catch (error) {
    throw new SimInputError(`${machine.replayOnly ? "replay" : "profile"} ${machine.profile.file}: the node refuses its config: ${(error as Error).message}`);
  }
}

/** How long the end of a replay waits for the broker to acknowledge the last packs, real ms. */
export const REPLAY_DELIVERY_TIMEOUT_MS = 30_000;

/**
 * After a replay's last row: closes the node's open batch, waits (real
 * time, polling) until every pack is acknowledged, then calls `exit(0)`;
 * `exit(1)` when they are not delivered within REPLAY_DELIVERY_TIMEOUT_MS
 * (they stay in the outbox on flash).
 */
export async function finishReplay(node: () => NodeHandle | undefined, exit: (code: number) => void): Promise<void> {
  const started = Date.now();
  // Same-instant samples of the other channels run first.
  await new Promise((resolve) => setTimeout(resolve, 50));
  for (;;) {
    const waiting = node()?.flush() ?? 0;
    if (waiting === 0) return exit(0);
    if (Date.now() - started > REPLAY_DELIVERY_TIMEOUT_MS) {
      process.stderr.write(`fieldnode-sim: replay: ${waiting} pack(s) not acknowledged within ${REPLAY_DELIVERY_TIMEOUT_MS / 1000} s; they stay in the outbox\n`);
      return exit(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
