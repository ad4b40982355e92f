/**
 * The shared state of the Moddable service doubles used to boot
 * hosts/esp32/main.ts inside XS (test/xs/esp32-main.test.ts): a virtual
 * clock with its timer queue, the UART's bytes both ways, NVS preferences,
 * and what the Wi-Fi, SNTP and MQTT doubles were asked to do. XS-safe.
 */
export interface TimerEntry { id: number; due: number; interval: number; callback: (id: unknown) => void }

export const world = {
  /** `mc/config`: the manifest's config section of the build under test. */
  config: {} as Record<string, unknown>,
  now: 0,
  nextTimer: 1,
  timers: [] as TimerEntry[],
  /** Bytes the firmware wrote to the UART. */
  uartOut: [] as number[],
  /** Bytes waiting to be read from the UART, and the double's readable callback. */
  uartIn: [] as number[],
  onReadable: undefined as ((count: number) => void) | undefined,
  serialOptions: undefined as Record<string, unknown> | undefined,
  preferences: new Map<string, Map<string, ArrayBuffer | string | number | boolean>>(),
  wifi: [] as { ssid: string; password: string; notify: (message: string) => void }[],
  sntp: [] as { host: string }[],
  mqtt: [] as Record<string, unknown>[],
  /** Runs due timers up to `now + ms`, in time order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      this.timers.sort((a, b) => a.due - b.due || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.due > end) break;
      // A timer overdue after a stall fires at the time now, never earlier.
      if (next.due > this.now) this.now = next.due;
      if (next.interval > 0) next.due += next.interval;
      else this.timers.shift();
      next.callback(next.id);
    }
    this.now = end;
  },
  /** Time passes by `ms` with no timer firing (a handler blocked that long); what fell due fires late at the next advance. */
  stall(ms: number): void {
    this.now += ms;
  },
  /** What the `resetReason` module reports (its `string`), and how often `System.restart()` was called. */
  resetReason: "Task WDT",
  restarts: 0,
  /** Types bytes at the UART: they become readable and the firmware is told. */
  type(bytes: number[]): void {
    this.uartIn.push(...bytes);
    this.onReadable?.(this.uartIn.length);
  },
  /** Takes what the firmware wrote to the UART since the last call. */
  takeOutput(): number[] {
    const out = this.uartOut;
    this.uartOut = [];
    return out;
  },
};
