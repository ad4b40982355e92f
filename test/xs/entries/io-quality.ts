/**
 * Guest entry: the sensor registry, the config schema built from it, the
 * channels with quality (SHT3x and BME280 drivers on the portable chip
 * models, a computed channel, a chip that goes away and comes back), the
 * expression parser and the BME280 compensation, on XS.
 */
import { ConfigService } from "../../../modules/config/config-service.js";
import { CHANNEL_FIELDS } from "../../../modules/config/channel-fields.js";
import type { ChannelConfig } from "../../../modules/config/node-config.js";
import { Counters } from "../../../modules/counters.js";
import { compensatePressure, compensateTemperature } from "../../../modules/io/bme280-compensation.js";
import { Channels, type QualityChange, type Reading } from "../../../modules/io/channels.js";
import { parseExpression } from "../../../modules/io/expression.js";
import { simulatedBoard } from "../../../modules/io/models/simulated-board.js";
import { TYPICAL_BME280_CALIBRATION } from "../../../modules/io/models/bme280-model.js";
import { SENSOR_TYPES } from "../../../modules/io/sensor-registry.js";
import { Logger } from "../../../modules/log.js";
import type { Platform } from "../../../modules/platform.js";
import { FakeTimers } from "../../helpers/fake-timers.js";
import { MemoryStorage } from "../../helpers/memory-platform.js";
import type { XsGuest } from "../../helpers/xs.js";

declare const xsHarness: XsGuest;

xsHarness.on("registry", () => {
  const config = new ConfigService(new MemoryStorage(), "xs");
  const errors: string[] = [];
  const attempt = (f: () => void) => {
    try {
      f();
      errors.push("ok");
    } catch (error) {
      errors.push((error as Error).message);
    }
  };
  attempt(() => config.set("ch.temp.expr", "1"));
  attempt(() => config.set("ch.temp.scale", "1,5"));
  attempt(() => config.set("ch.power.type", "computed"));
  attempt(() => config.set("ch.power.expr", "temp * (rh"));
  attempt(() => config.save());
  attempt(() => config.set("ch.power.expr", "temp * rh"));
  attempt(() => config.save());
  return {
    types: Object.keys(SENSOR_TYPES),
    fields: Object.keys(CHANNEL_FIELDS),
    errors,
  };
});

xsHarness.on("channels", () => {
  const timers = new FakeTimers();
  const board = simulatedBoard(() => timers.monotonic(), 7);
  const platform = { clock: timers, timers, io: board.io, log: () => {} } as unknown as Platform;
  const counters = new Counters();
  const configs: ChannelConfig[] = [
    { name: "temp", type: "sht3x", measure: "temperature", intervalMs: 1000, unit: "Cel", fields: { address: 0x44 } },
    { name: "baro", type: "bme280", measure: "pressure", intervalMs: 1000, unit: "Pa", fields: { address: 0x76 } },
    { name: "twice", type: "computed", measure: "value", intervalMs: 1000, unit: "Cel", fields: { expr: "temp * 2" } },
  ];
  const channels = new Channels(platform, new Logger(platform), counters, configs);
  const readings: Reading[] = [];
  const changes: QualityChange[] = [];
  channels.watchQuality((c) => void changes.push(c));
  channels.start((r) => readings.push(r));
  timers.advance(2000);
  board.sht3x.faults.absent = true;
  timers.advance(3000);
  board.sht3x.faults.absent = false;
  timers.advance(10_000);
  channels.stop();
  return {
    readings: readings.map((r) => `${r.channel}@${r.at} ${r.quality}${r.reason ? `:${r.reason}` : ""} ${typeof r.value}`),
    changes: changes.map((c) => `${c.channel} ${c.from}->${c.to}:${c.reason}`),
    handles: board.bus.handles,
    faults: counters.get("sensor_faults"),
  };
});

xsHarness.on("parse", (texts: string[]) =>
  texts.map((text) => {
    try {
      return parseExpression(text).evaluate((name) => (name === "v" ? 230 : name === "i" ? 2.5 : NaN));
    } catch (error) {
      return (error as Error).message;
    }
  }),
);

xsHarness.on("bme280", () => {
  const { tFine, centiCelsius } = compensateTemperature(519888, TYPICAL_BME280_CALIBRATION);
  return { tFine, centiCelsius, pressure: compensatePressure(415148, tFine, TYPICAL_BME280_CALIBRATION) };
});
