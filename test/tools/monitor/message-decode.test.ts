import test from "ava";
import { seededRandom } from "../../helpers/seeded-random.js";
import { Encoder } from "cbor-x";
import { encodePack } from "../../helpers/reading-rows.js";
import { decodeMessage, type MonitorMessage } from "../../../tools/monitor/message-decode.js";
import { formatJson, formatText } from "../../../tools/monitor/format.js";

const cbor = (value: unknown) => new Uint8Array(new Encoder({ useRecords: false, mapsAsObjects: false } as ConstructorParameters<typeof Encoder>[0]).encode(value));
const text = (s: string) => new TextEncoder().encode(s);
const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ""), "hex"));

const TELE = encodePack({ nodeId: "pump-7", bootId: "9f3a01c2", seq: 42, epochAtBoot: 1_764_045_000_000 }, [
  { quality: "good" as const, channel: "temp", unit: "Cel", value: 21.37, at: 250 },
  { quality: "good" as const, channel: "rh", unit: "%RH", value: 45.2, at: 1250 },
]);

/** Topic, payload, and the line the monitor prints for it. */
const LINES: [string, Uint8Array, string | RegExp][] = [
  ["fieldnode/pump-7/tele", TELE, "tele pump-7 boot=9f3a01c2 seq=42 2025-11-25T04:30:00.250Z temp=21.37 Cel, rh=45.2 %RH @+1s"],
  ["fieldnode/pump-7/state", text("online"), "state pump-7 online"],
  ["fieldnode/pump-7/birth", cbor(new Map<unknown, unknown>([["fw", "0.1.0"], ["boot", "9f3a01c2"], ["channels", [new Map([["n", "temp"], ["u", "Cel"]])]]])),
    'birth pump-7 {"fw":"0.1.0","boot":"9f3a01c2","channels":[{"n":"temp","u":"Cel"}]}'],
  ["fieldnode/pump-7/evt", cbor(new Map<unknown, unknown>([["type", "fault"], ["ch", "temp"], ["raw", new Uint8Array([1, 2])]])),
    `evt pump-7 {"type":"fault","ch":"temp","raw":"h'0102'"}`],
  ["fieldnode/pump-7/resp", cbor(new Map<unknown, unknown>([["id", "c1"], ["ok", true]])), 'resp pump-7 {"id":"c1","ok":true}'],
  ["fieldnode/pump-7/cmd/reboot", cbor(new Map([["id", "c2"]])), 'cmd pump-7 reboot {"id":"c2"}'],
  ["fieldnode/pump-7/tele", text("garbage"), /^WARN fieldnode\/pump-7\/tele: tele: not CBOR: .* \(7 bytes: 67617262616765\)$/],
  ["fieldnode/pump-7/tele", TELE.subarray(0, 10), /^WARN fieldnode\/pump-7\/tele: tele: not CBOR/],
  ["fieldnode/other/tele", TELE, 'WARN fieldnode/other/tele: tele: base name "pump-7:" does not match the topic\'s node (' + TELE.length + " bytes: " + Buffer.from(TELE.subarray(0, 32)).toString("hex") + "…)"],
  ["fieldnode/pump-7/state", text("maybe"), 'WARN fieldnode/pump-7/state: state: expected online or offline, got "maybe" (5 bytes: 6d61796265)'],
  ["fieldnode/pump-7/state", hex("ff fe"), /^WARN fieldnode\/pump-7\/state: undecodable: .*\(2 bytes: fffe\)$/],
  ["fieldnode/pump-7/birth", cbor([1, 2]), "WARN fieldnode/pump-7/birth: birth: expected a CBOR map (3 bytes: 820102)"],
  ["fieldnode/pump-7/evt", new Uint8Array(0), "WARN fieldnode/pump-7/evt: evt: empty payload (0 bytes: empty)"],
  ["fieldnode/pump-7/foo", text("x"), 'WARN fieldnode/pump-7/foo: unknown topic kind "foo" (1 bytes: 78)'],
  ["fieldnode/pump-7", text("x"), "WARN fieldnode/pump-7: topic has no node and message kind (1 bytes: 78)"],
  ["elsewhere/pump-7/tele", TELE, /^WARN elsewhere\/pump-7\/tele: topic outside the prefix "fieldnode"/],
];

for (const [index, [topic, payload, expected]] of LINES.entries()) {
  test(`line ${index} for ${topic}`, (t) => {
    const line = formatText(decodeMessage(topic, payload, "fieldnode"));
    if (typeof expected === "string") t.is(line, expected);
    else t.regex(line, expected);
  });
}

test("flags HIST and UPTIME, and findings after !!", (t) => {
  const bytes = encodePack({ nodeId: "n", bootId: "b", seq: 3, historical: true }, [{ quality: "good" as const, channel: "temp", unit: "Cel", value: 20, at: 5000 }]);
  const line = formatText(decodeMessage("fieldnode/n/tele", bytes, "fieldnode"), [{ type: "GAP", from: 1, to: 2 }, { type: "REPLAY", seq: 3, historical: true, fills: false, unknown: false }]);
  t.is(line, "tele n boot=b seq=3 +5s HIST UPTIME temp=20 Cel !! GAP 1-2 (2 missing) REPLAY 3 (hist)");
});

test("--json lines are one parseable object with the decoded fields and findings", (t) => {
  const message = decodeMessage("fieldnode/pump-7/tele", TELE, "fieldnode");
  const object = JSON.parse(formatJson(message, [{ type: "DUP", seq: 42 }], new Date(0)));
  t.like(object, { received: "1970-01-01T00:00:00.000Z", kind: "tele", node: "pump-7", pack: { seq: 42, boot: "9f3a01c2", historical: false }, findings: [{ type: "DUP", seq: 42 }] });
  t.is(object.pack.readings[1].name, "pump-7:rh");
  const warning = JSON.parse(formatJson(decodeMessage("fieldnode/x/tele", hex("ff"), "fieldnode")));
  t.like(warning, { kind: "warning", node: "x", size: 1, head: "ff" });
});

test("fuzz: 10,000 random and mutated payloads never throw, and every one gets a line", (t) => {
  const random = seededRandom(0x5eed);
  const kinds = ["tele", "state", "birth", "evt", "resp", "cmd/x", "cmd", "zzz", "tele/extra"];
  let warnings = 0;
  for (let i = 0; i < 10_000; i++) {
    let payload: Uint8Array;
    if (i % 2 === 0) {
      payload = new Uint8Array(Math.floor(random() * 64));
      for (let j = 0; j < payload.length; j++) payload[j] = Math.floor(random() * 256);
    } else {
      // A real pack with a few bytes flipped, cut or extended: close to valid, so deep paths run.
      payload = Uint8Array.from(TELE);
      for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) payload[Math.floor(random() * payload.length)] = Math.floor(random() * 256);
      if (random() < 0.3) payload = payload.subarray(0, Math.floor(random() * payload.length));
    }
    const topic = `fieldnode/pump-7/${kinds[Math.floor(random() * kinds.length)]}`;
    let message: MonitorMessage | undefined;
    let line = "";
    try {
      message = decodeMessage(topic, payload, "fieldnode");
      line = formatText(message);
      JSON.parse(formatJson(message));
    } catch (error) {
      t.fail(`payload ${i} on ${topic} threw: ${String(error)} (${Buffer.from(payload).toString("hex")})`);
      return;
    }
    if (message.kind === "warning") warnings++;
    t.true(line.length > 0 && !line.includes("\n"), `payload ${i}: one line`);
  }
  t.true(warnings > 5000, `most garbage is flagged (${warnings})`);
});
