/**
 * Guest entry that exercises the XS harness itself: globals, round trips
 * of bytes and text, `trace`, and the ways a guest can fail.
 */
import type { XsGuest } from "../../helpers/xs.js";

declare const xsHarness: XsGuest;
declare function trace(...parts: unknown[]): void;

const g = globalThis as Record<string, unknown>;

xsHarness.on("typeofs", (names: string[]) => names.map((name) => typeof g[name]));
xsHarness.on("echo", (value: unknown) => value);
xsHarness.on("trace", (text: string) => {
  trace(text);
});
xsHarness.on("throw", (message: string) => {
  throw new RangeError(message);
});
xsHarness.on("reject", async (message: string) => {
  await xsHarness.settle();
  throw new TypeError(message);
});
xsHarness.on("never", () => new Promise(() => {}));
xsHarness.on("spin", () => {
  for (;;);
});
xsHarness.report({ loaded: true, engine: typeof g.xsHarness });
