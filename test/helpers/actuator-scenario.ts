/**
 * One actuator scenario in virtual time (XS-safe): arbitration, a console
 * test that times out, the link-loss failsafe and run feedback, as a list of
 * "t=<ms> <what>" lines. The XS test runs it inside the engine and compares
 * with the same run on Node.js.
 */
import { Actuators } from "../../modules/io/actuators.js";
import { Logger } from "../../modules/log.js";
import { memoryPlatform } from "./memory-platform.js";
import { stepRecorder } from "./outcome.js";

export function actuatorScenario(): string[] {
  const mp = memoryPlatform();
  const lines: string[] = [];
  const now = () => mp.platform.clock.monotonic();
  const actuators = new Actuators(mp.platform, new Logger(mp.platform), [
    { name: "pump", type: "relay", pin: 5, safeState: 0, minOnS: 2, minOffS: 0, invert: false, failsafeS: 30, testS: 10, feedbackPin: 7, feedbackS: 3 },
  ], (kind, detail) => lines.push(`t=${now()} ${kind}: ${detail}`));
  const attempt = stepRecorder(lines, now);
  actuators.start();
  actuators.linkUp(true);
  attempt("remote on", () => actuators.set("pump", true, "remote"));
  mp.board.pins.levels.set(7, 1);
  mp.advance(5_000);
  attempt("console off for 10", () => actuators.test("pump", false, 10));
  attempt("rule on", () => actuators.set("pump", true, "rule"));
  mp.advance(10_000);
  attempt("interlock", () => actuators.interlock("pump", "high pressure"));
  attempt("remote on", () => actuators.set("pump", true, "remote"));
  mp.advance(5_000);
  attempt("release interlock", () => actuators.release("pump", "interlock"));
  actuators.linkUp(false);
  mp.advance(31_000);
  lines.push(`t=${now()} ${actuators.describe().join("; ")}`);
  actuators.stop();
  return lines;
}
