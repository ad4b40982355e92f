import test from "ava";
import SHT3x from "../../../modules/io/drivers/sht3x.js";
import { I2CBusModel, type I2CDeviceModel } from "../../../modules/io/models/i2c-bus-model.js";
import { SHT3xModel, type Climate } from "../../../modules/io/models/sht3x-model.js";
import { sensirionCrc8 } from "../../../modules/io/sensirion-crc.js";
import type { I2CBus, I2COptions } from "../../../modules/platform.js";
import { FakeTimers } from "../../helpers/fake-timers.js";
import { seededRandom } from "../../helpers/seeded-random.js";

const T_LSB = 175 / 65535;
const RH_LSB = 100 / 65535;
const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");

/** An SHT3x model at `address` on a model bus, wrapped to record every transaction as text. */
function setup(address = 0x44) {
  const climate: Climate = { temperature: 22, humidity: 45 };
  const chip = new SHT3xModel(() => ({ ...climate }));
  const transactions: string[] = [];
  const recorder: I2CDeviceModel = {
    write(bytes) {
      transactions.push(`write ${hex(bytes)}`);
      chip.write(bytes);
    },
    read(byteLength) {
      transactions.push(`read ${byteLength}`);
      return chip.read(byteLength);
    },
  };
  const bus = new I2CBusModel();
  bus.attach(address, recorder);
  const errors: string[] = [];
  const timers = new FakeTimers();
  /** Opens the driver and lets its 2 ms soft-reset timer run, as the channels' scheduler would. */
  const open = (options: Partial<I2COptions> = {}) => {
    const sensor = new SHT3x({ sensor: { io: bus.ioClass(), data: 21, clock: 22, ...options }, timers, onError: (message) => void errors.push(message) });
    timers.advance(2);
    return sensor;
  };
  return { climate, chip, bus, transactions, errors, open, timers };
}

test("the exact commands: soft reset and periodic mode at open, fetch and 6-byte read per sample, break at close", (t) => {
  const { transactions, open } = setup();
  const sensor = open();
  // 0x30A2 soft reset; 0x2130 periodic, 1 measurement per second, high repeatability.
  t.deepEqual(transactions, ["write 30a2", "write 2130"]);
  sensor.sample();
  sensor.sample();
  // 0xE000 fetch data, then temperature word + CRC, humidity word + CRC.
  t.deepEqual(transactions.slice(2), ["write e000", "read 6", "write e000", "read 6"]);
  sensor.close();
  // 0x3093 break: the chip leaves periodic mode.
  t.deepEqual(transactions.slice(6), ["write 3093"]);
});

test("close() releases the bus: a later sample is an error, not an exception; a second close does nothing", (t) => {
  const { errors, open, transactions, bus } = setup();
  const sensor = open();
  sensor.close();
  sensor.close();
  t.is(sensor.sample(), undefined);
  t.deepEqual(errors, ["closed"]);
  t.deepEqual(bus.handles, { opened: 1, closed: 1 });
  t.is(transactions.at(-1), "write 3093");
});

test("close() with the chip gone still releases the bus without throwing", (t) => {
  const { chip, open, errors } = setup();
  const sensor = open();
  chip.faults.absent = true;
  t.notThrows(() => sensor.close());
  chip.faults.absent = false;
  t.is(sensor.sample(), undefined);
  t.deepEqual(errors, ["closed"]);
});

test("bus options: the driver's defaults (0x44, 100 kHz) overlaid by the caller's", (t) => {
  const seen: I2COptions[] = [];
  const FakeI2C = class implements I2CBus {
    constructor(options: I2COptions) {
      seen.push({ ...options });
    }
    write(): void {}
    read(target: number | Uint8Array): ArrayBuffer {
      return new ArrayBuffer(typeof target === "number" ? target : target.byteLength);
    }
    close(): void {}
  };
  new SHT3x({ sensor: { io: FakeI2C, data: 21, clock: 22 } });
  new SHT3x({ sensor: { io: FakeI2C, data: 4, clock: 5, address: 0x45, hz: 400_000, port: 1 } });
  t.deepEqual(seen, [
    { address: 0x44, hz: 100_000, data: 21, clock: 22 },
    { address: 0x45, hz: 400_000, data: 4, clock: 5, port: 1 },
  ]);
});

test("a chip at 0x45 (ADDR pin high) answers when the caller says so", (t) => {
  const { climate, open, errors } = setup(0x45);
  climate.temperature = 30;
  const sample = open({ address: 0x45 }).sample();
  t.true(Math.abs(sample!.thermometer!.temperature - 30) <= T_LSB);
  t.deepEqual(errors, []);
});

test("no I2C constructor: TypeError", (t) => {
  t.throws(() => new SHT3x({ sensor: {} as never }), { instanceOf: TypeError, message: "sensor.io must be an I2C constructor" });
});

test("opening with no chip on the bus throws the NACK and closes the bus first (the caller counts a failed open)", (t) => {
  const bus = new I2CBusModel();
  for (let i = 0; i < 3; i++) t.throws(() => new SHT3x({ sensor: { io: bus.ioClass(), data: 21, clock: 22 } }), { message: "NACK at address 0x44" });
  // Before issue 8 the failed constructor left each bus open: 3 opens, 0 closes.
  t.deepEqual(bus.handles, { opened: 3, closed: 3 });
});

test("no blocking wait: periodic mode starts on a timer 2 ms after the soft reset; a sample before that is not_ready", (t) => {
  const { transactions, chip } = setup();
  const bus = new I2CBusModel();
  bus.attach(0x44, { write: (b) => (transactions.push(`write ${hex(b)}`), chip.write(b)), read: (n) => chip.read(n) });
  const timers = new FakeTimers();
  const reasons: string[] = [];
  const sensor = new SHT3x({ sensor: { io: bus.ioClass(), data: 21, clock: 22 }, timers, onError: (_m, reason) => void reasons.push(reason) });
  t.deepEqual(transactions, ["write 30a2"]);
  t.is(sensor.sample(), undefined);
  t.deepEqual(reasons, ["not_ready"]);
  timers.advance(2);
  t.deepEqual(transactions, ["write 30a2", "write 2130"]);
  t.truthy(sensor.sample()?.thermometer);
});

test("without timers the first sample starts periodic mode (not_ready), the next one measures", (t) => {
  const { chip } = setup();
  const bus = new I2CBusModel();
  bus.attach(0x44, chip);
  const reasons: string[] = [];
  const sensor = new SHT3x({ sensor: { io: bus.ioClass(), data: 21, clock: 22 }, onError: (_m, reason) => void reasons.push(reason) });
  t.is(sensor.sample(), undefined);
  t.deepEqual(reasons, ["not_ready"]);
  t.truthy(sensor.sample()?.hygrometer);
});

test("the read buffer is allocated once: every sample reads into the same bytes", (t) => {
  const buffers = new Set<unknown>();
  const { chip } = setup();
  const FakeI2C = class implements I2CBus {
    write(bytes: ArrayBufferView | ArrayBuffer): void {
      chip.write(new Uint8Array(bytes as Uint8Array));
    }
    read(target: number | Uint8Array): ArrayBuffer {
      if (typeof target === "number") throw new Error("the driver must read into its own buffer");
      buffers.add(target);
      target.set(chip.read(target.byteLength));
      return target.buffer as ArrayBuffer;
    }
    close(): void {}
  };
  const timers = new FakeTimers();
  const sensor = new SHT3x({ sensor: { io: FakeI2C, data: 21, clock: 22 }, timers });
  timers.advance(2);
  for (let i = 0; i < 5; i++) t.truthy(sensor.sample()?.thermometer);
  t.is(buffers.size, 1);
});

test("conversion over the whole range is within one LSB (temperature every 0.01 °C, humidity every 0.01 %RH)", (t) => {
  const { climate, open, errors } = setup();
  const sensor = open();
  let worstT = 0;
  let worstRH = 0;
  for (let i = 0; i <= 17_500; i++) {
    climate.temperature = -45 + i / 100;
    climate.humidity = Math.min(100, i / 175);
    const sample = sensor.sample()!;
    worstT = Math.max(worstT, Math.abs(sample.thermometer!.temperature - climate.temperature));
    worstRH = Math.max(worstRH, Math.abs(sample.hygrometer!.humidity - climate.humidity));
  }
  t.true(worstT <= T_LSB, `worst temperature error ${worstT}`);
  t.true(worstRH <= RH_LSB, `worst humidity error ${worstRH}`);
  t.deepEqual(errors, []);
});

test("conversion is within one LSB for 20k seeded random climates", (t) => {
  const { climate, open } = setup();
  const sensor = open();
  const random = seededRandom(0x5e3);
  let bad = "";
  for (let i = 0; i < 20_000; i++) {
    climate.temperature = -45 + 175 * random();
    climate.humidity = 100 * random();
    const sample = sensor.sample()!;
    const dt = Math.abs(sample.thermometer!.temperature - climate.temperature);
    const dh = Math.abs(sample.hygrometer!.humidity - climate.humidity);
    if ((dt > T_LSB || dh > RH_LSB) && !bad) bad = `${JSON.stringify(climate)} → ${JSON.stringify(sample)}`;
  }
  t.is(bad, "");
});

test("the ends of the range are exact, and the model clamps beyond them", (t) => {
  const { climate, open } = setup();
  const sensor = open();
  const cases: [Climate, Climate][] = [
    [{ temperature: -45, humidity: 0 }, { temperature: -45, humidity: 0 }],
    [{ temperature: 130, humidity: 100 }, { temperature: 130, humidity: 100 }],
    [{ temperature: -60, humidity: -5 }, { temperature: -45, humidity: 0 }],
    [{ temperature: 150, humidity: 120 }, { temperature: 130, humidity: 100 }],
  ];
  for (const [input, expected] of cases) {
    Object.assign(climate, input);
    t.deepEqual(sensor.sample(), { thermometer: { temperature: expected.temperature }, hygrometer: { humidity: expected.humidity } }, JSON.stringify(input));
  }
});

/** A chip that answers every fetch with fixed bytes. */
function scripted(answer: number[]) {
  const bus = new I2CBusModel();
  bus.attach(0x44, { write() {}, read: () => Uint8Array.from(answer) });
  const errors: string[] = [];
  const timers = new FakeTimers();
  const sensor = new SHT3x({ sensor: { io: bus.ioClass(), data: 21, clock: 22 }, timers, onError: (m) => void errors.push(m) });
  timers.advance(2);
  return { sample: sensor.sample(), errors };
}

const word = (value: number) => {
  const bytes = Uint8Array.of(value >> 8, value & 0xff);
  return [bytes[0], bytes[1], sensirionCrc8(bytes)];
};

/** Raw answer bytes → values, by the datasheet formulas T = -45 + 175·S/65535, RH = 100·S/65535. */
const rawFixtures: { label: string; bytes: number[]; temperature: number; humidity: number }[] = [
  // 0x0000 is the bottom of both scales.
  { label: "all zero", bytes: [0x00, 0x00, 0x81, 0x00, 0x00, 0x81], temperature: -45, humidity: 0 },
  // 0xFFFF the top: CRC(0xFFFF) = 0xAC.
  { label: "all ones", bytes: [0xff, 0xff, 0xac, 0xff, 0xff, 0xac], temperature: 130, humidity: 100 },
  // 0xBEEF (CRC 0x92) = 48879: 85.5285…°C; 0x07E6 (CRC 0x48) = 2022: 3.0854…%RH.
  { label: "datasheet CRC words", bytes: [0xbe, 0xef, 0x92, 0x07, 0xe6, 0x48], temperature: -45 + (175 * 48879) / 65535, humidity: (100 * 2022) / 65535 },
  // 0x6666 = 26214: 25.0 °C less 0.0004; 0x8000 = 32768: 50.0008 %RH.
  { label: "about 25 °C, 50 %RH", bytes: [...word(0x6666), ...word(0x8000)], temperature: -45 + (175 * 26214) / 65535, humidity: (100 * 32768) / 65535 },
];

for (const { label, bytes, temperature, humidity } of rawFixtures) {
  test(`raw answer ${label}: ${hex(Uint8Array.from(bytes))}`, (t) => {
    const { sample, errors } = scripted(bytes);
    t.deepEqual(sample, { thermometer: { temperature }, hygrometer: { humidity } });
    t.deepEqual(errors, []);
  });
}

test("raw answer with a bad humidity CRC: temperature only, one error", (t) => {
  const { sample, errors } = scripted([0xbe, 0xef, 0x92, 0x07, 0xe6, 0x49]);
  t.deepEqual(sample, { thermometer: { temperature: -45 + (175 * 48879) / 65535 } });
  t.deepEqual(errors, ["humidity CRC mismatch"]);
});

test("raw answer with both CRCs bad: an empty sample and two errors", (t) => {
  const { sample, errors } = scripted([0xbe, 0xee, 0x92, 0x07, 0xe6, 0x00]);
  t.deepEqual(sample, {});
  t.deepEqual(errors, ["temperature CRC mismatch", "humidity CRC mismatch"]);
});

test("fault: absent chip → undefined and the NACK through onError; back when it answers again", (t) => {
  const { chip, climate, open, errors } = setup();
  const sensor = open();
  chip.faults.absent = true;
  t.is(sensor.sample(), undefined);
  t.is(sensor.sample(), undefined);
  t.deepEqual(errors, ["i2c: NACK", "i2c: NACK"]);
  chip.faults.absent = false;
  climate.temperature = 25;
  t.true(Math.abs(sensor.sample()!.thermometer!.temperature - 25) <= T_LSB);
  t.is(errors.length, 2);
});

test("fault: chip taken off the bus → the bus NACK message", (t) => {
  const { bus, open, errors } = setup();
  const sensor = open();
  bus.detach(0x44);
  t.is(sensor.sample(), undefined);
  t.deepEqual(errors, ["i2c: NACK at address 0x44"]);
});

test("fault: corrupted temperature CRC → humidity only, and onError says which", (t) => {
  const { chip, climate, open, errors } = setup();
  const sensor = open();
  climate.humidity = 61.5;
  chip.faults.corruptTemperature = true;
  const sample = sensor.sample()!;
  t.deepEqual(Object.keys(sample), ["hygrometer"]);
  t.true(Math.abs(sample.hygrometer!.humidity - 61.5) <= RH_LSB);
  t.deepEqual(errors, ["temperature CRC mismatch"]);
  chip.faults.corruptTemperature = false;
  t.deepEqual(Object.keys(sensor.sample()!), ["thermometer", "hygrometer"]);
  t.is(errors.length, 1);
});

test("without onError a fault is still not thrown", (t) => {
  const { chip, bus } = setup();
  const sensor = new SHT3x({ sensor: { io: bus.ioClass(), data: 21, clock: 22 } });
  sensor.sample();
  chip.faults.absent = true;
  t.notThrows(() => t.is(sensor.sample(), undefined));
});

test("configure() accepts nothing and changes nothing", (t) => {
  const { open, transactions } = setup();
  const sensor = open();
  sensor.configure({ repeatability: "low" });
  sensor.configure();
  t.deepEqual(transactions, ["write 30a2", "write 2130"]);
});
