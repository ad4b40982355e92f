import test from "ava";
import { absentIO, boardIO } from "../../hosts/esp32/board-io.js";
import { Counters } from "../../modules/counters.js";
import { Channels, type QualityChange, type Reading } from "../../modules/io/channels.js";
import { Logger } from "../../modules/log.js";
import type { IOProvider, Platform } from "../../modules/platform.js";
import { FakeTimers } from "../helpers/fake-timers.js";

test("a board with built-in IO uses it", (t) => {
  const builtin = { i2cDefault: { data: 21, clock: 22 } } as IOProvider;
  t.is(boardIO(builtin, "esp32", () => 0).io, builtin);
});

test("a board without built-in IO never falls back to simulated chips (before issue 8 it published synthetic climate)", (t) => {
  const { io, source } = boardIO(undefined, "esp32", () => 0);
  t.is(source, "absent");
  t.not(io.simulated, true);
  const error = t.throws(() => new io.I2C({ data: 21, clock: 22, hz: 100_000, address: 0x44 }));
  t.is(error?.message, "no ECMA-419 I2C on this build");
  t.is((error as unknown as { reason: string }).reason, "no_io");
});

test("only the mcsim build reads the chip models, flagged simulated", (t) => {
  const { io, source } = boardIO(undefined, "mcsim", () => 0);
  t.is(source, "simulated");
  t.true(io.simulated);
});

test("on absent IO a configured chip is a bad channel (no_io) with a quality event, and sampling goes on", (t) => {
  const timers = new FakeTimers();
  const platform = { clock: timers, timers, io: absentIO(), log: () => {} } as unknown as Platform;
  const channels = new Channels(platform, new Logger(platform), new Counters(), [{ name: "temp", type: "sht3x", measure: "temperature", intervalMs: 1000, unit: "Cel", fields: { address: 0x44 } }]);
  const readings: Reading[] = [];
  const changes: QualityChange[] = [];
  channels.watchQuality((c) => void changes.push(c));
  channels.start((r) => readings.push(r));
  timers.advance(3000);
  t.deepEqual(readings.map((r) => `${r.quality}:${r.reason}`), ["bad:no_io", "bad:no_io", "bad:no_io"]);
  t.deepEqual(changes.map((c) => `${c.from}->${c.to}:${c.reason} ${c.message}`), ["undefined->bad:no_io open failed: no ECMA-419 I2C on this build"]);
});
