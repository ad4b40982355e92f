/**
 * The `rule.<name>.<field>` keys: local rules that drive an actuator from a
 * channel, online or not (issue 12, item 6; modules/edge/rules.ts). A
 * `threshold` rule switches its output on past `on_above` (or below
 * `on_below`) and off past `off_below` (or above `off_above`); an `interlock`
 * holds its output in its safe state while the input is past the same limits.
 */
import type { KeySpec } from "./key-spec.js";
import { pattern } from "../util/pattern.js";

const NAME = pattern(String.raw`^[a-z][a-z0-9_]{0,15}$`);
const LIMIT = { type: "decimal", min: -1e9, max: 1e9, restart: true, remote: true } as const;

/** Fields of one rule. */
export const RULE_FIELDS: Readonly<Record<string, KeySpec>> = Object.freeze({
  type: { type: "enum", values: ["threshold", "interlock"], help: "threshold (drives its output on/off) or interlock (holds its output in its safe state); setting it creates the rule", restart: true },
  input: { type: "string", pattern: NAME, patternHelp: "a channel name", help: "the channel the rule watches", restart: true, remote: true },
  output: { type: "string", pattern: NAME, patternHelp: "an actuator name", help: "the actuator the rule drives", restart: true, remote: true },
  on_above: { ...LIMIT, help: "on (interlock: engaged) when the input is above this; not set: use on_below" },
  on_below: { ...LIMIT, help: "on (interlock: engaged) when the input is below this; not set: use on_above" },
  off_below: { ...LIMIT, help: "with on_above: off (released) below this (hysteresis); not set: on_above" },
  off_above: { ...LIMIT, help: "with on_below: off (released) above this (hysteresis); not set: on_below" },
  value: { type: "decimal", default: 100, min: 0, max: 100, unit: "%", help: "threshold: the output's value when on (relay: 100 on, 0 off)", restart: true, remote: true },
  else: { type: "decimal", min: 0, max: 100, unit: "%", help: "threshold: the output's value when off; not set: the rule lets go (a lower claim or the safe state)", restart: true, remote: true },
  priority: { type: "int", default: 0, min: 0, max: 100, help: "among threshold rules on one output the highest that wants it wins; two such rules need distinct priorities", restart: true, remote: true },
  stale_s: { type: "int", default: 30, min: 1, max: 86_400, unit: "s", help: "no good reading for this long (or a bad one): the output goes to its safe state", restart: true, remote: true },
});
