import test from "ava";
import MAX31855 from "../../../modules/io/drivers/max31855.js";
import { MAX31855Model, type ThermocoupleState } from "../../../modules/io/models/max31855-model.js";
import { SPIBusModel, type SPIDeviceModel } from "../../../modules/io/models/spi-bus-model.js";
import { randomInt, seededRandom } from "../../helpers/seeded-random.js";

function setup(seed = 1) {
  const state: ThermocoupleState = { thermocouple: 100, internal: 25 };
  const chip = new MAX31855Model(() => ({ ...state }), seededRandom(seed));
  const log: string[] = [];
  const recorder: SPIDeviceModel = {
    begin: () => void (log.push("select"), chip.begin()),
    exchange: (out, into) => void (chip.exchange(out, into), log.push(`read ${Buffer.from(into).toString("hex")}`)),
    end: () => void (log.push("release"), chip.end()),
  };
  const bus = new SPIBusModel();
  bus.attach(5, recorder);
  const errors: string[] = [];
  const open = () => new MAX31855({ sensor: { io: bus.ioClass(), clock: 18, in: 19, select: 5 }, onError: (m) => void errors.push(m) });
  return { state, chip, bus, log, errors, open };
}

// Datasheet table 4: thermocouple temperature -> D31..D18 (14-bit, 0.25 °C).
const THERMOCOUPLE: [number, number][] = [
  [1600, 0b01_1001_0000_0000],
  [1000, 0b00_1111_1010_0000],
  [100.75, 0b00_0001_1001_0011],
  [25, 0b00_0000_0110_0100],
  [0, 0],
  [-0.25, 0b11_1111_1111_1111],
  [-1, 0b11_1111_1111_1100],
  [-250, 0b11_1100_0001_1000],
];
// Datasheet table 5: internal temperature -> D15..D4 (12-bit, 0.0625 °C).
const INTERNAL: [number, number][] = [
  [127, 0b0111_1111_0000],
  [100.5625, 0b0110_0100_1001],
  [25, 0b0001_1001_0000],
  [0.0625, 0b0000_0000_0001],
  [-0.0625, 0b1111_1111_1111],
  [-1, 0b1111_1111_0000],
  [-20, 0b1110_1100_0000],
  [-55, 0b1100_1001_0000],
];

for (const [celsius, bits] of THERMOCOUPLE)
  test(`table 4: a thermocouple at ${celsius} °C reads D31..D18 = ${bits.toString(2).padStart(14, "0")}`, (t) => {
    const frame = ((bits << 18) | (0x190 << 4)) >>> 0; // internal 25 °C
    t.is(MAX31855Model.frame(celsius, 25), frame, "the model builds the datasheet's frame");
    const sample = MAX31855.decode(frame);
    t.deepEqual(sample.thermocouple, { value: celsius, quality: "good" });
    t.deepEqual(sample.internal, { value: 25, quality: "good" });
  });

for (const [celsius, bits] of INTERNAL)
  test(`table 5: the chip at ${celsius} °C reads D15..D4 = ${bits.toString(2).padStart(12, "0")}`, (t) => {
    const frame = ((0x64 << 18) | (bits << 4)) >>> 0; // thermocouple 25 °C
    t.is(MAX31855Model.frame(25, celsius), frame);
    t.deepEqual(MAX31855.decode(frame).internal, { value: celsius, quality: "good" });
  });

// Table 2: D16 fault, D2 SCV, D1 SCG, D0 OC.
const FAULT_FRAMES: [string, number, string][] = [
  ["OC", 0x00011901, "open_loop"],
  ["SCG", 0x00011902, "short_gnd"],
  ["SCV", 0x00011904, "short_vcc"],
  ["D16 without a cause", 0x00011900, "sensor_fault"],
];
for (const [name, frame, reason] of FAULT_FRAMES)
  test(`fault ${name} (0x${frame.toString(16).padStart(8, "0")}): thermocouple bad ${reason}, internal still good`, (t) => {
    t.deepEqual(MAX31855.decode(frame), { thermocouple: { quality: "bad", reason }, internal: { value: 25, quality: "good" } });
  });

for (const [name, frame] of [
  ["all zeros (MISO stuck low)", 0],
  ["all ones (no chip, MISO pulled up)", 0xffffffff],
  ["reserved D17 set", 0x01920190],
  ["reserved D3 set", 0x01900198],
] as const)
  test(`an implausible frame, ${name}, is bad nack for both values`, (t) => {
    t.deepEqual(MAX31855.decode(frame), { thermocouple: { quality: "bad", reason: "nack" }, internal: { quality: "bad", reason: "nack" } });
  });

test("one transaction per sample: select, 4 bytes, release; the model answers the datasheet frame", (t) => {
  const { open, log } = setup();
  const sensor = open();
  t.deepEqual(sensor.sample(), { thermocouple: { value: 100, quality: "good" }, internal: { value: 25, quality: "good" } });
  // 100 °C = 400 = 0x190 << 18; 25 °C = 0x190 << 4.
  t.deepEqual(log, ["select", "read 06401900", "release"]);
});

test("the model's injected faults reach the driver as reasons", (t) => {
  const { open, chip } = setup();
  const sensor = open();
  for (const [fault, reason] of [["open", "open_loop"], ["shortGnd", "short_gnd"], ["shortVcc", "short_vcc"]] as const) {
    chip.faults[fault] = true;
    t.deepEqual(sensor.sample().thermocouple, { quality: "bad", reason });
    chip.faults[fault] = false;
  }
  chip.faults.stuck = 0;
  t.is(sensor.sample().internal.reason, "nack");
  chip.faults.stuck = undefined;
  t.is(sensor.sample().thermocouple.quality, "good");
});

test("no chip on the select pin: bad nack; a closed bus: bad nack, onError told, no throw", (t) => {
  const { open, bus, errors } = setup();
  const sensor = open();
  bus.detach(5);
  t.is(sensor.sample().thermocouple.reason, "nack");
  sensor.close();
  t.is(sensor.sample().thermocouple.reason, "nack");
  t.deepEqual(errors, ["spi: SPI closed"]);
  t.notThrows(() => open().close(), "close released the select pin");
});

test("constructor checks: an SPI constructor and a select pin are required", (t) => {
  const { bus } = setup();
  t.throws(() => new MAX31855({ sensor: { io: undefined as never, select: 5 } }), { instanceOf: TypeError, message: "sensor.io must be an SPI constructor" });
  t.throws(() => new MAX31855({ sensor: { io: bus.ioClass(), select: undefined as never } }), { instanceOf: TypeError, message: "sensor.select must be a pin number, got undefined" });
});

test("seeded random faults: never a wrong good value, never a throw", (t) => {
  const random = seededRandom(31855);
  const { open, chip, state } = setup(7);
  const sensor = open();
  let goods = 0;
  for (let step = 0; step < 5000; step++) {
    state.thermocouple = random() * 1400 - 200;
    state.internal = random() * 100 - 20;
    const fault = randomInt(random, 7);
    chip.faults.open = fault === 0;
    chip.faults.shortGnd = fault === 1;
    chip.faults.shortVcc = fault === 2;
    chip.faults.stuck = fault === 3 ? 0 : fault === 4 ? 1 : undefined;
    chip.faults.noise = fault === 5 ? 2 : 0;
    let sample: ReturnType<typeof sensor.sample> | undefined;
    t.notThrows(() => (sample = sensor.sample()));
    const { thermocouple, internal } = sample!;
    if (thermocouple.quality === "good") {
      goods++;
      t.true(fault === 5 || fault === 6, `good thermocouple under fault ${fault}`);
      t.true(Math.abs(thermocouple.value! - state.thermocouple) <= 2.125, `${thermocouple.value} vs ${state.thermocouple}`);
    } else t.false("value" in thermocouple);
    if (internal.quality === "good") t.true(Math.abs(internal.value! - state.internal) <= 0.03125 + 1e-9);
  }
  t.true(goods > 1000);
});
