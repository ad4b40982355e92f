import { EXPRESSION_MAX_LENGTH, parseExpression } from "../expression.js";
import { defineSensorType, type ChannelView, type SensorType } from "../sensor-type.js";

/**
 * A channel computed from others: `ch.<name>.expr`, e.g. `voltage * current`
 * (io/expression.ts). Parsed at save: a syntax error names the position, a
 * reference to a missing channel or a cycle names the key. Evaluated each
 * time one of its inputs gives a reading; its quality is the worst of its
 * inputs' (io/computed-channel.ts). Its `unit` is whatever the technician
 * sets (default "count": the schema cannot know what voltage × current is).
 */
export const computed: SensorType = defineSensorType({
  name: "computed",
  help: "a value computed from other channels (ch.<name>.expr)",
  quantities: { value: { unit: "count", resolution: 0 } },
  fields: {
    expr: { type: "string", maxBytes: EXPRESSION_MAX_LENGTH, help: "expression of other channels: numbers, channel names, + - * / ( ), min max abs sqrt", restart: true },
  },
  chip: [],
  computed: true,
  check(channel: ChannelView, problems: string[]) {
    const key = `ch.${channel.name}.expr`;
    const text = channel.get("expr");
    if (typeof text !== "string") {
      problems.push(`${key} must be set for a computed channel (e.g. voltage * current)`);
      return;
    }
    const inputs = inputsOf(text, key, problems);
    if (!inputs) return;
    for (const input of inputs)
      if (!channel.channels.includes(input)) problems.push(`${key} refers to channel "${input}", which does not exist`);
    const cycle = findCycle(channel);
    if (cycle) problems.push(`${key} makes a cycle: ${cycle.join(" -> ")}`);
  },
  open() {
    throw new Error("a computed channel has no sensor");
  },
});

function inputsOf(text: string, key: string, problems?: string[]): readonly string[] | undefined {
  try {
    return parseExpression(text).inputs;
  } catch (error) {
    problems?.push(`${key} ${(error as Error).message} in ${JSON.stringify(text)}`);
    return undefined;
  }
}

/** A path of computed channels from `channel` back to itself, or undefined. */
function findCycle(channel: ChannelView): string[] | undefined {
  const inputsOfChannel = (name: string): readonly string[] => {
    const expr = channel.other(name, "expr");
    return channel.other(name, "type") === "computed" && typeof expr === "string" ? (inputsOf(expr, "") ?? []) : [];
  };
  const path: string[] = [channel.name];
  const visited = new Set<string>();
  const walk = (name: string): boolean => {
    for (const next of inputsOfChannel(name)) {
      if (next === channel.name) {
        path.push(next);
        return true;
      }
      if (visited.has(next) || path.length > 32) continue;
      visited.add(next);
      path.push(next);
      if (walk(next)) return true;
      path.pop();
    }
    return false;
  };
  return walk(channel.name) ? path : undefined;
}
