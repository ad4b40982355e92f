/**
 * The port: everything the firmware needs from the platform it runs on.
 *
 * `modules/` reaches the outside world only through a `Platform` object. The
 * simulator (`hosts/sim`, Node.js) and the board (`hosts/esp32`, Moddable SDK)
 * each implement it; nothing here may import Node built-ins or Moddable-only
 * modules, so the same firmware runs unchanged on both.
 *
 * Conventions: times are milliseconds; byte payloads are `Uint8Array`;
 * callbacks from the platform never throw back into it (the firmware catches).
 */

import type { BoardDefinition } from "./boards/board-definition.js";

/** Time as the firmware sees it. */
export interface Clock {
  /** Monotonic milliseconds since boot; never goes backwards, never jumps. */
  monotonic(): number;
  /**
   * Wall-clock milliseconds since the Unix epoch, or `undefined` while the
   * clock is not synchronised (no SNTP answer yet on the board).
   */
  wallTime(): number | undefined;
}

/** Opaque handle of a scheduled callback. */
export type TimerHandle = { readonly __timer: unique symbol } | object;

/** Scheduled callbacks (Moddable `timer`, Node timers, or a virtual clock). */
export interface Timers {
  /** Calls `callback` once after `delayMs`. */
  once(callback: () => void, delayMs: number): TimerHandle;
  /** Calls `callback` every `intervalMs`, first after `intervalMs`. */
  repeat(callback: () => void, intervalMs: number): TimerHandle;
  /** Cancels a timer; unknown or already-fired handles are ignored. */
  clear(handle: TimerHandle | undefined): void;
}

/**
 * Key/value flash (NVS Preference on the board, one file per key in the
 * simulator). Keys are at most 15 characters of [A-Za-z0-9._-]; values at
 * most 4,000 bytes. A write is NOT atomic: power can fail half-way, so the
 * firmware writes new records beside old ones and switches with a checksum.
 */
export interface Storage {
  read(key: string): Uint8Array | undefined;
  /** Throws on a full or failing flash (the caller counts and reports it). */
  write(key: string, value: Uint8Array): void;
  delete(key: string): void;
  keys(): string[];
  /**
   * Optional hint: bytes of values this storage can hold in all, after its
   * own overhead (on NVS: entry headers and the page it keeps free for its
   * garbage collection). `startNode` sizes the outbox from it
   * (`outboxSegmentsFor`). Absent: the outbox keeps its default 64 segments
   * (256,000 bytes), as on the simulator's files.
   */
  readonly capacityBytes?: number;
}

/** Limits of `Storage` that every host honours. */
export const STORAGE_KEY_MAX = 15;
export const STORAGE_VALUE_MAX = 4000;

/** Byte stream of the serial console (UART on the board, stdin/PTY in the simulator). */
export interface ConsolePort {
  /** True when a person types at a terminal: the firmware echoes and prompts. */
  readonly interactive: boolean;
  /** Registers the receiver of incoming bytes (one receiver). */
  onReceive(receiver: (bytes: Uint8Array) => void): void;
  /** Writes text; the port encodes it as UTF-8 and may drop it if the line is down. */
  write(text: string): void;
  /** Writes raw bytes (Improv packets); a port without it gets no Improv provisioning. */
  writeBytes?(bytes: Uint8Array): void;
}

/** Where an MQTT connection attempt or link failed, reported distinctly. */
export type MqttFailureStage =
  | "dns" // host name did not resolve
  | "tcp" // connection refused, unreachable, reset
  | "tls" // handshake, certificate, host name or fingerprint refused
  | "connack" // broker answered CONNACK with a non-zero return code
  | "keepalive" // no PINGRESP in time: the link is dead
  | "protocol" // the peer sent bytes that are not valid MQTT
  | "closed"; // the peer or the network closed an established link

export interface MqttFailure {
  stage: MqttFailureStage;
  /** Human-readable reason, for status and logs (never contains secrets). */
  message: string;
  /** CONNACK return code when `stage` is "connack". */
  returnCode?: number;
}

export interface MqttWill {
  topic: string;
  payload: Uint8Array;
  qos: 0 | 1;
  retain: boolean;
}

export interface MqttConnectOptions {
  /** `mqtt://host:port` or `mqtts://host:port`. */
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  /** Seconds; the transport sends PINGREQ and declares the link dead after 1.5× this. */
  keepalive: number;
  /** MQTT 3.1.1 clean session flag; false keeps subscriptions and QoS 1 state at the broker. */
  cleanSession: boolean;
  will?: MqttWill;
  /**
   * TLS for mqtts://: PEM CA bundle (host default store when absent), optional SHA-256 fingerprint pin,
   * and optional client certificate and its PKCS#8 key (PEM) for mutual TLS.
   */
  tls?: { ca?: string; fingerprint?: string; cert?: string; key?: string };
}

/** What the transport reports back on one connection. */
export interface MqttEvents {
  /** CONNACK accepted. */
  onConnect(sessionPresent: boolean): void;
  /**
   * An incoming PUBLISH (QoS 0 or 1; the transport acknowledges QoS 1 itself).
   * `retain`: the broker sent it from its retained store (MQTT 3.1.1 §3.3.1.3).
   */
  onMessage(topic: string, payload: Uint8Array, retain?: boolean): void;
  /**
   * An incoming PUBLISH larger than the transport keeps, with a payload of
   * `bytes`: skipped without being buffered and acknowledged like any other
   * (the payload is gone; the link stays up).
   */
  onOversize?(topic: string, bytes: number, retain: boolean): void;
  /** PUBACK for a QoS 1 publish we made. */
  onPuback(packetId: number): void;
  /** The connection is gone (or never came up). Called exactly once per connect(). */
  onClose(failure: MqttFailure): void;
  /** The transport can take more bytes again after `publish` returned false. */
  onWritable?(): void;
}

/** One live MQTT 3.1.1 connection; framing (mqtt-packet, Moddable MQTT) stays in the host. */
export interface MqttConnection {
  /**
   * Sends a PUBLISH. Returns the packet id for QoS 1, 0 for QoS 0, or `false`
   * when the link cannot take it now (send buffer full or not connected):
   * the caller keeps the message and retries on `onWritable`.
   */
  publish(topic: string, payload: Uint8Array, qos: 0 | 1, retain: boolean, dup?: boolean): number | false;
  subscribe(topics: string[], qos: 0 | 1): void;
  /** Clean disconnect: DISCONNECT, then close (no will). `onClose` follows. */
  disconnect(): void;
  /** Abrupt close (the will fires at the broker). `onClose` follows. */
  destroy(): void;
}

export interface MqttTransport {
  connect(options: MqttConnectOptions, events: MqttEvents): MqttConnection;
}

/** Log levels, most severe first. */
export type LogLevel = "error" | "warn" | "info" | "debug";

/** System services of the board. */
export interface SystemServices {
  /** Stable hardware identity (MAC-derived on the board), used as default node id. */
  hardwareId(): string;
  /** Why the last boot happened: "power-on", "software", "watchdog", "brownout", "panic", "unknown". */
  resetReason(): string;
  /** Restarts the board (the simulator restarts the firmware in-process). */
  restart(): void;
  /** Uniform random number in [0, 1); a seedable source in tests. */
  random(): number;
  /** Free heap bytes, when the platform can tell. */
  freeMemory?(): number | undefined;
  /** Network link state for `status` ("up", "connecting", "down: <reason>"). */
  networkState(): string;
  /**
   * Joins the Wi-Fi network the config names (`wifi.ssid`, `wifi.password`);
   * called once at boot when `wifi.ssid` is set. Hosts that use a network of
   * their own (the simulator) leave it out.
   */
  joinNetwork?(credentials: { ssid: string; password: string }): void;
}

/**
 * ECMA-419 IO constructors as the host provides them (Moddable's
 * `device.io`, or the simulator's chip models). Shapes follow ECMA-419
 * Edition 2: options objects in, `read`/`write`, `close()`.
 */
export interface I2CBus {
  write(buffer: ArrayBufferView | ArrayBuffer, stop?: boolean): void;
  /** Reads `byteLength` bytes into a new buffer, or fills `buffer` (no allocation: what drivers use). */
  read(byteLength: number, stop?: boolean): ArrayBuffer;
  read(buffer: Uint8Array, stop?: boolean): unknown;
  close(): void;
}
export interface I2COptions {
  data: number;
  clock: number;
  hz: number;
  address: number;
  port?: number;
}
export interface DigitalIO {
  read(): number;
  write(value: number): void;
  close(): void;
}
export interface DigitalOptions {
  pin: number;
  mode: "input" | "inputPullUp" | "inputPullDown" | "output";
}
export interface AnalogIO {
  readonly resolution: number;
  read(): number;
  close(): void;
}
export interface AnalogOptions {
  pin: number;
  resolution?: number;
}
export interface PWMIO {
  readonly resolution: number;
  write(value: number): void;
  close(): void;
}
export interface PWMOptions {
  pin: number;
  hz?: number;
  resolution?: number;
}
export interface PulseCountIO {
  read(): number;
  write(value: number): void;
  close(): void;
}
export interface PulseCountOptions {
  signal: number;
  control?: number;
}

/**
 * ECMA-419 SPI (section 9.6), the part the drivers use: a transaction asserts
 * `select`, `read(buffer)` fills the buffer with bytes clocked in, and
 * `flush(true)` ends the transaction by releasing `select`.
 */
export interface SPIBus {
  read(buffer: ArrayBufferView): void;
  write(buffer: ArrayBufferView): void;
  flush(deselect?: boolean): void;
  close(): void;
}
export interface SPIOptions {
  clock: number;
  in?: number;
  out?: number;
  select?: number;
  hz: number;
  /** SPI mode 0..3 (clock polarity and phase); default 0. */
  mode?: number;
  port?: number;
}

/**
 * ECMA-419 Serial (`embedded:io/serial`, section 10.5), the part the Modbus
 * master uses: `write` queues bytes without blocking (throws when the
 * transmit buffer is full), `read()` returns the bytes received so far (or
 * undefined), and `onReadable(count)` says bytes are waiting. 8 data bits.
 */
export interface SerialIO {
  /**
   * Not ECMA-419: how late (ms) received bytes may be handed over after the
   * previous ones inside one frame (OS and USB-adapter buffering); the Modbus
   * master widens its 1.5/3.5-character gaps by it. Absent: 2 ms.
   */
  readonly latencyMs?: number;
  read(): ArrayBuffer | undefined;
  write(buffer: ArrayBufferView | ArrayBuffer): void;
  close(): void;
}
export interface SerialOptions {
  baud: number;
  /** Default "none". */
  parity?: "none" | "even" | "odd";
  /** Default 1. */
  stopBits?: 1 | 2;
  port?: number;
  receive?: number;
  transmit?: number;
  onReadable?: (count: number) => void;
}

export interface IOProvider {
  I2C: new (options: I2COptions) => I2CBus;
  Digital: new (options: DigitalOptions) => DigitalIO;
  Analog: new (options: AnalogOptions) => AnalogIO;
  PWM: new (options: PWMOptions) => PWMIO;
  PulseCount?: new (options: PulseCountOptions) => PulseCountIO;
  /** ECMA-419 SPI, where the host has one. */
  SPI?: new (options: SPIOptions) => SPIBus;
  /** ECMA-419 Serial of the RS-485 port (Modbus), where the host has one. */
  Serial?: new (options: SerialOptions) => SerialIO;
  /** GPIO of the RS-485 transceiver's DE and /RE (tied), from the board definition; absent: none (auto-direction). */
  rs485Direction?: number;
  /** Default I2C pins of the board. */
  i2cDefault: { data: number; clock: number };
  /** True when these are simulated chips (the simulator, mcsim): said in the birth as `sim: true`. */
  readonly simulated?: boolean;
}

/** What an HTTP GET reports: the body in chunks as it arrives, then the end or the failure (exactly one of them). */
export interface HttpGetHandlers {
  /** Receives the next piece of the body (the host keeps no copy). */
  onChunk(bytes: Uint8Array): void;
  /** The body ended cleanly (status 200). */
  onDone(): void;
  /** A non-200 status, DNS/TCP/TLS failure or a reset; never after `abort`. */
  onError(message: string): void;
}

/** A streaming HTTP(S) client (Node `http`/`https` in the simulator, the SDK's HTTP client on the board). */
export interface HttpClient {
  /** Starts a GET of `url` (http:// or https://); the returned `abort` stops it with no more callbacks. */
  get(url: string, handlers: HttpGetHandlers): { abort(): void };
}

/**
 * The two firmware slots and the boot selection (ESP-IDF OTA with app
 * rollback on the board, files under the state dir in the simulator).
 */
export interface OtaSlots {
  /** Largest image a slot takes, bytes. */
  readonly slotBytes: number;
  /** Opens the inactive slot for an image of `bytes` (erasing it); `version` is the image header's. Throws when it cannot. */
  begin(bytes: number, version: string): void;
  /** Appends to the open slot; throws on a flash failure. */
  write(chunk: Uint8Array): void;
  /** Closes the slot and selects it for the next boot, pending confirmation. Throws when the slot does not validate. */
  end(): void;
  /** Drops the open slot; the boot selection is unchanged. Never throws. */
  abort(): void;
  /** True while the running image is new and not yet confirmed: a restart now boots the previous one. */
  pendingConfirm(): boolean;
  /** Keeps the running image for good (cancels the rollback). */
  confirm(): void;
  /** Marks the running (unconfirmed) image bad and restarts into the previous one. */
  rollback(): void;
  /** The running image's version when the host knows it better than the code does (the simulator runs the same code). */
  runningVersion?(): string | undefined;
}

/**
 * The board's watchdog on the firmware's main loop (issue 11): armed at
 * boot, fed by the loop's every turn; when no feed comes for `timeoutMs`
 * the board resets and the next boot's reset reason is "watchdog"
 * (modules/util/stall-detector.ts is the portable one both hosts use).
 */
export interface Watchdog {
  /** How long the loop may go without a feed, ms. */
  readonly timeoutMs: number;
  /** Arms it: from now on a feed must come within `timeoutMs`. Throws when the host cannot arm it. */
  start(): void;
  /** The main loop is alive. */
  feed(): void;
  /** Disarms it (a clean stop or restart). Never throws. */
  stop(): void;
}

/** Everything a host hands to `startNode`. */
export interface Platform {
  /** Host name for status and birth: "sim" or "esp32". */
  readonly name: string;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly storage: Storage;
  readonly console: ConsolePort;
  readonly mqtt: MqttTransport;
  readonly io: IOProvider;
  readonly system: SystemServices;
  /** The board's pin map (modules/boards/), checked at `save`; absent: pins are not checked against a board. */
  readonly board?: BoardDefinition;
  /** Writes one log line (the firmware formats it). */
  log(level: LogLevel, line: string): void;
  /** HTTP client for OTA downloads; absent: `cmd/ota` answers `unsupported`. */
  readonly http?: HttpClient;
  /** Firmware slots for OTA; absent: `cmd/ota` answers `unsupported`. */
  readonly ota?: OtaSlots;
  /** The main loop's watchdog; absent: none (status says so). */
  readonly watchdog?: Watchdog;
}
