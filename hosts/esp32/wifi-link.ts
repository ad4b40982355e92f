import Net from "net";
import SNTP from "sntp";
import Time from "time";
import Timer from "timer";
import WiFi from "wifi";

/** Credentials and time server of the link. */
export interface WifiLinkOptions {
  ssid: string;
  password: string;
  /** SNTP server; none means the wall clock stays unset. */
  sntpHost: string | undefined;
  /** Called once SNTP has set the system time. */
  onTimeSet(): void;
  log(line: string): void;
}

/** First wait before reconnecting after the access point dropped us; doubles up to `RECONNECT_MAX_MS`. */
const RECONNECT_MIN_MS = 2_000;
const RECONNECT_MAX_MS = 60_000;
/** Wait before asking SNTP again after it failed. */
const SNTP_RETRY_MS = 300_000;

/**
 * Keeps the board on Wi-Fi with Moddable's `wifi` module and sets the clock
 * once with `sntp`. The ESP32 does not reconnect by itself: after a
 * "disconnect" the link calls `WiFi.connect` again after 2 s, doubling up to
 * 60 s while it keeps failing. SNTP runs on every "gotIP" until it has
 * answered once, and is retried every 5 minutes after an error.
 *
 * `state()` is what `status` shows: "connecting", "associated", "up
 * <address>", "down: <reason>".
 */
export class WifiLink {
  readonly #options: WifiLinkOptions;
  #wifi: WiFi | undefined;
  #sntp: SNTP | undefined;
  #timeSet = false;
  #state = "down: not started";
  #reconnectMs = RECONNECT_MIN_MS;
  #retry: Timer | undefined;

  constructor(options: WifiLinkOptions) {
    this.#options = options;
  }

  /** Starts connecting; a no-op when already started. */
  start(): void {
    if (this.#wifi !== undefined) return;
    this.#state = "connecting";
    this.#wifi = new WiFi({ ssid: this.#options.ssid, password: this.#options.password }, (message) => this.#onNotify(message));
  }

  state(): string {
    return this.#state;
  }

  #onNotify(message: string): void {
    switch (message) {
      case WiFi.connected:
        this.#state = "associated";
        break;
      case WiFi.gotIP:
        this.#reconnectMs = RECONNECT_MIN_MS;
        this.#state = `up ${Net.get("IP")}`;
        this.#startSntp();
        break;
      case WiFi.lostIP:
        this.#state = "down: lost IP address";
        break;
      case WiFi.disconnected:
        this.#state = `down: disconnected, retry in ${this.#reconnectMs / 1000} s`;
        this.#scheduleReconnect();
        break;
    }
  }

  #scheduleReconnect(): void {
    if (this.#retry !== undefined) return;
    const delay = this.#reconnectMs;
    this.#reconnectMs = Math.min(this.#reconnectMs * 2, RECONNECT_MAX_MS);
    this.#retry = Timer.set(() => {
      this.#retry = undefined;
      this.#state = "connecting";
      WiFi.connect({ ssid: this.#options.ssid, password: this.#options.password });
    }, delay);
  }

  #startSntp(): void {
    const host = this.#options.sntpHost;
    if (this.#timeSet || this.#sntp !== undefined || !host) return;
    this.#sntp = new SNTP({ host }, (message, value) => {
      if (message === SNTP.time && value !== undefined) {
        Time.set(value);
        this.#timeSet = true;
        this.#sntp = undefined;
        this.#options.onTimeSet();
      } else if (message === SNTP.error) {
        this.#sntp = undefined;
        this.#options.log(`sntp: no answer from ${host}; retrying in ${SNTP_RETRY_MS / 1000} s`);
        Timer.set(() => this.#startSntp(), SNTP_RETRY_MS);
      }
    });
  }
}
