import test from "ava";
import { encodePack } from "../../helpers/reading-rows.js";
import { decodeTelemetry, resolveSenml, decodeCbor } from "../../../tools/monitor/senml-decode.js";
import { formatText } from "../../../tools/monitor/format.js";

/** Hex with spaces and `#` comments, as in the fixtures below. */
const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/#.*$/gm, "").replace(/\s+/g, ""), "hex"));

/** The README's layout, written by hand: a pack of node n1, seq 7, two temperatures one second apart. */
const PACK = hex(`
  84                                  # array(4)
    a4                                #   map(4)
      21 63 6e313a                    #     bn (-2): "n1:"
      22 1a 692530c8                  #     bt (-3): 1764045000
      00 64 5f736571                  #     n (0): "_seq"
      02 07                           #     v (2): 7
    a2                                #   map(2)
      00 65 5f626f6f74                #     n: "_boot"
      03 68 6162313263643334          #     vs (3): "ab12cd34"
    a3                                #   map(3)
      00 64 74656d70                  #     n: "temp"
      01 63 43656c                    #     u (1): "Cel"
      02 fa 41ac0000                  #     v: float32 21.5
    a4                                #   map(4)
      00 64 74656d70                  #     n: "temp"
      01 63 43656c                    #     u: "Cel"
      02 fa 41ae0000                  #     v: float32 21.75
      06 01                           #     t (6): +1 s
`);

test("a hand-written pack decodes into node, boot, seq and absolute names and times", (t) => {
  const pack = decodeTelemetry(PACK);
  if (typeof pack === "string") return t.fail(pack);
  t.like(pack, { node: "n1", boot: "ab12cd34", seq: 7, bt: 1764045000, clock: "wall", historical: false });
  t.deepEqual(pack.readings, [
    { name: "n1:temp", local: "temp", time: 1764045000, unit: "Cel", value: 21.5 },
    { name: "n1:temp", local: "temp", time: 1764045001, unit: "Cel", value: 21.75 },
  ]);
});

test("_clock and _hist metadata become flags", (t) => {
  const bytes = hex(`
    84
      a4 21 63 6e313a 22 fb 40934a3d70a3d70a 00 64 5f736571 02 01   # bt float64 1234.56 (uptime s), _seq 1
      a2 00 65 5f626f6f74 03 61 78                                  # _boot "x"
      a2 00 66 5f636c6f636b 03 66 757074696d65                      # _clock "uptime"
      a2 00 65 5f68697374 04 f5                                     # _hist vb true
  `);
  const pack = decodeTelemetry(bytes);
  if (typeof pack === "string") return t.fail(pack);
  t.like(pack, { seq: 1, boot: "x", bt: 1234.56, clock: "uptime", historical: true, readings: [] });
});

test("RFC 8428 section 4.6: base name, time, unit, value and sum carry to later records until redefined", (t) => {
  const bytes = hex(`
    83
      a6 21 62 783a 22 18 64 23 63 43656c 24 0a 00 61 61 02 fb 3ff8000000000000   # bn "x:" bt 100 bu Cel bv 10, n "a" v 1.5
      a3 00 61 62 02 02 06 20                                                     # n "b" v 2 t -1
      a4 21 62 793a 00 61 63 03 62 6869 01 61 56                                  # bn "y:" n "c" vs "hi" u "V"
  `);
  const records = resolveSenml((decodeCbor(bytes) as { value: unknown }).value);
  t.deepEqual(records, [
    { name: "x:a", local: "a", time: 100, unit: "Cel", value: 11.5 },
    { name: "x:b", local: "b", time: 99, unit: "Cel", value: 12 },
    { name: "y:c", local: "c", time: 100, unit: "V", stringValue: "hi" },
  ]);
});

test("the firmware's own encoder round-trips through the monitor's decoder", (t) => {
  const bytes = encodePack({ nodeId: "pump-7", bootId: "9f3a01c2", seq: 42, epochAtBoot: 1_764_045_000_000 }, [
    { quality: "good" as const, channel: "temp", unit: "Cel", value: 21.37, at: 250 },
    { quality: "good" as const, channel: "rh", unit: "%RH", value: 45.2, at: 250 },
    { quality: "good" as const, channel: "temp", unit: "Cel", value: 21.38, at: 1250 },
  ]);
  const pack = decodeTelemetry(bytes);
  if (typeof pack === "string") return t.fail(pack);
  t.like(pack, { node: "pump-7", boot: "9f3a01c2", seq: 42, bt: 1764045000.25, historical: false });
  // In time order; at equal times in pack order (rh, alone, as a named record before temp's group).
  t.deepEqual(pack.readings.map((r) => [r.name, r.unit, Math.fround(r.value!), r.time]), [
    ["pump-7:rh", "%RH", Math.fround(45.2), 1764045000.25],
    ["pump-7:temp", "Cel", Math.fround(21.37), 1764045000.25],
    ["pump-7:temp", "Cel", Math.fround(21.38), 1764045001.25],
  ]);
});

/** Bytes that are not a fieldnode pack, and exactly why. */
const BAD: [string, string, string | RegExp][] = [
  ["empty", "", /^not CBOR: /],
  ["truncated", "84 a4 21", /^not CBOR: /],
  ["a map, not an array", "a1 00 61 61", "a SenML pack is a CBOR array"],
  ["an empty array", "80", "empty SenML pack"],
  ["a record that is not a map", "81 01", "record 0 is not a CBOR map"],
  ["a numeric name", "81 a1 00 01", "record 0: n must be a text string"],
  ["a text time", "81 a2 00 61 61 06 61 31", "record 0: t must be a finite number"],
  ["a record without any name", "81 a1 02 01", "record 0 has no name (neither bn nor n)"],
  ["vb not a boolean", "81 a2 00 61 61 04 01", "record 0: vb must be a boolean"],
  ["SenML version 11", "81 a2 20 0b 00 61 61", "record 0: unsupported SenML version 11"],
  ["first record not _seq", "82 a2 00 61 61 02 01 a2 00 65 5f626f6f74 03 61 78", "record 0 must be _seq with a value"],
  ["_seq zero", "82 a2 00 64 5f736571 02 00 a2 00 65 5f626f6f74 03 61 78", "_seq must be a positive integer, got 0"],
  ["_seq fractional", "82 a2 00 64 5f736571 02 fa 3fc00000 a2 00 65 5f626f6f74 03 61 78", "_seq must be a positive integer, got 1.5"],
  ["no _boot", "81 a2 00 64 5f736571 02 01", "no _boot record with a string value"],
];

for (const [title, bytes, expected] of BAD) {
  test(`not a pack: ${title}`, (t) => {
    const result = decodeTelemetry(hex(bytes));
    if (typeof expected === "string") t.is(result, expected);
    else t.regex(result as string, expected);
  });
}

test("unknown labels are ignored (RFC 8428 section 4.4)", (t) => {
  const bytes = hex("82 a3 00 64 5f736571 02 01 18 63 01  a2 00 65 5f626f6f74 03 61 78"); // label 99 in record 0
  t.like(decodeTelemetry(bytes), { seq: 1, boot: "x" });
});

test("quality: the monitor joins `_q.<channel>` to its reading and shows a bad one without a value", (t) => {
  const bytes = encodePack({ nodeId: "pump-7", bootId: "9f3a01c2", seq: 5, epochAtBoot: 1_764_045_000_000 }, [
    { quality: "uncertain", reason: "over_range", channel: "flow", unit: "l/s", value: 12.5, at: 0 },
    { quality: "bad", reason: "nack", channel: "temp", unit: "Cel", at: 1000 },
    { quality: "good", channel: "rh", unit: "%RH", value: 45, at: 1000 },
  ]);
  const pack = decodeTelemetry(bytes);
  if (typeof pack === "string") return t.fail(pack);
  t.deepEqual(pack.readings.map((r) => [r.local, r.value, r.quality]), [["flow", 12.5, "uncertain:over_range"], ["temp", undefined, "bad:nack"], ["rh", 45, undefined]]);
  const line = formatText({ kind: "tele", node: "pump-7", pack } as never);
  t.regex(line, /flow=12\.5 l\/s \[uncertain:over_range\], temp=\[bad:nack\] @\+1s, rh=45 %RH @\+1s/);
});
