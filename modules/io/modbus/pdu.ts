import { withCrc } from "./crc16.js";

/**
 * Modbus requests and their PDUs (Modbus Application Protocol V1.1b3,
 * section 6): read coils (01), read discrete inputs (02), read holding
 * registers (03), read input registers (04), write single coil (05), write
 * single register (06), write multiple coils (15), write multiple registers
 * (16). Addresses are the protocol addresses 0..65535 (not the 1-based
 * "40001" numbering).
 */
export type ReadFunction = 1 | 2 | 3 | 4;
export type WriteFunction = 5 | 6 | 15 | 16;
export type FunctionCode = ReadFunction | WriteFunction;

/** One request to one unit (0 = broadcast, writes only; 1..247 a slave). */
export type ModbusRequest =
  | { unit: number; fn: ReadFunction; address: number; count: number }
  | { unit: number; fn: 5 | 6; address: number; value: number }
  | { unit: number; fn: 15 | 16; address: number; values: readonly number[] };

/** Largest quantity per function (section 6.1-6.12). */
export const MAX_QUANTITY: Readonly<Record<FunctionCode, number>> = Object.freeze({ 1: 2000, 2: 2000, 3: 125, 4: 125, 5: 1, 6: 1, 15: 1968, 16: 123 });

/** True for the functions that read bits (coils, discrete inputs). */
export function isBitFunction(fn: FunctionCode): boolean {
  return fn === 1 || fn === 2 || fn === 5 || fn === 15;
}

function checkInt(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isInteger(value)) throw new TypeError(`${name} must be an integer, got ${String(value)}`);
  if (value < min || value > max) throw new RangeError(`${name} must be ${min}..${max}, got ${value}`);
}

/** Number of items a request reads or writes. */
export function quantityOf(request: ModbusRequest): number {
  if ("count" in request) return request.count;
  if ("values" in request) return request.values.length;
  return 1;
}

/**
 * Checks a request's shape and ranges. Throws TypeError (not an integer, an
 * unknown function) or RangeError (unit 0..247, broadcast only for writes,
 * address and quantity so that the last item is at most 65535, quantity at
 * most MAX_QUANTITY, register values 0..65535, coil values 0/1), naming the
 * field and the value.
 */
export function validateRequest(request: ModbusRequest): void {
  checkInt("unit", request.unit, 0, 247);
  const fn = request.fn;
  if (!(fn in MAX_QUANTITY)) throw new TypeError(`function must be one of 1, 2, 3, 4, 5, 6, 15, 16, got ${String(fn)}`);
  if (request.unit === 0 && fn <= 4) throw new RangeError(`unit 0 (broadcast) is for writes only, got function ${fn}`);
  checkInt("address", request.address, 0, 65535);
  const quantity = quantityOf(request);
  checkInt("quantity", quantity, 1, MAX_QUANTITY[fn]);
  if (request.address + quantity > 65536) throw new RangeError(`address ${request.address} + quantity ${quantity} passes 65535`);
  const items = "value" in request ? [request.value] : "values" in request ? request.values : [];
  const bits = isBitFunction(fn);
  items.forEach((value, i) => checkInt(`value[${i}]`, value, 0, bits ? 1 : 65535));
}

/** The RTU frame (unit, PDU, CRC) of a valid request. Throws like `validateRequest`. */
export function encodeRequest(request: ModbusRequest): Uint8Array {
  validateRequest(request);
  const { unit, fn, address } = request;
  let body: Uint8Array;
  if ("count" in request) {
    body = Uint8Array.of(unit, fn, address >> 8, address & 0xff, request.count >> 8, request.count & 0xff);
  } else if ("value" in request) {
    const word = fn === 5 ? (request.value ? 0xff00 : 0) : request.value;
    body = Uint8Array.of(unit, fn, address >> 8, address & 0xff, word >> 8, word & 0xff);
  } else {
    const n = request.values.length;
    const bytes = fn === 15 ? Math.ceil(n / 8) : n * 2;
    body = new Uint8Array(7 + bytes);
    body.set([unit, fn, address >> 8, address & 0xff, n >> 8, n & 0xff, bytes]);
    request.values.forEach((v, i) => {
      if (fn === 15) body[7 + (i >> 3)] |= v << (i & 7);
      else {
        body[7 + 2 * i] = v >> 8;
        body[8 + 2 * i] = v & 0xff;
      }
    });
  }
  return withCrc(body);
}

/** Length of the normal answer's frame to `request` (section 6): reads carry a byte count, writes echo 8 bytes. */
export function responseLength(request: ModbusRequest): number {
  if ("count" in request) return 5 + (isBitFunction(request.fn) ? Math.ceil(request.count / 8) : request.count * 2);
  return 8;
}

/** Length of an exception answer's frame (section 7): unit, function | 0x80, code, CRC. */
export const EXCEPTION_LENGTH = 5;
