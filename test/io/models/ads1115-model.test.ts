import test from "ava";
import { ADS1115Model } from "../../../modules/io/models/ads1115-model.js";
import { FakeTimers } from "../../helpers/fake-timers.js";

const word = (bytes: Uint8Array) => (bytes[0] << 8) | bytes[1];

test("power-on: config register 0x8583 (SBAS444 9.6.3), conversion register 0", (t) => {
  const chip = new ADS1115Model(() => 0);
  chip.write(new Uint8Array([1]));
  t.is(word(chip.read(2)), 0x8583);
  chip.write(new Uint8Array([0]));
  t.is(word(chip.read(2)), 0);
});

test("a single shot: OS reads 0 for 1/DR s, then 1 with the code in the conversion register", (t) => {
  const time = new FakeTimers();
  const chip = new ADS1115Model(() => time.monotonic());
  chip.inputs[2] = () => 0.512;
  chip.write(new Uint8Array([1, 0xe5, 0xa3])); // AIN2, ±2.048 V, 250 SPS: 4 ms
  chip.write(new Uint8Array([1]));
  t.is(word(chip.read(2)), 0x65a3);
  time.advance(4);
  t.is(word(chip.read(2)), 0xe5a3);
  chip.write(new Uint8Array([0]));
  t.is(word(chip.read(2)), 0x2000, "0.512 V at 62.5 uV per code");
});

test("differential MUX 000 subtracts AIN1 from AIN0", (t) => {
  const time = new FakeTimers();
  const chip = new ADS1115Model(() => time.monotonic());
  chip.inputs[0] = () => 1.0;
  chip.inputs[1] = () => 1.5;
  chip.write(new Uint8Array([1, 0x85, 0x83]));
  time.advance(8);
  chip.write(new Uint8Array([0]));
  t.is(word(chip.read(2)), 0x10000 - 8000, "-0.5 V at ±2.048 V (62.5 uV per code) is -8000");
});

test("faults: nack throws on every transaction, stuck never finishes", (t) => {
  const time = new FakeTimers();
  const chip = new ADS1115Model(() => time.monotonic());
  chip.faults.stuck = true;
  chip.write(new Uint8Array([1, 0xc3, 0x83]));
  time.advance(1000);
  t.is(word(chip.read(2)) & 0x8000, 0);
  chip.faults.nack = true;
  t.throws(() => chip.read(2), { message: "NACK" });
  t.throws(() => chip.write(new Uint8Array([0])), { message: "NACK" });
  chip.faults.nack = false;
  t.throws(() => chip.write(new Uint8Array([7])), { message: "NACK: pointer 7" });
  t.throws(() => chip.write(new Uint8Array([1, 2])), { message: "NACK: write of 2 bytes" });
});

test("noise: conversions scatter within ±noise of the input", (t) => {
  const time = new FakeTimers();
  const chip = new ADS1115Model(() => time.monotonic());
  chip.inputs[0] = () => 1;
  chip.faults.noise = 0.01;
  const codes = new Set<number>();
  for (let i = 0; i < 50; i++) {
    chip.write(new Uint8Array([1, 0xc3, 0xe3])); // AIN0, ±4.096 V, 860 SPS
    time.advance(2);
    chip.write(new Uint8Array([0]));
    const code = word(chip.read(2));
    codes.add(code);
    t.true(Math.abs(code - 8000) <= 80 + 1, `${code}`);
  }
  t.true(codes.size > 10);
});
