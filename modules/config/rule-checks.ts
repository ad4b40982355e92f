/**
 * The whole-config rules of `rule.<name>.*`, checked at `save` (and on load
 * and import): the input is a channel, the output an actuator, one `on_`
 * limit with its matching `off_` on the right side, and threshold rules
 * sharing an output have distinct priorities.
 */
import type { RawConfig } from "./schema.js";

/** Pushes one message per broken rule onto `problems`, each naming the key. */
export function checkRules(raw: RawConfig, rules: readonly string[], channels: readonly string[], actuators: readonly string[], problems: string[]): void {
  const byOutput = new Map<string, { name: string; priority: number }[]>();
  for (const name of rules) {
    const get = (field: string) => raw.get(`rule.${name}.${field}`);
    const key = (field: string) => `rule.${name}.${field}`;
    const input = get("input");
    const output = get("output");
    if (input === undefined) problems.push(`${key("input")} must be set`);
    else if (!channels.includes(String(input))) problems.push(`${key("input")} ${JSON.stringify(input)} is not a channel${channels.length ? ` (channels: ${channels.join(", ")})` : ""}`);
    if (output === undefined) problems.push(`${key("output")} must be set`);
    else if (!actuators.includes(String(output))) problems.push(`${key("output")} ${JSON.stringify(output)} is not an actuator${actuators.length ? ` (actuators: ${actuators.join(", ")})` : ""}`);
    const above = get("on_above");
    const below = get("on_below");
    if ((above === undefined) === (below === undefined)) problems.push(`rule.${name}: set exactly one of on_above and on_below`);
    else if (above !== undefined) {
      if (get("off_above") !== undefined) problems.push(`${key("off_above")} goes with on_below; with on_above use off_below`);
      const off = get("off_below");
      if (off !== undefined && Number(off) > Number(above)) problems.push(`${key("off_below")} ${off} must be at most on_above ${above}`);
    } else {
      if (get("off_below") !== undefined) problems.push(`${key("off_below")} goes with on_above; with on_below use off_above`);
      const off = get("off_above");
      if (off !== undefined && Number(off) < Number(below)) problems.push(`${key("off_above")} ${off} must be at least on_below ${below}`);
    }
    if (get("type") === "threshold" && output !== undefined) {
      const list = byOutput.get(String(output)) ?? [];
      list.push({ name, priority: Number(get("priority") ?? 0) });
      byOutput.set(String(output), list);
    }
  }
  for (const [output, list] of byOutput)
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++)
        if (list[i].priority === list[j].priority)
          problems.push(`rule.${list[j].name}.priority: rules ${list[i].name} and ${list[j].name} both drive ${output} at priority ${list[i].priority}; give them distinct priorities`);
}
