import test from "ava";
import mqttPacket from "mqtt-packet";
import { MqttFramer, type FramerResult } from "../../../hosts/node/mqtt-framer.js";
import { seededRandom } from "../../helpers/seeded-random.js";

const publish = (topic: string, size: number, qos: 0 | 1, messageId = 1, retain = false) =>
  mqttPacket.generate({ cmd: "publish", topic, payload: Buffer.alloc(size, 0x5a), qos, retain, dup: false, ...(qos ? { messageId } : {}) });
const pingresp = mqttPacket.generate({ cmd: "pingresp" });

/** What a framer makes of `stream` fed in the given piece sizes, as comparable text. */
function run(max: number, stream: Buffer, pieces: number[]): string[] {
  const framer = new MqttFramer(max);
  const out: string[] = [];
  let at = 0;
  let stopped = false;
  const feed = (chunk: Buffer) => {
    if (stopped) return;
    const result: FramerResult = framer.push(chunk);
    for (const item of result.items) out.push(item.kind === "packet" ? `packet ${item.bytes.toString("hex")}` : `skipped ${item.topic} q${item.qos} r${item.retain} id${item.messageId} ${item.bytes} (${item.payloadBytes})`);
    if (result.error !== undefined) { out.push(`error ${result.error}`); stopped = true; }
  };
  for (const size of pieces) { feed(stream.subarray(at, at + size)); at += size; }
  if (at < stream.length) feed(stream.subarray(at));
  if (framer.midPacket) out.push("mid-packet");
  return out;
}

const cases: { title: string; max: number; stream: Buffer; expected: string[] }[] = [
  { title: "packets under the bound come out whole", max: 64, stream: Buffer.concat([pingresp, publish("a/b", 3, 0)]),
    expected: [`packet ${pingresp.toString("hex")}`, `packet ${publish("a/b", 3, 0).toString("hex")}`] },
  { title: "a PUBLISH over the bound is skipped with its topic, QoS, retain, id and size", max: 64,
    stream: Buffer.concat([publish("x/cmd/ping", 1000, 1, 513, true), pingresp]),
    // 1,000 payload + 2 + 10 topic + 2 id = 1,014 remaining, 2 bytes of remaining length + 1.
    expected: ["skipped x/cmd/ping q1 rtrue id513 1017 (1000)", `packet ${pingresp.toString("hex")}`] },
  { title: "a QoS 0 PUBLISH over the bound has id 0", max: 16, stream: publish("t", 100, 0), expected: ["skipped t q0 rfalse id0 105 (100)"] },
  { title: "a SUBACK over the bound is an error", max: 16, stream: Buffer.from([0x90, 0xff, 0x01]),
    expected: ["error packet of 258 bytes exceeds the 16-byte limit"] },
  { title: "a remaining length of five bytes is an error", max: 16, stream: Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]),
    expected: ["error malformed remaining length"] },
  { title: "a topic length past the packet is an error", max: 4, stream: Buffer.from([0x30, 0x05, 0x00, 0x09, 0x61, 0x61, 0x61]),
    expected: ["error PUBLISH topic length 9 runs past the packet"] },
  { title: "a topic that is not UTF-8 is an error", max: 4, stream: Buffer.from([0x30, 0x05, 0x00, 0x02, 0xc3, 0x28, 0x00]),
    expected: ["error PUBLISH topic is not UTF-8"] },
  { title: "a stream that ends inside a skipped body is mid-packet", max: 16, stream: publish("t", 100, 1).subarray(0, 50),
    expected: ["mid-packet"] },
];

for (const { title, max, stream, expected } of cases) {
  test(title, (t) => {
    t.deepEqual(run(max, stream, []), expected);
    t.deepEqual(run(max, stream, Array.from({ length: stream.length }, () => 1)), expected, "fed a byte at a time");
  });
}

test("after an error the framer stays stopped", (t) => {
  const framer = new MqttFramer(16);
  t.is(framer.push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])).error, "malformed remaining length");
  t.deepEqual(framer.push(pingresp), { items: [], error: "malformed remaining length" });
});

test("seeded: any split of a stream of small and oversize packets gives the same items (2,000 runs)", (t) => {
  const random = seededRandom(0xf4a3e);
  let bad = "";
  for (let runNo = 0; runNo < 2000 && bad === ""; runNo++) {
    const parts: Buffer[] = [];
    for (let i = 0; i < 1 + Math.floor(random() * 6); i++) {
      const r = random();
      parts.push(r < 0.3 ? pingresp : publish(`t/${i}`, Math.floor(random() * 400), random() < 0.5 ? 0 : 1, 1 + i, random() < 0.2));
    }
    const stream = Buffer.concat(parts);
    const whole = run(128, stream, []);
    const pieces: number[] = [];
    for (let left = stream.length; left > 0;) { const n = 1 + Math.floor(random() * Math.min(left, 300)); pieces.push(n); left -= n; }
    const split = run(128, stream, pieces);
    if (JSON.stringify(split) !== JSON.stringify(whole)) bad = `run ${runNo}: pieces ${pieces.join(",")}`;
    if (whole.length !== parts.length) bad = `run ${runNo}: ${whole.length} items for ${parts.length} packets`;
  }
  t.is(bad, "");
});
