/**
 * Guest entry: the board's composition, hosts/esp32/main.ts, booted in XS
 * with the Moddable services replaced by the doubles in test/xs/doubles
 * (mapped by test/xs/esp32-main.test.ts). "boot" sets the build's config and
 * runs `main()`; "type" sends bytes to the UART and returns what came back;
 * "advance" moves the virtual clock; "state" reports what the doubles saw.
 */
import { world } from "../doubles/world.js";
import main from "../../../hosts/esp32/main.js";
import { encodeUtf8 } from "../../../modules/util/utf8.js";

// Moddable's XS has ArrayBuffer.fromString (UTF-8); the xsnap build of XS does not: the double of that built-in.
const buffers = ArrayBuffer as unknown as { fromString?: (text: string) => ArrayBuffer };
buffers.fromString ??= (text: string) => encodeUtf8(text).slice().buffer as ArrayBuffer;

/** The harness's guest API (test/helpers/xs.ts XsGuest), declared here: this entry is type-checked with the board, without Node types. */
declare const xsHarness: { on(name: string, handler: (args: any) => unknown): void; settle(): Promise<void> };

const text = (bytes: number[]) => String.fromCharCode(...bytes);

xsHarness.on("boot", (config: Record<string, unknown>) => {
  Object.assign(world.config, config);
  main();
  world.advance(1_000);
  return text(world.takeOutput());
});
xsHarness.on("type", async (bytes: number[]) => {
  world.type(bytes);
  for (let i = 0; i < 4; i++) await xsHarness.settle();
  world.advance(100);
  for (let i = 0; i < 4; i++) await xsHarness.settle();
  return world.takeOutput();
});
// The SDK's ECMA-419 `System.restart()`: counted; a restarted board boots again through "reboot".
(globalThis as { System?: { restart(): void } }).System = { restart: () => void world.restarts++ };
xsHarness.on("stall", (ms: number) => {
  world.stall(ms);
  world.advance(1);
  return { restarts: world.restarts, out: text(world.takeOutput()) };
});
xsHarness.on("reboot", (resetReason: string) => {
  // A reset: the old machine's timers and UART are gone; NVS (world.preferences) stays.
  world.timers = [];
  world.onReadable = undefined;
  world.resetReason = resetReason;
  main();
  world.advance(1_000);
  return text(world.takeOutput());
});
xsHarness.on("advance", (ms: number) => {
  world.advance(ms);
  return text(world.takeOutput());
});
xsHarness.on("wifi", (message: string) => {
  for (const station of world.wifi) station.notify(message);
  return world.wifi.map((w) => ({ ssid: w.ssid, password: w.password }));
});
xsHarness.on("state", () => ({
  serial: world.serialOptions ?? null,
  wifi: world.wifi.map((w) => ({ ssid: w.ssid })),
  sntp: world.sntp,
  mqtt: world.mqtt,
  preferenceKeys: [...world.preferences.entries()].map(([domain, map]) => [domain, [...map.keys()].sort()]),
  timers: world.timers.length,
}));
