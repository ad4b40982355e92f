import { world } from "./world.js";

/** `wifi` (Moddable SDK): a station that records its credentials; the test plays the notifications. */
export default class WiFi {
  static readonly connected = "connect";
  static readonly gotIP = "gotIP";
  static readonly lostIP = "lostIP";
  static readonly disconnected = "disconnect";
  static connect(_dictionary?: { ssid: string; password?: string }): void {}
  constructor(dictionary: { ssid: string; password?: string }, onNotify: (message: string) => void) {
    world.wifi.push({ ssid: dictionary.ssid, password: dictionary.password ?? "", notify: onNotify });
  }
  close(): void {}
}
