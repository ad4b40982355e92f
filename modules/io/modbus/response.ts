import { crcMatches } from "./crc16.js";
import type { ModbusReason } from "../quality.js";
import { isBitFunction, responseLength, type ModbusRequest } from "./pdu.js";

/**
 * Why an answer was refused or a transaction failed; each is also a quality
 * reason of the channels the transaction served. `exception_<n>`: the slave
 * answered Modbus exception n (Application Protocol section 7: 1 illegal
 * function, 2 illegal data address, 3 illegal data value, 4 slave device
 * failure, 5 acknowledge, 6 busy, 8 memory parity, 10 gateway path, 11
 * gateway target).
 */
export type ModbusFault = "crc" | "timeout" | "no_io" | ModbusReason;

const EXCEPTION_CODES: readonly number[] = Object.freeze([1, 2, 3, 4, 5, 6, 8, 10, 11]);

/** A decoded answer: the values read (bits as 0/1, registers as 0..65535; writes: none), or why it was refused. */
export type ModbusResult =
  | { ok: true; values: number[] }
  | { ok: false; reason: ModbusFault; detail: string };

function fail(reason: ModbusFault, detail: string): ModbusResult {
  return { ok: false, reason, detail };
}

/**
 * Checks the frame `frame[0..length)` as the answer to `request` and decodes
 * it. Order: length, CRC (so line noise reads as `crc`), unit, function,
 * exception code, byte count, echoed address/quantity/value. Never throws;
 * a refused frame yields a fault, never a value.
 */
export function decodeResponse(request: ModbusRequest, frame: Uint8Array, length = frame.length): ModbusResult {
  if (length < 5) return fail("short_frame", `${length} bytes`);
  if (!crcMatches(frame, length)) return fail("crc", `${length} bytes`);
  if (frame[0] !== request.unit) return fail("wrong_unit", `unit ${frame[0]}, expected ${request.unit}`);
  const fn = frame[1];
  if (fn === (request.fn | 0x80)) {
    if (length !== 5) return fail("bad_frame", `exception frame of ${length} bytes`);
    const code = frame[2];
    if (!EXCEPTION_CODES.includes(code)) return fail("bad_frame", `exception code ${code}`);
    return fail(`exception_${code}` as ModbusFault, `exception ${code}`);
  }
  if (fn !== request.fn) return fail("wrong_function", `function ${fn}, expected ${request.fn}`);
  const expected = responseLength(request);
  if (length < expected) return fail("short_frame", `${length} bytes, expected ${expected}`);
  if (length > expected) return fail("bad_frame", `${length} bytes, expected ${expected}`);
  if ("count" in request) {
    if (frame[2] !== expected - 5) return fail("bad_frame", `byte count ${frame[2]}, expected ${expected - 5}`);
    const values: number[] = [];
    for (let i = 0; i < request.count; i++) {
      values.push(isBitFunction(request.fn) ? (frame[3 + (i >> 3)] >> (i & 7)) & 1 : (frame[3 + 2 * i] << 8) | frame[4 + 2 * i]);
    }
    return { ok: true, values };
  }
  const address = (frame[2] << 8) | frame[3];
  const word = (frame[4] << 8) | frame[5];
  const want = "value" in request ? (request.fn === 5 ? (request.value ? 0xff00 : 0) : request.value) : request.values.length;
  if (address !== request.address || word !== want) return fail("bad_frame", `echo ${address}/${word}, expected ${request.address}/${want}`);
  return { ok: true, values: [] };
}
