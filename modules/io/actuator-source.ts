/**
 * Who commands an output, and which of them wins. An output is held by the
 * highest-ranked source that has claimed it; a lower source is refused
 * (`held`) until the holder releases.
 */

/**
 * Sources of actuator commands, highest first: the link-loss failsafe, an
 * interlock of the edge rules, the technician's console test, a local rule,
 * a remote (MQTT) command.
 */
export type ActuatorSource = "failsafe" | "interlock" | "console" | "rule" | "remote";

/** Rank of each source: a higher rank holds an output against every lower one. */
export const SOURCE_RANK: Readonly<Record<ActuatorSource, number>> = Object.freeze({
  failsafe: 5,
  interlock: 4,
  console: 3,
  rule: 2,
  remote: 1,
});

/** All sources, highest rank first. */
export const SOURCES: readonly ActuatorSource[] = Object.freeze(["failsafe", "interlock", "console", "rule", "remote"] as ActuatorSource[]);

/**
 * A refused actuator command; `code` is the console's ERR code:
 * `unknown-actuator`, `bad-value`, `min-on`, `min-off`, `held` (a higher
 * source holds the output; the message names it), `fault`.
 */
export class ActuatorError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}
