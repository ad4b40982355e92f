import type { Storage } from "../platform.js";
import { CounterStore, counterKey } from "../io/counter-store.js";
import type { Reading } from "../io/reading.js";
import { parseAlarms } from "./alarm-spec.js";
import { ChannelAlarms, type ActiveAlarm, type AlarmChange } from "./channel-alarms.js";

/** What `Alarms` needs from the node. */
export interface AlarmsOptions {
  storage: Storage;
  /** Monotonic ms. */
  now: () => number;
  /** The node's event sink (`events(kind, detail, fields)`, queued and persisted while offline). */
  event: (kind: string, detail: string, fields: Record<string, string | number | boolean>) => void;
  /** A flash or internal problem, for the log. */
  onError?: (message: string) => void;
}

/**
 * The node's channel alarms (`ch.<name>.alarm`, issue 12 item 5): one
 * ChannelAlarms per channel with alarms, fed with every reading; each raise
 * and clear becomes an `alarm` event (fields channel, type, state, limit,
 * value). The active set of each channel is kept in a power-safe A/B record
 * (CounterStore, key `ca<crc32 of name>`), written only when it changes, so
 * that an alarm standing at a reboot is not raised again and one that clears
 * after it is reported. A channel whose text does not parse (it was checked at
 * set) has no alarms and is reported once through `onError`.
 */
export class Alarms {
  #channels = new Map<string, { alarms: ChannelAlarms; store: CounterStore; unit: string }>();
  #options: AlarmsOptions;

  constructor(configs: readonly { name: string; unit: string; alarm?: string }[], options: AlarmsOptions) {
    this.#options = options;
    const onError = options.onError ?? (() => {});
    for (const config of configs) {
      if (config.alarm === undefined || config.alarm.trim() === "") continue;
      const parsed = parseAlarms(config.alarm);
      if (!parsed.ok) {
        onError(`ch.${config.name}.alarm at column ${parsed.column}: ${parsed.reason}`);
        continue;
      }
      const store = new CounterStore(options.storage, counterKey("a", config.name), { now: options.now, minIntervalMs: 0, onError });
      const mask = store.load()?.[0] ?? 0;
      this.#channels.set(config.name, { alarms: new ChannelAlarms(config.name, parsed.alarms, mask), store, unit: config.unit });
    }
  }

  /** Judges one reading (a channel's subscriber); never throws. */
  push(reading: Reading): void {
    const entry = this.#channels.get(reading.channel);
    if (!entry) return;
    try {
      const changes = entry.alarms.push(reading);
      if (changes.length === 0) return;
      entry.store.flush([entry.alarms.mask]);
      for (const change of changes) this.#report(change, entry.unit, reading);
    } catch (error) {
      this.#options.onError?.(`alarms of ${reading.channel}: ${(error as Error).message}`);
    }
  }

  /** The active alarms of every channel, by channel name. */
  active(): ActiveAlarm[] {
    return [...this.#channels.values()].flatMap((e) => e.alarms.active());
  }

  /** How many alarms are active. */
  get count(): number {
    return this.active().length;
  }

  #report(change: AlarmChange, unit: string, reading: Reading): void {
    const { channel, type, state, limit, value } = change;
    const u = type === "rate" ? `${unit}/s` : unit;
    const fields: Record<string, string | number | boolean> = { channel, type, state, limit };
    let detail: string;
    if (type === "bad") {
      detail = `${channel} bad ${state}${reading.quality === "bad" ? ` (${reading.reason})` : ""}`;
      if (reading.quality === "bad") fields.reason = reading.reason;
      delete fields.limit;
    } else {
      fields.value = value!;
      const relation = state === "raised" ? (type === "low" || type === "ll" ? "<" : ">") : "back from";
      detail = `${channel} ${type} ${state}: ${Number(value!.toPrecision(6))} ${u} ${relation} ${limit} ${u}`;
    }
    this.#options.event("alarm", detail, fields);
  }
}

/** The `alarms` console lines: one per active alarm, `temp high 81.5 Cel (limit 80) for 12 s`. */
export function describeAlarms(active: readonly ActiveAlarm[], now: number): string[] {
  return active.map((a) => `${a.channel} ${a.type}${a.value === undefined ? "" : ` ${a.value}`}${a.type === "bad" ? "" : ` (limit ${a.limit})`}${a.since === undefined ? " (standing since before boot)" : ` for ${Math.floor((now - a.since) / 1000)} s`}`);
}
