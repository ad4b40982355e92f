import test from "ava";
import { decodeTelemetryPack, preparePack, PREPARE_GROWTH, telemetryPackBound, type DecodedPack } from "../../modules/telemetry/telemetry-pack.js";
import { encodePack, rowsOf } from "../helpers/reading-rows.js";
import { decodeSenmlPack, type SenmlRecord } from "../../modules/telemetry/senml.js";
import { seededRandom } from "../helpers/seeded-random.js";
import type { Reading } from "../../modules/io/channels.js";

const readings: Reading[] = [
  { quality: "good" as const, channel: "temp", unit: "Cel", value: 21.5, at: 5000 },
  { quality: "good" as const, channel: "rh", unit: "%RH", value: 40.25, at: 5000 },
  { quality: "good" as const, channel: "temp", unit: "Cel", value: 21.625, at: 6000 },
];
const EPOCH = 1_750_000_000_000;

test("a pack carries node, boot and seq where a receiver finds them", (t) => {
  const pack = decodeTelemetryPack(encodePack({ nodeId: "n1", bootId: "b00t", seq: 42, epochAtBoot: EPOCH }, readings));
  t.like(pack, { nodeId: "n1", bootId: "b00t", seq: 42, bt: (EPOCH + 5000) / 1000, clock: "wall", historical: false });
  // In time order; at equal times in pack order (rh, alone, as a named record before temp's group).
  t.deepEqual((pack as { readings: unknown[] }).readings, [
    { n: "rh", u: "%RH", v: 40.25, t: 0 },
    { n: "temp", u: "Cel", v: 21.5, t: 0 },
    { n: "temp", u: "Cel", v: 21.625, t: 1 },
  ]);
});

test("before the clock is synchronised, times are uptime seconds flagged _clock uptime", (t) => {
  const pack = decodeTelemetryPack(encodePack({ nodeId: "n1", bootId: "b00t", seq: 1 }, readings));
  t.like(pack, { bt: 5, clock: "uptime" });
});

test("preparePack marks a waiting pack historical and changes nothing else", (t) => {
  const live = encodePack({ nodeId: "n1", bootId: "b00t", seq: 7, epochAtBoot: EPOCH }, readings);
  t.is(preparePack(live, { historical: false, bootId: "b00t", epochAtBoot: EPOCH }), live, "a live pack goes out as it is");
  const hist = preparePack(live, { historical: true, bootId: "b00t", epochAtBoot: EPOCH });
  const before = decodeTelemetryPack(live) as Exclude<ReturnType<typeof decodeTelemetryPack>, string>;
  t.deepEqual(decodeTelemetryPack(hist), { ...before, historical: true });
  t.true(hist.byteLength - live.byteLength <= PREPARE_GROWTH);
});

test("an uptime pack of the running boot is re-based to wall time once the clock is known; other boots' are not", (t) => {
  const uptime = encodePack({ nodeId: "n1", bootId: "b00t", seq: 3 }, readings);
  const rebased = preparePack(uptime, { historical: true, bootId: "b00t", epochAtBoot: EPOCH });
  t.like(decodeTelemetryPack(rebased), { bt: (EPOCH + 5000) / 1000, clock: "rebased", historical: true, seq: 3 });
  t.true(rebased.byteLength - uptime.byteLength <= PREPARE_GROWTH, `grew ${rebased.byteLength - uptime.byteLength} bytes`);
  const otherBoot = preparePack(uptime, { historical: true, bootId: "other", epochAtBoot: EPOCH });
  t.like(decodeTelemetryPack(otherBoot), { bt: 5, clock: "uptime", historical: true });
  const stillUnsynced = preparePack(uptime, { historical: false, bootId: "b00t" });
  t.is(stillUnsynced, uptime);
});

test("preparePack is idempotent and leaves bytes it cannot read alone", (t) => {
  const uptime = encodePack({ nodeId: "n1", bootId: "b00t", seq: 3 }, readings);
  const context = { historical: true, bootId: "b00t", epochAtBoot: EPOCH };
  const once = preparePack(uptime, context);
  t.deepEqual(preparePack(once, context), once);
  const junk = Uint8Array.from([0xff, 1, 2]);
  t.is(preparePack(junk, context), junk);
  t.is(typeof decodeTelemetryPack(junk), "string");
});

test("telemetryPackBound is never below the encoded size (seeded packs, every header variant)", (t) => {
  const random = seededRandom(0x9ac4);
  const names = ["temp", "rh", "flow", "motor_temp", "p", "x".repeat(16)];
  const units = ["Cel", "%RH", "l/min", "Pa", "m/s2", "count"];
  let worst = Infinity;
  for (let run = 0; run < 2000; run++) {
    const count = 1 + Math.floor(random() * 100);
    const readings = Array.from({ length: count }, (_, i): Reading => {
      const base = {
        channel: names[Math.floor(random() * names.length)],
        unit: units[Math.floor(random() * units.length)],
        value: random() < 0.3 ? Math.floor(random() * 1e9) : (random() - 0.5) * 10 ** Math.floor(random() * 12),
        at: i * Math.floor(random() * 100_000),
      };
      const q = random();
      // Some readings are uncertain or bad: their `_q.<channel>` records count in the bound too.
      if (q < 0.1) return { channel: base.channel, unit: base.unit, at: base.at, quality: "bad", reason: "open_loop" };
      if (q < 0.2) return { ...base, quality: "uncertain", reason: "over_range" };
      return { ...base, quality: "good" };
    });
    const header = {
      nodeId: "node-" + "a".repeat(Math.floor(random() * 27)),
      bootId: "9f3a01c2",
      seq: Math.floor(random() * 2 ** 32),
      epochAtBoot: random() < 0.5 ? undefined : 1.7e12 + random() * 1e11,
      historical: random() < 0.5,
    };
    const slack = telemetryPackBound(header, rowsOf(readings)) - encodePack(header, readings).byteLength;
    worst = Math.min(worst, slack);
  }
  t.true(worst >= 0, `the bound fell short by ${-worst} bytes`);
});

test("quality on the wire: a `_q.<channel>` string record before an uncertain value, alone for a bad one (no number)", (t) => {
  const mixed: Reading[] = [
    { quality: "good", channel: "temp", unit: "Cel", value: 21.5, at: 5000 },
    { quality: "uncertain", reason: "over_range", channel: "flow", unit: "l/s", value: 12.5, at: 5000 },
    { quality: "bad", reason: "nack", channel: "rh", unit: "%RH", at: 6000 },
  ];
  const bytes = encodePack({ nodeId: "n1", bootId: "b00t", seq: 9, epochAtBoot: EPOCH }, mixed);
  const records = decodeSenmlPack(bytes) as SenmlRecord[];
  // Channels with a reading not good (and one with a single reading, shorter named than grouped) keep one
  // named record per reading, the `_q` before it; a channel with more readings, all good, would be a group.
  t.deepEqual(records.slice(2), [
    { n: "temp", u: "Cel", v: 21.5 },
    { n: "_q.flow", vs: "uncertain:over_range" },
    { n: "flow", u: "l/s", v: 12.5 },
    { n: "_q.rh", vs: "bad:nack", t: 1 },
  ]);
  t.deepEqual((decodeTelemetryPack(bytes) as DecodedPack).readings, [
    { n: "temp", u: "Cel", v: 21.5, t: 0 },
    { n: "flow", u: "l/s", v: 12.5, t: 0, q: "uncertain:over_range" },
    { n: "rh", t: 1, q: "bad:nack" },
  ]);
  t.true(bytes.byteLength <= telemetryPackBound({ nodeId: "n1", bootId: "b00t" }, rowsOf(mixed)));
});

test("a channel with several good readings is a group: its base name and unit once, a base value when shorter, reset by the next group", (t) => {
  const at = (s: number) => 10_000 + s * 1000;
  const grouped: Reading[] = [
    ...[30288.14, 30290.06, 29993.53].map((value, i): Reading => ({ quality: "good", channel: "pressure", unit: "Pa", value, at: at(i), tolerance: 78 })),
    ...[0, 1, 2].map((value, i): Reading => ({ quality: "good", channel: "count", unit: "/s", value, at: at(i) })),
  ];
  const bytes = encodePack({ nodeId: "n1", bootId: "b00t", seq: 1, epochAtBoot: EPOCH }, grouped);
  const records = decodeSenmlPack(bytes) as SenmlRecord[];
  t.deepEqual(records.slice(2), [
    { bn: "n1:pressure", bu: "Pa", bv: 30211, v: 0 }, // within 78 Pa of each point: the shortest numbers (integers of least magnitude), relative to the first
    { v: 2, t: 1 },
    { v: -140, t: 2 },
    { bn: "n1:count", bu: "/s", bv: 0, v: 0 }, // its values are shortest as they are: the base value goes back to 0
    { v: 1, t: 1 },
    { v: 2, t: 2 },
  ]);
  t.deepEqual((decodeTelemetryPack(bytes) as DecodedPack).readings.filter((r) => r.n === "count").map((r) => r.v), [0, 1, 2]);
});
