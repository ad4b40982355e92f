/**
 * The client side of Improv serial (improv-wifi.com/serial), written from
 * the specification independently of modules/console/improv-*: builds RPC
 * packets and finds device packets in a byte stream mixed with text.
 * XS-safe (no Node built-ins).
 */

const HEADER = [..."IMPROV"].map((c) => c.charCodeAt(0));

/** A whole packet: header, version 1, type, length, data, checksum (sum of all bytes before it, mod 256). */
export function improvPacket(type: number, data: number[]): Uint8Array {
  const bytes = [...HEADER, 1, type, data.length, ...data];
  return Uint8Array.from([...bytes, bytes.reduce((a, b) => a + b, 0) & 0xff]);
}

const utf8 = (text: string) => [...new TextEncoderLike().encode(text)];

/** An RPC command packet (type 3): command, data length, data. */
export function improvRpc(command: number, data: number[] = []): Uint8Array {
  return improvPacket(0x03, [command, data.length, ...data]);
}

/** The "send Wi-Fi settings" RPC (command 1). */
export function improvWifi(ssid: string, password: string): Uint8Array {
  const s = utf8(ssid);
  const p = utf8(password);
  return improvRpc(0x01, [s.length, ...s, p.length, ...p]);
}

/** One packet the device sent: type and data; for an RPC result, the command and its strings too. */
export interface DevicePacket {
  type: number;
  data: number[];
  command?: number;
  strings?: string[];
}

/** Device packets found in `bytes`, with the text around them; a packet with a bad checksum is reported as type -1. */
export function parseDeviceStream(bytes: Uint8Array): { packets: DevicePacket[]; text: string } {
  const packets: DevicePacket[] = [];
  let text = "";
  let i = 0;
  while (i < bytes.length) {
    const isHeader = HEADER.every((b, k) => bytes[i + k] === b) && bytes[i + 6] === 1 && i + 9 <= bytes.length;
    if (!isHeader) {
      text += String.fromCharCode(bytes[i++]);
      continue;
    }
    const type = bytes[i + 7];
    const length = bytes[i + 8];
    const end = i + 9 + length;
    const data = [...bytes.subarray(i + 9, end)];
    const sum = [...bytes.subarray(i, end)].reduce((a, b) => a + b, 0) & 0xff;
    const packet: DevicePacket = { type: sum === bytes[end] ? type : -1, data };
    if (type === 0x04) {
      packet.command = data[0];
      packet.strings = [];
      let at = 2;
      while (at < 2 + data[1]) {
        const n = data[at];
        packet.strings.push(new TextDecoderLike().decode(Uint8Array.from(data.slice(at + 1, at + 1 + n))));
        at += 1 + n;
      }
    }
    packets.push(packet);
    i = end + 1;
  }
  return { packets, text };
}

/** UTF-8 both on Node and XS (XS has no TextEncoder in the harness). */
class TextEncoderLike {
  encode(text: string): Uint8Array {
    const out: number[] = [];
    for (const ch of text) {
      const c = ch.codePointAt(0)!;
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return Uint8Array.from(out);
  }
}

class TextDecoderLike {
  decode(bytes: Uint8Array): string {
    return decodeURIComponent([...bytes].map((b) => `%${b.toString(16).padStart(2, "0")}`).join(""));
  }
}
