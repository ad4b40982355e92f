import test from "ava";
import Probe from "../../../modules/io/drivers/probe.js";
import { I2CBusModel } from "../../../modules/io/models/i2c-bus-model.js";
import { encodeProbeFrame, ProbeModel } from "../../../modules/io/models/probe-model.js";
import { seededRandom } from "../../helpers/seeded-random.js";

function rig(value: () => number, next: () => number | "continuous" | "end" = () => "continuous") {
  const bus = new I2CBusModel();
  const model = new ProbeModel({ value, next });
  bus.attach(0x10, model);
  const errors: string[] = [];
  const probe = new Probe({ sensor: { io: bus.ioClass(), data: 21, clock: 22, address: 0x10 }, onError: (m) => errors.push(m) });
  return { bus, model, probe, errors };
}

test("frame bytes: float64 big-endian, uint32 next, Sensirion CRC-8 over 12 bytes", (t) => {
  // 1.5 = 0x3FF8000000000000; next 1000 ms = 0x000003E8
  t.deepEqual([...encodeProbeFrame(1.5, 1000).slice(0, 12)], [0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x03, 0xe8]);
  t.deepEqual([...encodeProbeFrame(0, "end").slice(8, 12)], [0xff, 0xff, 0xff, 0xff], "no further value");
  t.deepEqual([...encodeProbeFrame(0, "continuous").slice(8, 12)], [0, 0, 0, 0], "continuous");
});

test("values cross exactly as written (seeded random doubles), with the time to the next value", (t) => {
  const random = seededRandom(419);
  let v = 0;
  const { probe } = rig(() => v, () => 1234);
  for (let i = 0; i < 2000; i++) {
    v = (random() - 0.5) * 10 ** Math.floor(random() * 12 - 4);
    t.deepEqual(probe.sample(), { value: v, nextInMs: 1234 });
  }
});

test("NACK and CRC faults go to onError and give no sample; continuous and end", (t) => {
  let next: number | "continuous" | "end" = "continuous";
  const { probe, model, errors } = rig(() => 2.25, () => next);
  t.deepEqual(probe.sample(), { value: 2.25 });
  next = "end";
  t.deepEqual(probe.sample(), { value: 2.25, end: true });
  model.faults.corrupt = true;
  t.is(probe.sample(), undefined);
  model.faults.corrupt = false;
  model.faults.absent = true;
  t.is(probe.sample(), undefined);
  t.deepEqual(errors, ["probe CRC mismatch", "i2c: NACK"]);
  probe.close();
  t.throws(() => new Probe({ sensor: { io: rig(() => 0).bus.ioClass() } }), { instanceOf: TypeError, message: "sensor.address is required" });
});
