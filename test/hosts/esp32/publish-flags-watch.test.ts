import test from "ava";
import mqttPacket from "mqtt-packet";
import { PublishFlagsWatch } from "../../../hosts/esp32/publish-flags-watch.js";
import { seededRandom } from "../../helpers/seeded-random.js";

const publish = (topic: string, size: number, retain: boolean, qos: 0 | 1 = 1) =>
  mqttPacket.generate({ cmd: "publish", topic, payload: Buffer.alloc(size, 0xa5), qos, retain, dup: false, ...(qos ? { messageId: 9 } : {}) });
const others = [mqttPacket.generate({ cmd: "pingresp" }), mqttPacket.generate({ cmd: "puback", messageId: 0x3131 }),
  mqttPacket.generate({ cmd: "suback", messageId: 2, granted: [1] })];
const toBuffer = (bytes: Buffer) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

/**
 * Reads `stream` the way the SDK client does: headers byte by byte as numbers,
 * payloads as ArrayBuffers in pieces; records the watch's retain flag at the
 * moment the client would report each PUBLISH's topic (after its header).
 */
function readLikeTheClient(stream: { packet: Buffer; publish: boolean }[], random: () => number): boolean[] {
  const watch = new PublishFlagsWatch();
  const seen: boolean[] = [];
  for (const { packet, publish: isPublish } of stream) {
    let headerEnd = 1;
    while (packet[headerEnd] & 0x80) headerEnd++;
    headerEnd++;
    for (let i = 0; i < headerEnd; i++) watch.observe(packet[i]);
    watch.observe(undefined);
    if (isPublish) seen.push(watch.retain);
    for (let at = headerEnd; at < packet.length;) {
      if (random() < 0.3) { watch.observe(packet[at++]); continue; }
      const n = 1 + Math.floor(random() * Math.min(packet.length - at, 700));
      watch.observe(toBuffer(packet.subarray(at, at + n)));
      at += n;
    }
  }
  return seen;
}

test("before any PUBLISH the retain flag is false", (t) => {
  t.false(new PublishFlagsWatch().retain);
});

test("the retain flag follows each PUBLISH through a stream of mixed packets (seeded, 500 runs)", (t) => {
  const random = seededRandom(0x2e7a1);
  let bad = "";
  for (let run = 0; run < 500 && bad === ""; run++) {
    const stream: { packet: Buffer; publish: boolean }[] = [];
    const expected: boolean[] = [];
    for (let i = 0; i < 1 + Math.floor(random() * 8); i++) {
      if (random() < 0.4) stream.push({ packet: others[Math.floor(random() * others.length)], publish: false });
      else {
        const retain = random() < 0.5;
        expected.push(retain);
        // Sizes across the 1-, 2- and 3-byte remaining lengths.
        const size = [0, 10, 200, 20_000][Math.floor(random() * 4)];
        stream.push({ packet: publish(`f/n/cmd/v${i}`, size, retain, random() < 0.5 ? 0 : 1), publish: true });
      }
    }
    const seen = readLikeTheClient(stream, random);
    if (JSON.stringify(seen) !== JSON.stringify(expected)) bad = `run ${run}: saw ${JSON.stringify(seen)}, expected ${JSON.stringify(expected)}`;
  }
  t.is(bad, "");
});

test("anything but a number or an ArrayBuffer is ignored", (t) => {
  const watch = new PublishFlagsWatch();
  for (const value of [undefined, null, "x", {}, new Uint8Array([0x31])]) watch.observe(value);
  watch.observe(0x31);
  t.true(watch.retain);
});
