import { ConfigService } from "../../modules/config/config-service.js";
import { ConfigRuleError } from "../../modules/config/validate.js";
import { nodeTopics } from "../../modules/mqtt/topics.js";
import type { UplinkOptions } from "../../modules/node.js";
import type { Storage } from "../../modules/platform.js";
import { packLimit } from "../../modules/telemetry/telemetry-pack.js";
import { utf8Length } from "../../modules/util/utf8.js";
import { readCaFile } from "../node/ca-file.js";
import { parseUplinkFlag } from "./uplink-flags.js";

/** A flag value the node would refuse: main prints the one-line message and exits 2. */
export class FlagValueError extends Error {}

/** The flags preflight checks, as main will hand them to the node. */
export interface PreflightInput {
  /** --id, when given. */
  id?: string;
  /** --broker, or a stand-in for the embedded broker's address (not known before it starts). */
  brokerUrl: string;
  /** --broker was given (else the broker URL is not the user's). */
  brokerGiven: boolean;
  /** --override key=value, in the order given. */
  configOverrides: Record<string, string>;
  /** --ca FILE: its certificate becomes this run's mqtt.tls_ca. */
  caFile?: string;
  /** Raw --uplink text. */
  uplink?: string;
  /**
   * Config the run lays under the overrides (a replay's channels), so an
   * override may name what it creates (`ch.<column>.filter`); not returned.
   */
  base?: Record<string, string>;
  /**
   * A profile's config, which the node takes as its defaults under the saved
   * config (`startNode`'s `defaults`), so an override may name the profile's
   * channels and actuators (`act.drain.failsafe_s`); not returned.
   */
  defaults?: Record<string, string>;
}

/** Smallest pack the node accepts (node.ts refuses a max-packet that leaves less). */
const PACK_MIN = 64;

/**
 * Checks every flag and override value before anything starts: the overrides
 * are applied, one by one in the order given, to the config saved in
 * `storage` exactly as the node will apply them at boot (schema, types,
 * ranges, cross-key rules), so the first one the node would refuse is named
 * (`--ca FILE` counts as an override of mqtt.tls_ca); a rule between keys
 * that a later flag satisfies is no error (`ch.v.type=modbus` before
 * `ch.v.device=meter`), one the flags together break names the first flag
 * since the config last held whose key the message names;
 * `--uplink` values are checked against the bounds the outbox, forwarder and
 * session enforce, and max-packet against the node's telemetry topic. Reads
 * the flash, writes nothing. Returns the uplink options and the overrides
 * to boot with (--id, the broker, --ca and --override together); throws
 * FlagValueError with one line naming the flag and the value, or a
 * TypeError from parseUplinkFlag for a malformed --uplink (a usage mistake).
 */
export function preflight(input: PreflightInput, storage: Storage, hardwareId: string): { uplink: UplinkOptions; overrides: Record<string, string> } {
  let uplink: UplinkOptions;
  try {
    uplink = parseUplinkFlag(input.uplink ?? "");
  } catch (error) {
    if (error instanceof RangeError) throw new FlagValueError(error.message);
    throw error;
  }
  const service = new ConfigService(storage, hardwareId);
  // A profile the node refuses is reported by checkMachineConfig, naming its file.
  if (input.defaults) {
    try {
      service.seedDefaults(input.defaults);
    } catch {
      // checked there
    }
  }
  const steps: [flag: string, key: string, value: string][] = [];
  if (input.id !== undefined) steps.push([`--id ${input.id}`, "node.id", input.id]);
  steps.push([input.brokerGiven ? `--broker ${input.brokerUrl}` : "the embedded broker's address", "mqtt.url", input.brokerUrl]);
  if (input.caFile !== undefined) {
    if ("mqtt.tls_ca" in input.configOverrides) throw new FlagValueError("--ca and --override mqtt.tls_ca both give the CA; use one");
    let ca;
    try {
      ca = readCaFile(input.caFile);
    } catch (error) {
      throw new FlagValueError((error as Error).message);
    }
    if (ca.derBase64.length !== 1) throw new FlagValueError(`--ca "${input.caFile}" holds ${ca.derBase64.length} certificates; the node keeps one: give the CA that signed the broker's certificate`);
    steps.push([`--ca ${input.caFile}`, "mqtt.tls_ca", ca.derBase64[0]]);
  }
  for (const [key, value] of Object.entries(input.configOverrides)) {
    // main lets --broker (or the embedded broker) and --id win over an override of the same key.
    if (key === "mqtt.url") throw new FlagValueError(`--override mqtt.url=${value}: give the broker with --broker`);
    if (key === "node.id" && input.id !== undefined) throw new FlagValueError(`--override node.id=${value}: --id ${input.id} is given too; use one`);
    steps.push([`--override ${key}=${value}`, key, value]);
  }
  const applied: Record<string, string> = {};
  // A base the node refuses is reported by checkMachineConfig, naming its file.
  let base = input.base ?? {};
  try {
    service.setOverrides(base);
  } catch {
    base = {};
  }
  // A value is refused at its own flag; a rule between keys (a channel that needs its device) only if the flags together still break it.
  const open: [flag: string, key: string][] = [];
  let broken: Error | undefined;
  for (const [flag, key, value] of steps) {
    applied[key] = value;
    try {
      service.setOverrides({ ...base, ...applied });
      broken = undefined;
      open.length = 0;
    } catch (error) {
      if (!(error instanceof ConfigRuleError)) throw new FlagValueError(`${flag}: ${(error as Error).message}`);
      broken = error;
      open.push([flag, key]);
    }
  }
  if (broken) {
    const blamed = open.find(([, key]) => broken!.message.includes(key)) ?? open[0];
    throw new FlagValueError(`${blamed[0]}: ${broken.message}`);
  }
  const overrides = applied;
  const config = service.resolved();
  if (uplink.maxPacketBytes !== undefined) {
    const tele = nodeTopics(config.mqtt.prefix, config.nodeId).tele;
    const room = packLimit(uplink.maxPacketBytes, utf8Length(tele));
    if (room < PACK_MIN) throw new FlagValueError(`--uplink max-packet=${uplink.maxPacketBytes}: leaves ${room} bytes for a pack on topic "${tele}"; need at least ${PACK_MIN}`);
  }
  return { uplink, overrides };
}
