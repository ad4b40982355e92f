import type { RawConfig } from "../config/schema.js";

/** One local rule (`rule.<name>.*`, config/rule-fields.ts), resolved. */
export interface RuleConfig {
  name: string;
  kind: "threshold" | "interlock";
  input: string;
  output: string;
  /** "above": on when input > on, off when input < off; "below": on when input < on, off when input > off. */
  direction: "above" | "below";
  on: number;
  /** The off limit (hysteresis); equals `on` when not set. */
  off: number;
  /** Threshold: the output's value when on, 0-100. */
  value: number;
  /** Threshold: the value when off; undefined: the rule lets go. */
  otherwise?: number;
  priority: number;
  staleMs: number;
}

/** The rules of `raw` (checked already by `checkConfig`), by name; a rule without its limits is left out. */
export function resolveRules(raw: RawConfig, names: readonly string[]): RuleConfig[] {
  const rules: RuleConfig[] = [];
  for (const name of names) {
    const get = (field: string) => raw.get(`rule.${name}.${field}`);
    const above = get("on_above");
    const below = get("on_below");
    const direction = typeof above === "number" ? "above" : "below";
    const on = typeof above === "number" ? above : below;
    if (typeof on !== "number") continue;
    const off = get(direction === "above" ? "off_below" : "off_above");
    const otherwise = get("else");
    rules.push({
      name,
      kind: get("type") === "interlock" ? "interlock" : "threshold",
      input: String(get("input") ?? ""),
      output: String(get("output") ?? ""),
      direction,
      on,
      off: typeof off === "number" ? off : on,
      value: Number(get("value") ?? 100),
      ...(typeof otherwise === "number" ? { otherwise } : {}),
      priority: Number(get("priority") ?? 0),
      staleMs: Number(get("stale_s") ?? 30) * 1000,
    });
  }
  return rules;
}
