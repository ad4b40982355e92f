/**
 * Holds the class doubles to the @moddable/typings signatures the board's
 * code uses (checked by `npm run typecheck`, tsconfig.esp32.json); the
 * object doubles carry `satisfies` clauses of their own. Not bundled.
 */
import type SNTPT from "sntp";
import type WiFiT from "wifi";
import Serial from "./serial.js";
import SNTP from "./sntp.js";
import WiFi from "./wifi.js";

export const wifiStatics: Pick<typeof WiFiT, "connected" | "gotIP" | "lostIP" | "disconnected" | "connect"> = WiFi;
export const wifiInstance: Pick<WiFiT, "close"> = new WiFi({ ssid: "" }, () => {});
export const sntpStatics: Pick<typeof SNTPT, "time" | "error"> = SNTP;
// The Serial double takes the bytes the UART console writes (Uint8Array); the typings' write also takes a
// HostBuffer, which no double can be, so its shape is checked by the console's own type-check instead.
export const serialDouble = Serial;
