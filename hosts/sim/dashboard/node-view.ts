/** Bound on the actuators and alarms kept per node. */
const STATES_MAX = 64;

/** What the dashboard keeps per node for a new client: latest state and birth, recent events and points, actuator and alarm states. */
export interface NodeView {
  state?: string;
  birth?: unknown;
  lastSeen?: number;
  events: unknown[];
  points: Record<string, [number, number | null, string | null][]>;
  /** Per actuator: value (0-100) and who holds it, from the birth (the safe state at boot) and `act` events. */
  act: Record<string, { value: unknown; source: unknown }>;
  /** Active alarms ("<channel> <type>" → detail), from `alarm` events raised and cleared. */
  alarms: Record<string, string>;
  /** Boot id of the last birth: a new one means the actuators went to their safe states. */
  boot?: unknown;
}

/** An empty view. Names (channels, actuators) come from outside: maps without a prototype, so "__proto__" is just a name. */
export function newNodeView(): NodeView {
  return { events: [], points: Object.create(null), act: Object.create(null), alarms: Object.create(null) };
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/**
 * A birth of a new boot (docs/contracts.md, Birth): every actuator starts in
 * its safe state (design.md), held by nobody, until an `act` event says
 * otherwise. A birth of the same boot (a reconnect, `rebirth`) changes nothing.
 */
export function noteBirth(view: NodeView, body: unknown): void {
  const birth = record(body);
  if (!birth || birth.boot === view.boot) return;
  view.boot = birth.boot;
  view.act = Object.create(null);
  const actuators = Array.isArray(birth.actuators) ? birth.actuators : [];
  for (const a of actuators.slice(0, STATES_MAX)) {
    const actuator = record(a);
    if (actuator && typeof actuator.n === "string") view.act[actuator.n] = { value: actuator.safe, source: "safe state at boot" };
  }
}

/** Updates a node's actuator and alarm states from one event (docs/contracts.md, Events: `act`, `alarm`). */
export function noteEvent(view: NodeView, body: unknown): void {
  const event = record(body);
  if (!event) return;
  if (event.kind === "act" && typeof event.act === "string" && (event.act in view.act || Object.keys(view.act).length < STATES_MAX))
    view.act[event.act] = { value: event.value, source: event.source };
  if (event.kind === "alarm" && typeof event.channel === "string" && typeof event.type === "string") {
    const key = `${event.channel} ${event.type}`;
    if (event.state === "raised" && (key in view.alarms || Object.keys(view.alarms).length < STATES_MAX)) view.alarms[key] = String(event.detail ?? key);
    if (event.state === "cleared") delete view.alarms[key];
  }
}
