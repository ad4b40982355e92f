import test from "ava";
import { planRoom, thinMessages, type RoomCandidate } from "../../modules/telemetry/outbox-thinning.js";

const seg = (level: number, bytes = 3900, count = 12, busy = false): RoomCandidate => ({ level, bytes, count, busy });

const cases: [string, RoomCandidate[], ReturnType<typeof planRoom>][] = [
  ["two half segments of one level are joined, nothing lost", [seg(0), seg(1, 1900), seg(1, 1900), seg(0)], { kind: "concat", at: 1 }],
  ["segments of different levels are never joined", [seg(2, 1900), seg(1, 1900)], { kind: "thin-one", at: 1, level: 1 }],
  ["the oldest pair at the finest level is thinned", [seg(1), seg(0), seg(0), seg(0)], { kind: "thin", at: 1, level: 0 }],
  ["a busy segment (in flight) is passed over", [seg(0, 3900, 12, true), seg(0), seg(0)], { kind: "thin", at: 1, level: 0 }],
  ["a lone segment at the finest level is thinned alone", [seg(1), seg(0), seg(1)], { kind: "thin-one", at: 1, level: 0 }],
  ["nothing to rewrite: the oldest free segment is dropped", [seg(0, 3900, 1, true), seg(0, 300, 1)], { kind: "drop", at: 1 }],
  ["everything in flight: nothing may be touched", [seg(0, 3900, 12, true)], undefined],
];

for (const [title, segments, expected] of cases) {
  test(`planRoom: ${title}`, (t) => {
    t.deepEqual(planRoom(segments), expected);
  });
}

test("thinMessages keeps the ordinals that are multiples of 2^(level + 1), more when it must fit one segment", (t) => {
  const messages = Array.from({ length: 24 }, (_, i) => ({ bytes: new Uint8Array(150), ordinal: 100 + 4 * i }));
  const { kept, level } = thinMessages(messages, 2);
  t.is(level, 3);
  t.deepEqual(kept.map((m) => m.ordinal), messages.filter((m) => m.ordinal % 8 === 0).map((m) => m.ordinal));
  const big = Array.from({ length: 24 }, (_, i) => ({ bytes: new Uint8Array(600), ordinal: i }));
  const fitted = thinMessages(big, 0);
  t.is(fitted.level, 2, "every 2nd of 24 × 600 B does not fit 4,000 B; every 4th does");
  t.deepEqual(fitted.kept.map((m) => m.ordinal), [0, 4, 8, 12, 16, 20]);
  t.deepEqual(thinMessages([{ bytes: new Uint8Array(10), ordinal: 3 }], 0).kept.map((m) => m.ordinal), [3], "at least one is kept");
});
