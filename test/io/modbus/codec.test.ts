import test from "ava";
import { crc16Modbus, crcMatches, withCrc } from "../../../modules/io/modbus/crc16.js";
import { encodeRequest, responseLength, validateRequest, type ModbusRequest } from "../../../modules/io/modbus/pdu.js";
import { decodeResponse } from "../../../modules/io/modbus/response.js";
import { frameUs, rtuTiming } from "../../../modules/io/modbus/rtu-timing.js";

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ");
const bytes = (text: string) => Uint8Array.from(text.split(" ").map((h) => parseInt(h, 16)));

test("CRC-16/MODBUS: the catalogue check value and the spec's frames", (t) => {
  t.is(crc16Modbus(new TextEncoder().encode("123456789")), 0x4b37);
  t.is(hex(withCrc(bytes("01 03 00 00 00 0a"))), "01 03 00 00 00 0a c5 cd");
  // Modbus over Serial Line, example of function 03 (unit 0x11, registers 0x6B..0x6D).
  t.is(hex(withCrc(bytes("11 03 00 6b 00 03"))), "11 03 00 6b 00 03 76 87");
  t.true(crcMatches(bytes("01 03 00 00 00 0a c5 cd")));
  t.false(crcMatches(bytes("01 03 00 00 00 0a cd c5")));
  t.false(crcMatches(bytes("01 03")));
});

test("RTU timing: 11-bit characters, t1.5/t3.5 from the baud rate, fixed above 19200", (t) => {
  const table: [number, number, number][] = [
    // baud, t1.5 µs, t3.5 µs
    [1200, 13750, 32083.333],
    [9600, 1718.75, 4010.417],
    [19200, 859.375, 2005.208],
    [38400, 750, 1750],
    [115200, 750, 1750],
  ];
  for (const [baud, t15, t35] of table) {
    const timing = rtuTiming(baud);
    t.is(Math.round(timing.t15Us * 1000) / 1000, t15, `t1.5 at ${baud}`);
    t.is(Math.round(timing.t35Us * 1000) / 1000, t35, `t3.5 at ${baud}`);
  }
  t.is(Math.round(frameUs(rtuTiming(9600), 8)), 9167);
  t.throws(() => rtuTiming(0), { instanceOf: RangeError, message: "baud must be a positive integer, got 0" });
});

test("requests encode to the spec's frames, every function", (t) => {
  const table: [ModbusRequest, string][] = [
    [{ unit: 0x11, fn: 1, address: 0x13, count: 0x25 }, "11 01 00 13 00 25"],
    [{ unit: 0x11, fn: 2, address: 0xc4, count: 0x16 }, "11 02 00 c4 00 16"],
    [{ unit: 0x11, fn: 3, address: 0x6b, count: 3 }, "11 03 00 6b 00 03"],
    [{ unit: 0x11, fn: 4, address: 0x08, count: 1 }, "11 04 00 08 00 01"],
    [{ unit: 0x11, fn: 5, address: 0xac, value: 1 }, "11 05 00 ac ff 00"],
    [{ unit: 0x11, fn: 6, address: 0x01, value: 3 }, "11 06 00 01 00 03"],
    // 10 coils from 0x13: CD 01 (Application Protocol 6.11 example)
    [{ unit: 0x11, fn: 15, address: 0x13, values: [1, 0, 1, 1, 0, 0, 1, 1, 1, 0] }, "11 0f 00 13 00 0a 02 cd 01"],
    [{ unit: 0x11, fn: 16, address: 0x01, values: [0x000a, 0x0102] }, "11 10 00 01 00 02 04 00 0a 01 02"],
    [{ unit: 0, fn: 6, address: 2, value: 7 }, "00 06 00 02 00 07"],
  ];
  for (const [request, body] of table) t.is(hex(encodeRequest(request)), hex(withCrc(bytes(body))), body);
});

test("malformed requests are refused naming the field and the value", (t) => {
  const table: [unknown, string][] = [
    [{ unit: 248, fn: 3, address: 0, count: 1 }, "unit must be 0..247, got 248"],
    [{ unit: 1, fn: 7, address: 0, count: 1 }, "function must be one of 1, 2, 3, 4, 5, 6, 15, 16, got 7"],
    [{ unit: 0, fn: 3, address: 0, count: 1 }, "unit 0 (broadcast) is for writes only, got function 3"],
    [{ unit: 1, fn: 3, address: 0, count: 126 }, "quantity must be 1..125, got 126"],
    [{ unit: 1, fn: 1, address: 0, count: 2001 }, "quantity must be 1..2000, got 2001"],
    [{ unit: 1, fn: 3, address: 65535, count: 2 }, "address 65535 + quantity 2 passes 65535"],
    [{ unit: 1, fn: 5, address: 0, value: 2 }, "value[0] must be 0..1, got 2"],
    [{ unit: 1, fn: 6, address: 0, value: 65536 }, "value[0] must be 0..65535, got 65536"],
    [{ unit: 1, fn: 3, address: 1.5, count: 1 }, "address must be an integer, got 1.5"],
  ];
  for (const [request, message] of table) t.throws(() => validateRequest(request as ModbusRequest), { message });
});

test("answers: values decoded; CRC, unit, function, exception, byte count, length and echo refused with their reason", (t) => {
  const read: ModbusRequest = { unit: 0x11, fn: 3, address: 0x6b, count: 3 };
  t.is(responseLength(read), 11);
  t.deepEqual(decodeResponse(read, withCrc(bytes("11 03 06 02 2b 00 00 00 64"))), { ok: true, values: [0x022b, 0, 0x64] });
  const coils: ModbusRequest = { unit: 0x11, fn: 1, address: 0x13, count: 10 };
  t.deepEqual(decodeResponse(coils, withCrc(bytes("11 01 02 cd 01"))), { ok: true, values: [1, 0, 1, 1, 0, 0, 1, 1, 1, 0] });
  const table: [ModbusRequest, Uint8Array, string][] = [
    [read, bytes("11 03 06 02 2b 00 00 00 64 00 00"), "crc"],
    [read, withCrc(bytes("12 03 06 02 2b 00 00 00 64")), "wrong_unit"],
    [read, withCrc(bytes("11 04 06 02 2b 00 00 00 64")), "wrong_function"],
    [read, withCrc(bytes("11 83 02")), "exception_2"],
    [read, withCrc(bytes("11 83 07")), "bad_frame"],
    [read, withCrc(bytes("11 03 04 02 2b 00 00")), "short_frame"],
    [read, withCrc(bytes("11 03 04 02 2b 00 00 00 64")), "bad_frame"],
    [read, bytes("11 03"), "short_frame"],
    [{ unit: 1, fn: 6, address: 1, value: 3 }, withCrc(bytes("01 06 00 01 00 04")), "bad_frame"],
    [{ unit: 1, fn: 16, address: 1, values: [1, 2] }, withCrc(bytes("01 10 00 01 00 02")), "ok"],
  ];
  for (const [request, frame, reason] of table) {
    const result = decodeResponse(request, frame);
    t.is(result.ok ? "ok" : result.reason, reason, hex(frame));
  }
});
