import test from "ava";
import { SPIBusModel, type SPIDeviceModel } from "../../../modules/io/models/spi-bus-model.js";

function recorder(log: string[]): SPIDeviceModel {
  let n = 0;
  return {
    begin: () => void log.push("begin"),
    exchange: (out, into) => {
      log.push(`out ${[...out].join(",")}`);
      for (let i = 0; i < into.length; i++) into[i] = n++;
    },
    end: () => void log.push("end"),
  };
}

test("read and write assert select once per transaction; flush(true) releases it", (t) => {
  const log: string[] = [];
  const bus = new SPIBusModel();
  bus.attach(5, recorder(log));
  const spi = new (bus.ioClass())({ clock: 18, in: 19, out: 23, select: 5, hz: 1_000_000 });
  const into = new Uint8Array(3);
  spi.write(new Uint8Array([9, 8]));
  spi.read(into);
  spi.flush();
  spi.flush(true);
  spi.read(into.subarray(0, 1));
  spi.flush(true);
  t.deepEqual(log, ["begin", "out 9,8", "out 0,0,0", "end", "begin", "out 0", "end"]);
  t.deepEqual([...into], [5, 3, 4]);
});

test("no chip behind the select pin: MISO floats high (0xFF)", (t) => {
  const spi = new (new SPIBusModel().ioClass())({ clock: 18, select: 15, hz: 1000 });
  const into = new Uint8Array(4);
  spi.read(into);
  t.deepEqual([...into], [255, 255, 255, 255]);
});

test("a select pin opened twice throws; close frees it; a closed bus throws on use", (t) => {
  const bus = new SPIBusModel();
  const SPI = bus.ioClass();
  const first = new SPI({ clock: 18, select: 5, hz: 1000 });
  t.throws(() => new SPI({ clock: 18, select: 5, hz: 1000 }), { message: "pin 5 already in use" });
  first.close();
  t.throws(() => first.read(new Uint8Array(1)), { message: "SPI closed" });
  t.notThrows(() => new SPI({ clock: 18, select: 5, hz: 1000 }));
  t.throws(() => new SPI({ clock: 18, select: 6, hz: 0 }), { instanceOf: RangeError });
  t.throws(() => bus.attach(49, { begin() {}, exchange() {}, end() {} }), { instanceOf: RangeError });
});
