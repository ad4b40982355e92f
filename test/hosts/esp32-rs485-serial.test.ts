import test from "ava";
import { rs485Pins, rs485SerialClass, withRs485Pins } from "../../hosts/esp32/rs485-serial.js";
import { checkBoardPins } from "../../modules/boards/board-pins.js";
import { ESP32_DEVKITC } from "../../modules/boards/esp32-devkitc.js";

test("the board's RS-485 Serial passes the port, pins and line settings to the SDK's ECMA-419 Serial, binary, and relays bytes both ways", (t) => {
  const made: Record<string, unknown>[] = [];
  const written: number[][] = [];
  class FakeNative {
    constructor(options: Record<string, unknown>) {
      made.push(options);
    }
    read(): ArrayBuffer | undefined {
      return Uint8Array.of(1, 3).buffer;
    }
    write(buffer: ArrayBufferView | ArrayBuffer): void {
      written.push([...new Uint8Array(buffer as ArrayBuffer)]);
    }
    close(): void {}
  }
  const onReadable = () => {};
  const Serial = rs485SerialClass(FakeNative as never, { port: 2, receive: 16, transmit: 17 });
  const port = new Serial({ baud: 19200, parity: "even", onReadable });
  t.deepEqual(made, [{ baud: 19200, port: 2, receive: 16, transmit: 17, format: "buffer", parity: "even", stopBits: 1, onReadable }]);
  t.deepEqual([...new Uint8Array(port.read()!)], [1, 3]);
  port.write(Uint8Array.of(9, 8).buffer);
  t.deepEqual(written, [[9, 8]]);
  new Serial({ baud: 9600, port: 1, receive: 4, transmit: 5, stopBits: 2 });
  t.like(made[1], { port: 1, receive: 4, transmit: 5, parity: "none", stopBits: 2 });
});

test("the RS-485 pins come from the board definition, each overridden by a build value that is set", (t) => {
  t.deepEqual(rs485Pins({ uart: 2, tx: 17, rx: 16, de: 4 }, {}), { port: 2, receive: 16, transmit: 17, direction: 4 });
  t.deepEqual(rs485Pins({ uart: 2, tx: 17, rx: 16, de: 4 }, { direction: 5, port: undefined }), { port: 2, receive: 16, transmit: 17, direction: 5 });
  t.deepEqual(rs485Pins(undefined, { transmit: 1 }), { transmit: 1 });
});

test("the board checked at set/save carries the build's RS-485 pins: a contact on the moved DE pin is refused, the definition's DE is free", (t) => {
  const board = withRs485Pins(ESP32_DEVKITC, rs485Pins(ESP32_DEVKITC.rs485, { direction: 25 }));
  t.deepEqual(board.rs485, { uart: 2, tx: 17, rx: 16, de: 25 });
  t.deepEqual(withRs485Pins(ESP32_DEVKITC, {}).rs485, ESP32_DEVKITC.rs485);
  const problems = (config: Record<string, string | number>) => {
    const out: string[] = [];
    checkBoardPins(new Map(Object.entries(config)), board, out);
    return out;
  };
  t.deepEqual(problems({ "ch.door.type": "digital", "ch.door.pin": 25 }), ["ch.door.pin: GPIO 25 is the RS-485 transceiver's DE on esp32-devkitc"]);
  t.deepEqual(problems({ "ch.door.type": "digital", "ch.door.pin": 4 }), []);
});
