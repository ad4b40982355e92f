import { crcMatches, withCrc } from "../modbus/crc16.js";

/** Faults a simulated Modbus slave can be told to have. */
export interface ModbusSlaveFaults {
  /** Says nothing (unplugged, wrong address, wrong baud rate). */
  noAnswer?: boolean;
  /** Answers with its CRC's last byte flipped (line noise). */
  crcError?: boolean;
  /** Answers every request with this exception code (e.g. 4 slave device failure, 6 busy). */
  exception?: number;
  /** Answers this many ms late (a slow PLC scan), on top of its turnaround. */
  slowMs?: number;
}

/** The four data tables of a slave (Application Protocol section 4.3), sized by what it has. */
export interface ModbusTables {
  coils: Uint8Array;
  discrete: Uint8Array;
  holding: Uint16Array;
  input: Uint16Array;
}

/**
 * A Modbus RTU slave at the byte level: it takes one request frame and
 * returns its answer frame with a real CRC, as a device would (Modbus over
 * Serial Line V1.02 and Application Protocol V1.1b3 sections 6-7): functions
 * 1-6, 15, 16; exception 1 for other functions, 2 for an address past its
 * tables, 3 for a bad quantity or value. A frame with a bad CRC or for
 * another unit gets no answer; a broadcast (unit 0) is executed, not
 * answered. `beforeRead` refreshes the tables from the model's state;
 * `afterWrite` hands written values to it. Never throws.
 */
export class ModbusSlaveModel {
  faults: ModbusSlaveFaults = {};
  /** Requests seen for this unit (including broadcasts). */
  requests = 0;
  constructor(
    readonly unit: number,
    readonly tables: ModbusTables,
    readonly hooks: { beforeRead?: () => void; afterWrite?: (table: "coils" | "holding", address: number, count: number) => void } = {},
  ) {}

  /** The answer to `frame`, or undefined when this slave stays silent. */
  answer(frame: Uint8Array): Uint8Array | undefined {
    if (frame.length < 4 || !crcMatches(frame)) return undefined;
    const unit = frame[0];
    if (unit !== this.unit && unit !== 0) return undefined;
    this.requests++;
    if (this.faults.noAnswer) return undefined;
    const pdu = this.#execute(frame.subarray(1, frame.length - 2), unit === 0);
    if (unit === 0) return undefined;
    const body = new Uint8Array(pdu.length + 1);
    body[0] = this.unit;
    body.set(pdu, 1);
    const out = withCrc(body);
    if (this.faults.crcError) out[out.length - 1] ^= 0xff;
    return out;
  }

  #execute(pdu: Uint8Array, broadcast: boolean): Uint8Array {
    const fn = pdu[0];
    const error = (code: number) => Uint8Array.of(fn | 0x80, code);
    if (this.faults.exception) return error(this.faults.exception);
    if (pdu.length < 5) return error(3);
    const address = (pdu[1] << 8) | pdu[2];
    const word = (pdu[3] << 8) | pdu[4];
    const t = this.tables;
    switch (fn) {
      case 1:
      case 2: {
        if (broadcast) return error(1);
        const table = fn === 1 ? t.coils : t.discrete;
        if (word < 1 || word > 2000) return error(3);
        if (address + word > table.length) return error(2);
        this.hooks.beforeRead?.();
        const out = new Uint8Array(2 + Math.ceil(word / 8));
        out[0] = fn;
        out[1] = out.length - 2;
        for (let i = 0; i < word; i++) out[2 + (i >> 3)] |= (table[address + i] ? 1 : 0) << (i & 7);
        return out;
      }
      case 3:
      case 4: {
        if (broadcast) return error(1);
        const table = fn === 3 ? t.holding : t.input;
        if (word < 1 || word > 125) return error(3);
        if (address + word > table.length) return error(2);
        this.hooks.beforeRead?.();
        const out = new Uint8Array(2 + 2 * word);
        out[0] = fn;
        out[1] = 2 * word;
        for (let i = 0; i < word; i++) {
          out[2 + 2 * i] = table[address + i] >> 8;
          out[3 + 2 * i] = table[address + i] & 0xff;
        }
        return out;
      }
      case 5:
        if (word !== 0 && word !== 0xff00) return error(3);
        if (address >= t.coils.length) return error(2);
        t.coils[address] = word ? 1 : 0;
        this.hooks.afterWrite?.("coils", address, 1);
        return pdu.slice(0, 5);
      case 6:
        if (address >= t.holding.length) return error(2);
        t.holding[address] = word;
        this.hooks.afterWrite?.("holding", address, 1);
        return pdu.slice(0, 5);
      case 15:
      case 16: {
        const bytes = pdu[5];
        const max = fn === 15 ? 1968 : 123;
        if (word < 1 || word > max || pdu.length !== 6 + bytes || bytes !== (fn === 15 ? Math.ceil(word / 8) : 2 * word)) return error(3);
        const table = fn === 15 ? t.coils : t.holding;
        if (address + word > table.length) return error(2);
        for (let i = 0; i < word; i++) table[address + i] = fn === 15 ? (pdu[6 + (i >> 3)] >> (i & 7)) & 1 : (pdu[6 + 2 * i] << 8) | pdu[7 + 2 * i];
        this.hooks.afterWrite?.(fn === 15 ? "coils" : "holding", address, word);
        return pdu.slice(0, 5);
      }
      default:
        return error(1);
    }
  }
}

/** Empty tables of the given sizes. */
export function modbusTables(sizes: { coils?: number; discrete?: number; holding?: number; input?: number }): ModbusTables {
  return {
    coils: new Uint8Array(sizes.coils ?? 0),
    discrete: new Uint8Array(sizes.discrete ?? 0),
    holding: new Uint16Array(sizes.holding ?? 0),
    input: new Uint16Array(sizes.input ?? 0),
  };
}

/** Stores `value` as an IEEE 754 float32 in two registers at `address`, high word first (the common word order). */
export function putFloat32(table: Uint16Array, address: number, value: number): void {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value);
  table[address] = view.getUint16(0);
  table[address + 1] = view.getUint16(2);
}
