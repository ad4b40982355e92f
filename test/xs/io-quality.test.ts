import test from "ava";
import { compensatePressure, compensateTemperature } from "../../modules/io/bme280-compensation.js";
import { parseExpression } from "../../modules/io/expression.js";
import { TYPICAL_BME280_CALIBRATION } from "../../modules/io/models/bme280-model.js";
import { runOnXS } from "../helpers/xs.js";


test("the sensor registry and the schema built from it run on XS: per-type fields, decimals, computed channels refused and accepted at save", async (t) => {
  const run = await runOnXS("test/xs/entries/io-quality.ts");
  t.teardown(() => run.close());
  const result = await run.command<{ types: string[]; fields: string[]; errors: string[] }>("registry");
  t.deepEqual(result.types, ["sht3x", "bme280", "analog", "ads1115", "max31855", "digital", "pulse", "computed", "probe", "modbus"]);
  t.deepEqual(result.fields, ["type", "measure", "interval", "unit", "scale", "offset", "filter", "alarm", "address", "pin", "signal", "range_low", "range_high", "shunt", "divider", "vref", "input", "select", "sck", "miso", "pull", "invert", "debounce_ms", "pulses_per_unit", "window_s", "expr", "device", "function", "register", "format"]);
  t.deepEqual(result.errors.slice(0, 4), [
    "ch.temp.expr is not a field of sht3x channels; their fields are type, measure, interval, unit, scale, offset, filter, alarm, address",
    'ch.temp.scale must be a decimal number such as -1.25 or 2e-3, got "1,5"',
    "ok",
    "ok",
  ]);
  t.regex(result.errors[4], /ch\.power\.expr at 11: expected "\)" to close the "\(" at 8, got the end/);
  t.deepEqual(result.errors.slice(5), ["ok", "ok"]);
});

test("channels with quality on XS: drivers on the chip models, a chip that goes away (bad:nack, no number, closed buses) and comes back, a computed channel", async (t) => {
  const run = await runOnXS("test/xs/entries/io-quality.ts");
  t.teardown(() => run.close());
  const result = await run.command<{ readings: string[]; changes: string[]; handles: { opened: number; closed: number }; faults: number }>("channels");
  t.deepEqual(result.readings.slice(0, 3), ["temp@1000 good number", "baro@1000 good number", "twice@1000 good number"]);
  t.true(result.readings.includes("temp@3000 bad:nack undefined"));
  t.true(result.readings.includes("twice@3000 bad:input undefined"));
  t.true(result.readings.filter((r) => r.startsWith("baro")).every((r) => r.includes("good number")), "the BME280 is not affected");
  t.is(result.readings.filter((r) => r.startsWith("temp")).at(-1), "temp@15000 good number");
  t.deepEqual(result.changes, ["temp good->bad:nack", "twice good->bad:input", "temp bad->good:undefined", "twice bad->good:undefined"]);
  t.is(result.handles.opened, result.handles.closed);
});

test("the expression parser on XS: same values and the same errors with positions as on Node", async (t) => {
  const run = await runOnXS("test/xs/entries/io-quality.ts");
  t.teardown(() => run.close());
  const texts = ["v * i", "-(v - 30) / 4 + sqrt(16)", "max(v, i, 1e3)", "v *", "(v", "pow(v)", "v i"];
  const onXS = await run.command<(number | string)[]>("parse", texts);
  const onNode = texts.map((text) => {
    try {
      return parseExpression(text).evaluate((name) => (name === "v" ? 230 : name === "i" ? 2.5 : NaN));
    } catch (error) {
      return (error as Error).message;
    }
  });
  t.deepEqual(onXS, onNode);
  t.is(onXS[0], 575);
});

test("the BME280 integer compensation (BigInt pressure) gives the datasheet's worked values on XS", async (t) => {
  const run = await runOnXS("test/xs/entries/io-quality.ts");
  t.teardown(() => run.close());
  const onXS = await run.command<{ tFine: number; centiCelsius: number; pressure: number }>("bme280");
  const { tFine, centiCelsius } = compensateTemperature(519888, TYPICAL_BME280_CALIBRATION);
  t.deepEqual(onXS, { tFine, centiCelsius, pressure: compensatePressure(415148, tFine, TYPICAL_BME280_CALIBRATION) });
  t.is(onXS.centiCelsius, 2508);
});
