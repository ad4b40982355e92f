import type { Reading } from "../io/reading.js";
import { ALARM_TYPES, type AlarmSpec, type AlarmType } from "./alarm-spec.js";

/** An alarm raised or cleared; `value` is the reading's (rate: its rate per s), absent for `bad`. */
export interface AlarmChange {
  channel: string;
  type: AlarmType;
  state: "raised" | "cleared";
  limit: number;
  value?: number;
  /** Monotonic ms of the reading that decided it. */
  at: number;
}

/** One active alarm as `alarms` lists it. */
export interface ActiveAlarm {
  channel: string;
  type: AlarmType;
  limit: number;
  /** Monotonic ms when raised (this boot); undefined when it stood at boot (restored). */
  since?: number;
  value?: number;
}

interface State {
  spec: AlarmSpec;
  active: boolean;
  /** Since when the raise (inactive) or clear (active) condition has held, ms. */
  pending?: number;
  since?: number;
  value?: number;
}

/** Bit of `type` in the persisted mask (its index in ALARM_TYPES). */
export function alarmBit(type: AlarmType): number {
  return 1 << ALARM_TYPES.indexOf(type);
}

/**
 * The alarms of one channel (issue 12, item 5), evaluated at each reading
 * in the reading's own time (`at`). high/hh raise when value > limit and
 * clear when value <= limit - hyst; low/ll raise when value < limit and
 * clear when value >= limit + hyst; rate compares |Δvalue|/Δt (per s)
 * between two successive readings with values the same way as high; bad
 * raises on a bad reading and clears on the next with a value. A bad
 * reading holds the value alarms as they are (no value to judge) and breaks
 * a pending delay. A condition must hold for `delayS` (raise) or `offS`
 * (clear) from its first reading before the change.
 */
export class ChannelAlarms {
  readonly channel: string;
  #states: State[];
  #previous: { value: number; at: number } | undefined;

  /** `mask`: the bits (alarmBit) of the alarms that stood before a reboot; they start active and are not raised again. */
  constructor(channel: string, specs: readonly AlarmSpec[], mask = 0) {
    this.channel = channel;
    this.#states = specs.map((spec) => ({ spec, active: (mask & alarmBit(spec.type)) !== 0 }));
  }

  /** The active alarms' bits. */
  get mask(): number {
    let mask = 0;
    for (const s of this.#states) if (s.active) mask |= alarmBit(s.spec.type);
    return mask;
  }

  /** The active alarms. */
  active(): ActiveAlarm[] {
    return this.#states.filter((s) => s.active).map((s) => ({ channel: this.channel, type: s.spec.type, limit: s.spec.limit, since: s.since, value: s.value }));
  }

  /** Judges one reading; returns the alarms it raised or cleared (usually none). */
  push(reading: Reading): AlarmChange[] {
    const changes: AlarmChange[] = [];
    const at = reading.at;
    let rate: number | undefined;
    if (reading.quality !== "bad" && Number.isFinite(reading.value)) {
      if (this.#previous && at > this.#previous.at) rate = (Math.abs(reading.value - this.#previous.value) * 1000) / (at - this.#previous.at);
      this.#previous = { value: reading.value, at };
    } else this.#previous = undefined;
    const value = reading.quality === "bad" || !Number.isFinite(reading.value) ? undefined : reading.value;
    for (const s of this.#states) {
      const { type, limit, hyst } = s.spec;
      let judged: number | undefined;
      let raise: boolean;
      let clear: boolean;
      if (type === "bad") {
        raise = reading.quality === "bad";
        clear = !raise;
      } else {
        judged = type === "rate" ? rate : value;
        if (judged === undefined) {
          s.pending = undefined;
          continue;
        }
        if (type === "low" || type === "ll") {
          raise = judged < limit;
          clear = judged >= limit + hyst;
        } else {
          raise = judged > limit;
          clear = judged <= limit - hyst;
        }
      }
      const holds = s.active ? clear : raise;
      if (!holds) {
        s.pending = undefined;
        continue;
      }
      s.pending ??= at;
      if (at - s.pending < (s.active ? s.spec.offS : s.spec.delayS) * 1000) continue;
      s.pending = undefined;
      s.active = !s.active;
      s.since = s.active ? at : undefined;
      s.value = s.active ? judged : undefined;
      changes.push({ channel: this.channel, type, state: s.active ? "raised" : "cleared", limit, ...(judged === undefined ? {} : { value: judged }), at });
    }
    return changes;
  }
}
