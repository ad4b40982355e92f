import { decodeUtf8, encodeUtf8 } from "../util/utf8.js";

/**
 * Improv Wi-Fi serial packets (improv-wifi.com/serial): "IMPROV", version 1,
 * type, length, data, checksum (the low byte of the sum of every byte before
 * it, header included).
 */
export const IMPROV_HEADER = [0x49, 0x4d, 0x50, 0x52, 0x4f, 0x56];
export const IMPROV_VERSION = 1;

/** Packet types (spec "Packet format"). */
export const ImprovType = { currentState: 0x01, errorState: 0x02, rpc: 0x03, rpcResult: 0x04 } as const;

/** Current-state values (spec "Packet: Current State"). */
export const ImprovState = { ready: 0x02, provisioning: 0x03, provisioned: 0x04 } as const;

/** Error-state values (spec "Packet: Error state"). */
export const ImprovError = { none: 0x00, invalidRpc: 0x01, unknownRpc: 0x02, unableToConnect: 0x03, unknown: 0xff } as const;

/** RPC command ids (spec "Packet: RPC Command"). */
export const ImprovCommand = { wifiSettings: 0x01, currentState: 0x02, deviceInfo: 0x03, scanNetworks: 0x04 } as const;

/** The low byte of the sum of `bytes`: the Improv checksum of everything before it. */
export function improvChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const byte of bytes) sum = (sum + byte) & 0xff;
  return sum;
}

/** One whole packet of `type` carrying `data` (at most 255 bytes; throws RangeError beyond). */
export function encodeImprovPacket(type: number, data: Uint8Array | number[]): Uint8Array {
  if (data.length > 255) throw new RangeError(`Improv packet data of ${data.length} bytes exceeds 255`);
  const out = new Uint8Array(IMPROV_HEADER.length + 4 + data.length);
  out.set(IMPROV_HEADER, 0);
  let at = IMPROV_HEADER.length;
  out[at++] = IMPROV_VERSION;
  out[at++] = type;
  out[at++] = data.length;
  out.set(data, at);
  out[out.length - 1] = improvChecksum(out.subarray(0, out.length - 1));
  return out;
}

/**
 * An RPC result packet: the command answered and a list of strings, each
 * cut to 255 bytes; strings that would overflow the 255-byte packet are left off.
 */
export function encodeImprovResult(command: number, strings: string[]): Uint8Array {
  const body: number[] = [];
  for (const text of strings) {
    let bytes = encodeUtf8(text);
    if (bytes.length > 255) bytes = bytes.subarray(0, 255);
    if (body.length + 1 + bytes.length > 253) break;
    body.push(bytes.length, ...bytes);
  }
  return encodeImprovPacket(ImprovType.rpcResult, [command, body.length, ...body]);
}

/** An RPC command taken apart, or why it is malformed. */
export type ImprovRpc = { command: number; payload: Uint8Array } | { error: string };

/** Splits an RPC packet's data into command and payload; the inner length must match exactly. */
export function parseImprovRpc(data: Uint8Array): ImprovRpc {
  if (data.length < 2) return { error: `RPC data of ${data.length} byte(s) has no command and length` };
  if (data[1] !== data.length - 2) return { error: `RPC length byte says ${data[1]} but ${data.length - 2} byte(s) follow` };
  return { command: data[0], payload: data.subarray(2) };
}

/** Wi-Fi credentials from a "send Wi-Fi settings" RPC, or why they are malformed. */
export type ImprovWifi = { ssid: string; password: string } | { error: string };

/** Reads `ssid length, ssid, password length, password` (spec "Send Wi-Fi settings"); every byte must be used. */
export function parseImprovWifi(payload: Uint8Array): ImprovWifi {
  const ssidLength = payload[0];
  if (ssidLength === undefined || 1 + ssidLength >= payload.length) return { error: "Wi-Fi settings: the SSID length runs past the data" };
  const passwordLength = payload[1 + ssidLength];
  if (2 + ssidLength + passwordLength !== payload.length) return { error: `Wi-Fi settings: lengths ${ssidLength} and ${passwordLength} do not add up to the ${payload.length} data bytes` };
  return { ssid: decodeUtf8(payload.subarray(1, 1 + ssidLength)), password: decodeUtf8(payload.subarray(2 + ssidLength)) };
}
