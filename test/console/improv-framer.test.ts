import test from "ava";
import { ImprovFramer } from "../../modules/console/improv-framer.js";
import { LineReader, type LineEvent } from "../../modules/console/line-reader.js";
import { improvPacket, improvRpc, improvWifi } from "../helpers/improv-client.js";
import { randomInt, seededRandom } from "../helpers/seeded-random.js";

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

/** A framer in front of a line reader; returns the lines, packets and bad-packet reasons, fed in `chunk`-byte pieces. */
function run(input: Uint8Array, chunk = input.length || 1) {
  const lines: LineEvent[] = [];
  const packets: { type: number; data: number[] }[] = [];
  const bad: string[] = [];
  const reader = new LineReader((event) => lines.push(event));
  const framer = new ImprovFramer({ text: (b) => reader.feed(b), packet: (type, data) => packets.push({ type, data: [...data] }), bad: (r) => bad.push(r) });
  for (let i = 0; i < input.length; i += chunk) framer.feed(input.subarray(i, i + chunk));
  return { lines: lines.map((e) => ("line" in e ? e.line : `overflow ${e.overflow}`)), packets, bad };
}

const cases: { label: string; input: Uint8Array; lines: string[]; packets: number; bad: number }[] = [
  { label: "plain text passes", input: ascii("help\r\nstatus\n"), lines: ["help", "status"], packets: 0, bad: 0 },
  { label: "a packet between lines", input: concat(ascii("help\n"), improvRpc(3), ascii("status\n")), lines: ["help", "status"], packets: 1, bad: 0 },
  { label: "a packet inside a typed line leaves the line whole", input: concat(ascii("sta"), improvRpc(2), ascii("tus\n")), lines: ["status"], packets: 1, bad: 0 },
  { label: "a packet followed by the client's newline", input: concat(improvRpc(2), ascii("\n")), lines: [""], packets: 1, bad: 0 },
  { label: "IMPROV as text (no version 1) is text", input: ascii("set node.site IMPROVED\n"), lines: ["set node.site IMPROVED"], packets: 0, bad: 0 },
  { label: "IMPRO then I restarts the header", input: concat(ascii("IMPRO"), improvRpc(2), ascii("x\n")), lines: ["IMPROx"], packets: 1, bad: 0 },
  { label: "version 2 is text", input: ascii("IMPROV\x02x\n"), lines: ["IMPROVx"], packets: 0, bad: 0 },
  { label: "bad checksum: reported, dropped whole, text after it kept", input: concat(improvRpc(2).map((b, i, a) => (i === a.length - 1 ? b ^ 1 : b)), ascii("help\n")), lines: ["help"], packets: 0, bad: 1 },
  { label: "data holding CR/LF stays packet data", input: concat(improvWifi("net\n", "pw\r\n12345"), ascii("help\n")), lines: ["help"], packets: 1, bad: 0 },
  { label: "two packets back to back", input: concat(improvRpc(2), improvRpc(3)), lines: [], packets: 2, bad: 0 },
];

for (const c of cases)
  for (const chunk of [1, 3, 1000])
    test(`framer: ${c.label} (chunks of ${chunk})`, (t) => {
      const out = run(c.input, chunk);
      t.deepEqual(out.lines, c.lines);
      t.is(out.packets.length, c.packets);
      t.is(out.bad.length, c.bad);
    });

test("framer: a packet's type and data come out as sent", (t) => {
  const out = run(improvPacket(0x03, [0x01, 0x02, 0xaa, 0xbb]));
  t.deepEqual(out.packets, [{ type: 0x03, data: [0x01, 0x02, 0xaa, 0xbb] }]);
});

test("framer: the checksum is the low byte of the sum of every byte before it", (t) => {
  const packet = improvPacket(0x03, [0xff, 0xff, 0xff]);
  const sum = [...packet.subarray(0, -1)].reduce((a, b) => a + b, 0);
  t.is(packet[packet.length - 1], sum & 0xff);
  t.is(run(packet).packets.length, 1);
});

/** Junk that never holds a whole "IMPROV\x01" header, rich in header bytes to exercise the partial matches. */
function junk(random: () => number): Uint8Array {
  const alphabet = [..."IMPROV"].map((c) => c.charCodeAt(0)).concat([1, 0x1b, 0x5b, 0x0d, 0x0a, 0x08, 0x7f, 0x03, 0x15]);
  const out: number[] = [];
  for (let n = randomInt(random, 24); n > 0; n--) out.push(random() < 0.5 ? alphabet[randomInt(random, alphabet.length)] : randomInt(random, 256));
  const text = String.fromCharCode(...out);
  return text.includes("IMPROV\x01") ? new Uint8Array(0) : Uint8Array.from(out);
}

test("framer: seeded random bytes, packets and text lines: no text line lost, every good packet seen, nothing thrown", (t) => {
  for (let seed = 1; seed <= 300; seed++) {
    const random = seededRandom(seed);
    const parts: Uint8Array[] = [];
    const expectedLines: string[] = [];
    let goodPackets = 0;
    let badPackets = 0;
    for (let step = 0; step < 12; step++) {
      const pick = random();
      if (pick < 0.3) {
        // Junk ends with a line end (and ESC is closed by it), so the next text line starts clean.
        parts.push(junk(random), ascii("\n"));
      } else if (pick < 0.5) {
        const data = Array.from({ length: randomInt(random, 40) }, () => randomInt(random, 256));
        const packet = improvPacket(randomInt(random, 5), data);
        if (random() < 0.3) {
          packet[packet.length - 1] ^= 1 + randomInt(random, 255);
          badPackets++;
        } else goodPackets++;
        parts.push(packet);
      } else {
        const line = `set node.site l${seed}-${step}`;
        expectedLines.push(line);
        parts.push(ascii(`${line}\n`));
      }
    }
    const input = concat(...parts);
    const out = run(input, 1 + randomInt(random, 16));
    const seen = out.lines.filter((l) => l.startsWith("set node.site l"));
    t.deepEqual(seen, expectedLines, `seed ${seed}`);
    t.is(out.packets.length, goodPackets, `seed ${seed}`);
    t.is(out.bad.length, badPackets, `seed ${seed}`);
  }
});
