import test from "ava";
import { calibrationBytes, compensateFloat, compensateHumidity, compensatePressure, compensateTemperature, parseCalibration } from "../../../modules/io/bme280-compensation.js";
import BME280 from "../../../modules/io/drivers/bme280.js";
import { BME280Model, TYPICAL_BME280_CALIBRATION, type Air } from "../../../modules/io/models/bme280-model.js";
import { I2CBusModel } from "../../../modules/io/models/i2c-bus-model.js";
import { seededRandom } from "../../helpers/seeded-random.js";

const C = TYPICAL_BME280_CALIBRATION;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

test("datasheet worked example (T, P: same formulas as BMP280 §3.12): adc_T 519888 → t_fine 128422, 25.08 °C; adc_P 415148 → 100653.27 Pa", (t) => {
  const { tFine, centiCelsius } = compensateTemperature(519888, C);
  t.is(tFine, 128422);
  t.is(centiCelsius, 2508);
  const pressure = compensatePressure(415148, tFine, C) / 256;
  // The integer form's steps are 1/256 Pa; the datasheet prints 100653.27 from the floating-point form.
  t.true(Math.abs(pressure - 100653.27) < 0.05, `${pressure}`);
  const float = compensateFloat(519888, 415148, 0, C);
  t.true(Math.abs(float.temperature - 25.08) < 0.005);
  t.true(Math.abs(float.pressure - 100653.27) < 0.05);
});

test("the integer formulas (§4.2.3) agree with the floating-point ones (§8.1) over 20k seeded raw values", (t) => {
  const random = seededRandom(280);
  let worst = { t: 0, p: 0, h: 0 };
  for (let i = 0; i < 20_000; i++) {
    const adcT = 400_000 + Math.floor(random() * 250_000); // about -20..+60 °C with these parameters
    const adcP = 250_000 + Math.floor(random() * 250_000);
    const adcH = 15_000 + Math.floor(random() * 40_000);
    const { tFine, centiCelsius } = compensateTemperature(adcT, C);
    const f = compensateFloat(adcT, adcP, adcH, C);
    worst = {
      t: Math.max(worst.t, Math.abs(centiCelsius / 100 - f.temperature)),
      p: Math.max(worst.p, Math.abs(compensatePressure(adcP, tFine, C) / 256 - f.pressure)),
      h: Math.max(worst.h, Math.abs(compensateHumidity(adcH, tFine, C) / 1024 - f.humidity)),
    };
  }
  t.true(worst.t <= 0.01, `temperature ${worst.t}`);
  t.true(worst.p <= 1, `pressure ${worst.p}`);
  t.true(worst.h <= 0.01, `humidity ${worst.h}`);
});

test("humidity is clamped to 0..100 %RH by the formula itself", (t) => {
  const { tFine } = compensateTemperature(519888, C);
  t.is(compensateHumidity(0, tFine, C), 0);
  t.is(compensateHumidity(0xffff, tFine, C), 100 * 1024);
});

test("calibration registers: 0x88..0xA1 and 0xE1..0xE7 parse to the parameters, with the split signed dig_H4/dig_H5", (t) => {
  const { a, b } = calibrationBytes(C);
  // dig_T1 27504 = 0x6B70 little-endian at 0x88; dig_H4 305 = 0x131 → 0xE4 0x13, 0xE5 low nibble 1; dig_H5 50 = 0x032 → 0xE5 high nibble 2, 0xE6 0x03.
  t.is(hex(a.subarray(0, 2)), "706b");
  t.is(hex(b), "720100" + "13" + "21" + "03" + "1e");
  t.deepEqual(parseCalibration(a, b), C);
  const negative = { ...C, H4: -200, H5: -1, H6: -5, T3: -1, P9: -32768 };
  const bytes = calibrationBytes(negative);
  t.deepEqual(parseCalibration(bytes.a, bytes.b), negative);
  t.throws(() => parseCalibration(new Uint8Array(3), b), { instanceOf: RangeError });
});

function setup(address = 0x76) {
  const air: Air = { temperature: 21.5, pressure: 98_765.4, humidity: 47.25 };
  const chip = new BME280Model(() => ({ ...air }));
  const bus = new I2CBusModel();
  const transactions: string[] = [];
  bus.attach(address, {
    write: (bytes) => (transactions.push(`w ${hex(bytes)}`), chip.write(bytes)),
    read: (n) => (transactions.push(`r ${n}`), chip.read(n)),
  });
  const errors: string[] = [];
  const open = (options: { address?: number } = {}) => new BME280({ sensor: { io: bus.ioClass(), data: 21, clock: 22, ...options }, onError: (m, r) => void errors.push(`${r}: ${m}`) });
  return { air, chip, bus, transactions, errors, open };
}

test("open: chip id, both calibration blocks, then ctrl_hum before config and ctrl_meas (normal mode)", (t) => {
  const { transactions, open, chip } = setup();
  open();
  t.deepEqual(transactions, ["w d0", "r 1", "w 88", "r 26", "w e1", "r 7", "w f201", "w f5a0", "w f427"]);
  t.true(chip.measuring);
});

test("the driver reads the model's air back within the formats' resolution", (t) => {
  const { air, open, errors } = setup();
  const sensor = open();
  const sample = sensor.sample()!;
  t.true(Math.abs(sample.thermometer!.temperature - air.temperature) <= 0.01);
  t.true(Math.abs(sample.barometer!.pressure - air.pressure) <= 0.1, `${sample.barometer!.pressure}`);
  t.true(Math.abs(sample.hygrometer!.humidity - air.humidity) <= 0.01);
  t.deepEqual(errors, []);
});

test("seeded random air: 500 samples all within resolution", (t) => {
  const { air, open } = setup();
  const sensor = open();
  const random = seededRandom(0xb3e);
  for (let i = 0; i < 500; i++) {
    Object.assign(air, { temperature: -20 + 70 * random(), pressure: 70_000 + 40_000 * random(), humidity: 100 * random() });
    const s = sensor.sample()!;
    if (Math.abs(s.thermometer!.temperature - air.temperature) > 0.01 || Math.abs(s.barometer!.pressure - air.pressure) > 0.2 || Math.abs(s.hygrometer!.humidity - air.humidity) > 0.01)
      return t.fail(`${JSON.stringify(air)} → ${JSON.stringify(s)}`);
  }
  t.pass();
});

test("one burst read of 8 bytes from 0xF7 per sample, into one buffer", (t) => {
  const { transactions, open } = setup();
  const sensor = open();
  transactions.length = 0;
  sensor.sample();
  sensor.sample();
  t.deepEqual(transactions, ["w f7", "r 8", "w f7", "r 8"]);
});

test("a chip that has not measured yet (data registers at reset values) is not_ready", (t) => {
  const { chip, open, errors } = setup();
  const sensor = open();
  chip.powerCycle();
  t.is(sensor.sample(), undefined);
  t.deepEqual(errors, ["not_ready: no measurement yet"]);
});

test("absent chip at open: the NACK is thrown and the bus is closed first", (t) => {
  const { chip, open, bus } = setup();
  chip.faults.absent = true;
  t.throws(() => open(), { message: "NACK" });
  t.deepEqual(bus.handles, { opened: 1, closed: 1 });
});

test("a different chip at the address (a BMP280 answers 0x58): refused at open with the id, bus closed", (t) => {
  const { chip, open, bus } = setup();
  chip.faults.chipId = 0x58;
  const error = t.throws(() => open(), { instanceOf: RangeError });
  t.is(error?.message, "not a BME280: chip id 0x58 (expected 0x60)");
  t.is((error as unknown as { reason: string }).reason, "sensor_fault");
  t.deepEqual(bus.handles, { opened: 1, closed: 1 });
});

test("a chip that stops answering: undefined and a nack, back when it answers; close() puts it to sleep once", (t) => {
  const { chip, open, errors, bus } = setup();
  const sensor = open();
  chip.faults.absent = true;
  t.is(sensor.sample(), undefined);
  t.deepEqual(errors, ["nack: i2c: NACK"]);
  chip.faults.absent = false;
  t.truthy(sensor.sample()?.barometer);
  sensor.close();
  sensor.close();
  t.false(chip.measuring);
  t.deepEqual(bus.handles, { opened: 1, closed: 1 });
});

test("the address 0x77 (SDO high) when the caller says so", (t) => {
  const { open } = setup(0x77);
  t.truthy(open({ address: 0x77 }).sample()?.thermometer);
});
