import test from "ava";
import { sensirionCrc8 } from "../../modules/io/sensirion-crc.js";
import { randomInt, seededRandom } from "../helpers/seeded-random.js";

/** Published vectors: two data bytes → their CRC byte. */
const vectors: { label: string; data: number[]; crc: number }[] = [
  // SHT3x datasheet section 4.12 (and SGP30, SHT4x): "CRC (0xBEEF) = 0x92".
  { label: "SHT3x datasheet 0xBEEF", data: [0xbe, 0xef], crc: 0x92 },
  // SCD30 interface description, "trigger continuous measurement" with argument 0x0000: CRC 0x81.
  { label: "SCD30 argument 0x0000", data: [0x00, 0x00], crc: 0x81 },
  // SCD4x datasheet, set_temperature_offset example (5.4 °C → 0x07E6): CRC 0x48.
  { label: "SCD4x temperature offset 0x07E6", data: [0x07, 0xe6], crc: 0x48 },
];

for (const { label, data, crc } of vectors) {
  test(`sensirionCrc8: ${label} → 0x${crc.toString(16)}`, (t) => {
    t.is(sensirionCrc8(Uint8Array.from(data)), crc);
  });
}

test("no bytes: the init value 0xFF", (t) => {
  t.is(sensirionCrc8(new Uint8Array(0)), 0xff);
});

test("start and length select the word inside a longer frame", (t) => {
  // An SHT3x answer: temperature word, CRC, humidity word, CRC.
  const frame = Uint8Array.from([0xbe, 0xef, 0x92, 0x07, 0xe6, 0x48]);
  t.is(sensirionCrc8(frame, 0, 2), 0x92);
  t.is(sensirionCrc8(frame, 3, 2), 0x48);
  // Length defaults to the rest of the buffer.
  t.is(sensirionCrc8(frame, 4), sensirionCrc8(Uint8Array.from([0xe6, 0x48])));
});

/** Independent reference: polynomial long division by x^8+x^5+x^4+1 (0x131), MSB first. */
function referenceCrc(bytes: number[]): number {
  let register = 0xff;
  for (const byte of bytes) {
    register ^= byte;
    for (let bit = 0; bit < 8; bit++) {
      register <<= 1;
      if (register & 0x100) register ^= 0x131;
    }
  }
  return register;
}

test("matches polynomial division on 10k seeded random inputs, and a frame with its CRC leaves 0", (t) => {
  const random = seededRandom(0xc8c);
  let bad = "";
  for (let run = 0; run < 10_000; run++) {
    const data = Array.from({ length: randomInt(random, 9) }, () => randomInt(random, 256));
    const crc = sensirionCrc8(Uint8Array.from(data));
    if (crc !== referenceCrc(data) && !bad) bad = `${data}: ${crc} vs ${referenceCrc(data)}`;
    // No reflection and no final XOR: appending the CRC gives remainder 0.
    if (sensirionCrc8(Uint8Array.from([...data, crc])) !== 0 && !bad) bad = `${data}: residue not 0`;
    if ((crc & ~0xff) !== 0 && !bad) bad = `${data}: ${crc} is not a byte`;
  }
  t.is(bad, "");
});

test("every single-bit error in a word changes its CRC", (t) => {
  const word = Uint8Array.from([0x66, 0x67]);
  const crc = sensirionCrc8(word);
  for (let bit = 0; bit < 16; bit++) {
    const flipped = word.slice();
    flipped[bit >> 3] ^= 0x80 >> (bit & 7);
    t.not(sensirionCrc8(flipped), crc, `bit ${bit}`);
  }
});
