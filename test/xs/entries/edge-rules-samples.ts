/**
 * Scenarios of the alarm and rule evaluators (modules/edge) that run the same
 * on Node and on XS (no Node built-ins): each returns what happened as text
 * lines, for test/xs/edge-rules.test.ts to compare.
 */
import { parseAlarms } from "../../../modules/edge/alarm-spec.js";
import { Alarms } from "../../../modules/edge/alarms.js";
import type { RuleConfig } from "../../../modules/edge/rule-config.js";
import { Rules } from "../../../modules/edge/rules.js";
import { badReading, goodReading } from "../../../modules/io/reading.js";
import { MemoryStorage } from "../../helpers/memory-platform.js";

/** Texts for parseAlarms, good and bad. */
export const ALARM_TEXTS = ["high 80 hyst 2 delay 5; low 10; bad", "rate 0.5 off 3", "hh 70; high 80", "high 1e400", "low 5; ll 6", ""];

/** A sine-and-step temperature with two bad readings, one per second. */
function series(n: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let i = 0; i < n; i++) out.push(i === 40 || i === 41 ? null : Math.round((50 + 40 * Math.sin(i / 9) + (i > 70 ? 5 : 0)) * 100) / 100);
  return out;
}

/** Alarms over the series with a reboot in the middle (the same flash): every event and the final active set. */
export function alarmScenario(): string[] {
  const storage = new MemoryStorage();
  const lines: string[] = [];
  const boot = () => new Alarms([{ name: "temp", unit: "Cel", alarm: "hh 88 hyst 1; high 80 hyst 2 delay 3; low 15 hyst 1 off 2; rate 4 hyst 1; bad delay 1" }], {
    storage, now: () => 0, event: (kind, detail, fields) => void lines.push(`${kind}|${detail}|${JSON.stringify(fields)}`), onError: (m) => void lines.push(`error|${m}`),
  });
  let alarms = boot();
  series(120).forEach((v, i) => {
    if (i === 60) {
      alarms = boot();
      lines.push(`reboot|${alarms.active().map((a) => a.type).join(",")}`);
    }
    alarms.push(v === null ? badReading("temp", "Cel", "nack", i * 1000) : goodReading("temp", "Cel", v, i * 1000));
  });
  lines.push(`active|${alarms.active().map((a) => `${a.type}:${a.value}`).join(",")}`);
  return lines;
}

/** A thermostat, a higher boost rule and an interlock on one output over the series, with a stale stretch: every output call and event. */
export function ruleScenario(): string[] {
  const lines: string[] = [];
  let now = 0;
  const base = { input: "temp", output: "comp", direction: "above", value: 100, staleMs: 5000 } as const;
  const configs: RuleConfig[] = [
    { ...base, name: "cool", kind: "threshold", on: 60, off: 40, otherwise: 0, priority: 1 },
    { ...base, name: "boost", kind: "threshold", on: 85, off: 80, value: 50, priority: 2 },
    { ...base, name: "guard", kind: "interlock", direction: "below", on: 15, off: 20, priority: 0 },
  ];
  const rules = new Rules(configs, {
    set: (name, value, source) => (lines.push(`${now}|set ${name} ${value} ${source}`), value),
    interlock: (name) => void lines.push(`${now}|interlock ${name}`),
    release: (name, source) => (lines.push(`${now}|release ${name} ${source}`), true),
    config: () => ({ safeState: 0 }),
  }, { now: () => now, event: (kind, detail, fields) => void lines.push(`${kind}|${detail}|${JSON.stringify(fields)}`), onError: (m) => void lines.push(`error|${m}`) });
  series(120).forEach((v, i) => {
    now = i * 1000;
    // 90..99: the input is silent (stale after 5 s).
    if (i < 90 || i >= 100) rules.push(v === null ? badReading("temp", "Cel", "nack", now) : goodReading("temp", "Cel", v, now));
    rules.check();
  });
  lines.push(...rules.describe());
  return lines;
}

/** parseAlarms of each text. */
export function parseScenario(): unknown[] {
  return ALARM_TEXTS.map((text) => parseAlarms(text));
}
