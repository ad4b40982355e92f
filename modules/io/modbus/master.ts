import type { Clock, DigitalIO, SerialIO, TimerHandle, Timers } from "../../platform.js";
import { EXCEPTION_LENGTH, encodeRequest, responseLength, type ModbusRequest } from "./pdu.js";
import { decodeResponse, type ModbusFault, type ModbusResult } from "./response.js";
import { frameUs, rtuTiming, type RtuTiming } from "./rtu-timing.js";

/** Options of `ModbusMaster`; all but serial, timers, clock and baud have defaults. */
export interface ModbusMasterOptions {
  /** The RS-485 port, opened by the caller, whose `onReadable` calls `master.receive()`. */
  serial: SerialIO;
  timers: Timers;
  clock: Clock;
  /** The port's baud rate: the RTU timing follows from it. */
  baud: number;
  /** RS-485 driver enable (DE, /RE tied): 1 while a frame is on the wire, 0 otherwise. */
  direction?: DigitalIO;
  /** Response time-out after the request left, ms; default 200. */
  timeoutMs?: number;
  /** Further attempts after a time-out or a refused frame (not after an exception); default 1. */
  retries?: number;
  /** Requests waiting for the bus; default 32. Overflow: the new request is refused with `busy`. */
  queueLimit?: number;
  /** Host delivery latency added to the t1.5/t3.5 gaps when judging received bytes, ms; default 2. */
  latencyMs?: number;
  /** Pause after a broadcast before the next request (the slaves' turnaround delay), ms; default 100. */
  turnaroundMs?: number;
  /** First back-off of a unit that timed out, doubled per further time-out up to `maxBackoffMs`; default 1000. */
  backoffMs?: number;
  /** Default 30000. */
  maxBackoffMs?: number;
  /**
   * After a unit's answer did not come in time, its next different request
   * waits until that answer would be this many time-outs late (default 3),
   * so an answer up to (1 + lateFactor) time-outs late is dropped as late
   * instead of taken as the answer to that request.
   */
  lateFactor?: number;
  /** Each frame sent ("tx") and received ("rx"), for the debug log. */
  onFrame?: (direction: "tx" | "rx", frame: Uint8Array) => void;
}

/** Called once per submitted request with its values or its fault. */
export type ModbusCallback = (result: ModbusResult) => void;

interface Job {
  request: ModbusRequest;
  frame: Uint8Array;
  callback: ModbusCallback;
  timeoutMs: number;
  attempt: number;
}

/** A unit whose answers may still come after their time-out. */
interface Suspect {
  /** Requests sent to it whose answers have not come (yet). */
  outstanding: number;
  /** Monotonic ms after which a late answer is no longer expected. */
  until: number;
  /** The transaction that timed out: its retries may go at once (a late answer to it answers them too). */
  job: Job | undefined;
}

/** Counter names of the master (reported with a `modbus.` prefix by the node). */
export type ModbusCounter =
  | "requests" | "ok" | "retries" | "overflow" | "backoff" | "noise" | "late" | "gap" | "write_errors" | "callback_errors" | ModbusFault;

const RETRIABLE: ReadonlySet<ModbusFault> = new Set<ModbusFault>(["timeout", "crc", "wrong_unit", "wrong_function", "short_frame", "bad_frame"]);
const RX_MAX = 256;

/**
 * A Modbus RTU master (Modbus over Serial Line V1.02, sections 2.4-2.5): one
 * transaction at a time from a bounded FIFO, the 3.5-character silence before
 * each frame, DE raised for the frame's time on the wire, the answer judged
 * by its expected length, the 1.5-character inter-byte limit and the
 * 3.5-character end-of-frame silence (plus `latencyMs`), a response time-out
 * with retries, and a per-unit back-off so a unit that never answers fails
 * fast instead of holding the bus. Broadcasts (unit 0) are not answered: the
 * master waits `turnaroundMs` and goes on. Never throws into the caller's
 * loop: faults come back through the callback and the counters.
 *
 * Late answers. An RTU answer carries no transaction id: an answer that comes
 * after its time-out, while the next request to that unit is on the bus, has
 * the right unit, function and length and would pass for that request's.
 * So: what the port holds is flushed before each request; bytes that come
 * while no answer is awaited are dropped (`noise`, and `late` while a unit
 * is suspected); and after a time-out the unit's next *different* request
 * waits until each answer still owed by that unit would be `lateFactor`
 * time-outs late (libmodbus's error recovery sleeps one response time-out
 * and flushes, the same idea). Retries of the timed-out request may go at
 * once (a late answer to it is an answer to them), and other units are not
 * held. An answer later than (1 + lateFactor) time-outs can still be
 * mistaken: set the device's time-out above its slowest answer.
 */
export class ModbusMaster {
  readonly timing: RtuTiming;
  /** Counts by name (see ModbusCounter). */
  readonly counts = new Map<ModbusCounter, number>();
  #o: Required<Omit<ModbusMasterOptions, "direction" | "onFrame">> & Pick<ModbusMasterOptions, "direction" | "onFrame">;
  #queue: Job[] = [];
  #current: Job | undefined;
  #rx = new Uint8Array(RX_MAX);
  #rxLength = 0;
  #lastByteAt = -Infinity;
  #busQuietAt = 0;
  #timer: TimerHandle | undefined;
  #silenceTimer: TimerHandle | undefined;
  #pumpTimer: TimerHandle | undefined;
  #lateTimer: TimerHandle | undefined;
  #transmitting = false;
  #backoff = new Map<number, { failures: number; until: number }>();
  #suspects = new Map<number, Suspect>();
  #closed = false;

  /** Throws RangeError for a bad baud rate or a negative/non-integer bound. */
  constructor(options: ModbusMasterOptions) {
    this.#o = {
      timeoutMs: 200, retries: 1, queueLimit: 32, latencyMs: 2, turnaroundMs: 100, backoffMs: 1000, maxBackoffMs: 30000, lateFactor: 3,
      ...options,
    };
    for (const key of ["timeoutMs", "retries", "queueLimit", "latencyMs", "turnaroundMs", "backoffMs", "maxBackoffMs", "lateFactor"] as const) {
      const v = this.#o[key];
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`${key} must be a whole number >= 0, got ${v}`);
    }
    this.timing = rtuTiming(options.baud);
    this.#o.direction?.write(0);
  }

  #count(name: ModbusCounter, by = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + by);
  }

  /** A counter's value (0 when never counted). */
  count(name: ModbusCounter): number {
    return this.counts.get(name) ?? 0;
  }

  /** Requests waiting (not counting the one on the bus). */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Queues `request`; `callback` gets the result exactly once (later, never
   * from inside this call, except a refusal). Returns false, and calls back
   * `busy` at once, when the queue is full or the master closed. Throws
   * TypeError/RangeError for a malformed request (see validateRequest).
   */
  submit(request: ModbusRequest, callback: ModbusCallback, timeoutMs = this.#o.timeoutMs): boolean {
    const frame = encodeRequest(request);
    if (this.#closed || this.#queue.length >= this.#o.queueLimit) {
      this.#count("overflow");
      this.#deliver(callback, { ok: false, reason: "busy", detail: this.#closed ? "master closed" : `queue full (${this.#o.queueLimit})` });
      return false;
    }
    this.#count("requests");
    this.#queue.push({ request, frame, callback, timeoutMs, attempt: 0 });
    this.#schedulePump();
    return true;
  }

  /** Reads what the port holds and feeds it to the receiver (the port's `onReadable`). Never throws. */
  onReadable(): void {
    try {
      for (let chunk = this.#o.serial.read(); chunk && chunk.byteLength; chunk = this.#o.serial.read()) this.receive(new Uint8Array(chunk));
    } catch {
      this.#count("noise");
    }
  }

  /** Bytes from the line, in arrival order. Never throws; bytes nobody waits for are counted as noise. */
  receive(bytes: Uint8Array): void {
    const now = this.#o.clock.monotonic();
    const job = this.#current;
    const gapMs = now - this.#lastByteAt;
    this.#lastByteAt = now;
    this.#busQuietAt = Math.max(this.#busQuietAt, now + this.timing.t35Us / 1000);
    if (!job || job.request.unit === 0) {
      this.#count("noise", bytes.length);
      for (const suspect of this.#suspects.values()) if (suspect.outstanding > 0 && now < suspect.until) {
        this.#count("late");
        break;
      }
      if (this.#pumpTimer === undefined && this.#queue.length && !this.#current) this.#schedulePump();
      return;
    }
    if (this.#rxLength > 0 && gapMs > this.timing.t15Us / 1000 + this.#o.latencyMs) {
      this.#count("gap");
      this.#finish(job, { ok: false, reason: "short_frame", detail: `gap of ${gapMs} ms inside the answer` });
      return;
    }
    const room = RX_MAX - this.#rxLength;
    this.#rx.set(bytes.length > room ? bytes.subarray(0, room) : bytes, this.#rxLength);
    this.#rxLength += Math.min(bytes.length, room);
    const expected = this.#rxLength >= 2 && this.#rx[1] & 0x80 ? EXCEPTION_LENGTH : responseLength(job.request);
    if (this.#rxLength >= expected) {
      this.#finish(job, this.#judge(job));
      return;
    }
    this.#o.timers.clear(this.#silenceTimer);
    this.#silenceTimer = this.#o.timers.once(() => {
      this.#silenceTimer = undefined;
      if (this.#current === job && this.#rxLength > 0) this.#finish(job, this.#judge(job));
    }, Math.ceil(this.timing.t35Us / 1000 + this.#o.latencyMs));
  }

  #judge(job: Job): ModbusResult {
    const frame = this.#rx.slice(0, this.#rxLength);
    this.#o.onFrame?.("rx", frame);
    return decodeResponse(job.request, frame);
  }

  #schedulePump(): void {
    if (this.#current || this.#pumpTimer !== undefined || this.#closed) return;
    const wait = Math.max(0, Math.ceil(this.#busQuietAt - this.#o.clock.monotonic()));
    this.#pumpTimer = this.#o.timers.once(() => {
      this.#pumpTimer = undefined;
      this.#pump();
    }, wait);
  }

  #pump(): void {
    if (this.#current || this.#closed) return;
    const now = this.#o.clock.monotonic();
    if (now < this.#busQuietAt) return this.#schedulePump();
    let wakeAt = Infinity;
    for (let i = 0; i < this.#queue.length; ) {
      const job = this.#queue[i];
      const held = this.#backoff.get(job.request.unit);
      if (held && now < held.until) {
        this.#queue.splice(i, 1);
        this.#count("backoff");
        this.#deliver(job.callback, { ok: false, reason: "timeout", detail: `unit ${job.request.unit} backing off` });
        continue;
      }
      const waitUntil = this.#lateUntil(job, now);
      if (waitUntil > now) {
        wakeAt = Math.min(wakeAt, waitUntil);
        i++;
        continue;
      }
      this.#queue.splice(i, 1);
      this.#send(job);
      return;
    }
    // Only held requests wait: wake up when the first may go (a new request for another unit pumps sooner).
    this.#o.timers.clear(this.#lateTimer);
    this.#lateTimer = undefined;
    if (wakeAt < Infinity) {
      this.#lateTimer = this.#o.timers.once(() => {
        this.#lateTimer = undefined;
        this.#pump();
      }, Math.ceil(wakeAt - now));
    }
  }

  /** Until when `job` must wait for late answers of its unit (now or earlier: it may go). */
  #lateUntil(job: Job, now: number): number {
    const suspect = this.#suspects.get(job.request.unit);
    if (!suspect) return now;
    if (suspect.outstanding === 0 || now >= suspect.until) {
      this.#suspects.delete(job.request.unit);
      return now;
    }
    return suspect.job === job ? now : suspect.until;
  }

  #send(job: Job): void {
    this.#flush();
    this.#current = job;
    this.#rxLength = 0;
    this.#o.onFrame?.("tx", job.frame);
    const onWireMs = frameUs(this.timing, job.frame.length) / 1000;
    this.#transmitting = true;
    try {
      this.#o.direction?.write(1);
      this.#o.serial.write(job.frame);
    } catch (error) {
      this.#transmitting = false;
      this.#o.direction?.write(0);
      this.#count("write_errors");
      this.#finish(job, { ok: false, reason: "no_io", detail: String((error as Error)?.message ?? error) });
      return;
    }
    const now = this.#o.clock.monotonic();
    this.#busQuietAt = now + onWireMs + this.timing.t35Us / 1000;
    const suspect = this.#suspects.get(job.request.unit);
    if (suspect) {
      // This answer may come late too: the unit stays suspected until it would be lateFactor time-outs late.
      suspect.outstanding++;
      suspect.until = Math.max(suspect.until, now + onWireMs + (1 + this.#o.lateFactor) * job.timeoutMs);
    }
    this.#timer = this.#o.timers.once(() => {
      this.#transmitting = false;
      this.#o.direction?.write(0);
      if (job.request.unit === 0) {
        this.#timer = this.#o.timers.once(() => this.#finish(job, { ok: true, values: [] }), this.#o.turnaroundMs);
      } else {
        this.#timer = this.#o.timers.once(() => {
          this.#timer = undefined;
          if (this.#current !== job) return;
          if (this.#rxLength > 0) this.#finish(job, this.#judge(job));
          else this.#finish(job, { ok: false, reason: "timeout", detail: `no answer from unit ${job.request.unit} in ${job.timeoutMs} ms` });
        }, job.timeoutMs);
      }
    }, Math.ceil(onWireMs));
  }

  #finish(job: Job, result: ModbusResult): void {
    if (this.#current !== job) return;
    this.#o.timers.clear(this.#timer);
    this.#o.timers.clear(this.#silenceTimer);
    this.#timer = this.#silenceTimer = undefined;
    this.#current = undefined;
    this.#rxLength = 0;
    if (this.#transmitting) this.#o.direction?.write(0);
    this.#transmitting = false;
    const unit = job.request.unit;
    const suspect = this.#suspects.get(unit);
    if (result.ok || result.reason !== "timeout") {
      // An answer came (this request's, or one owed from before): one fewer outstanding.
      if (suspect) suspect.outstanding = Math.max(0, suspect.outstanding - 1);
    } else if (unit !== 0) {
      const now = this.#o.clock.monotonic();
      const until = now + this.#o.lateFactor * job.timeoutMs;
      if (suspect) {
        suspect.until = Math.max(suspect.until, until);
        suspect.job = job;
      } else this.#suspects.set(unit, { outstanding: 1, until, job });
    }
    if (result.ok) {
      this.#count("ok");
      this.#backoff.delete(unit);
    } else {
      this.#count(result.reason);
      if (RETRIABLE.has(result.reason) && job.attempt < this.#o.retries && !this.#closed) {
        job.attempt++;
        this.#count("retries");
        this.#queue.unshift(job);
        this.#schedulePump();
        return;
      }
      if (result.reason === "timeout") {
        const held = this.#backoff.get(unit) ?? { failures: 0, until: 0 };
        held.failures++;
        held.until = this.#o.clock.monotonic() + Math.min(this.#o.maxBackoffMs, this.#o.backoffMs * 2 ** Math.min(20, held.failures - 1));
        this.#backoff.set(unit, held);
      }
    }
    this.#deliver(job.callback, result);
    this.#schedulePump();
  }

  /** Drops what the port holds before a request: nothing received before it can be its answer. */
  #flush(): void {
    try {
      for (let chunk = this.#o.serial.read(); chunk && chunk.byteLength; chunk = this.#o.serial.read()) this.#count("noise", chunk.byteLength);
    } catch {
      this.#count("noise");
    }
  }

  #deliver(callback: ModbusCallback, result: ModbusResult): void {
    try {
      callback(result);
    } catch {
      this.#count("callback_errors");
    }
  }

  /** Fails what waits with `busy`, releases DE; the caller closes the port. Never throws. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of [this.#timer, this.#silenceTimer, this.#pumpTimer, this.#lateTimer]) this.#o.timers.clear(t);
    const jobs = [...(this.#current ? [this.#current] : []), ...this.#queue];
    this.#current = undefined;
    this.#queue = [];
    for (const job of jobs) this.#deliver(job.callback, { ok: false, reason: "busy", detail: "master closed" });
    try {
      this.#o.direction?.write(0);
    } catch {
      this.#count("write_errors");
    }
  }
}
