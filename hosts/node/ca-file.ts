import { readFileSync } from "node:fs";

/** A CA certificate read from a file, in the forms the programs use. */
export interface CaFile {
  /** PEM text for Node's `tls` (a PEM file as is, so a bundle stays whole; DER wrapped). */
  pem: string;
  /** The certificates' DER, base64 (the form of the node's `mqtt.tls_ca`), in file order. */
  derBase64: string[];
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*)-----END CERTIFICATE-----/g;

/**
 * Reads a CA certificate file for `--ca FILE` (fieldnode-sim and
 * fieldnode-monitor): PEM (RFC 7468, one or more CERTIFICATE blocks) or
 * DER. Throws Error with a one-line message naming the file when it cannot
 * be read or holds no certificate.
 */
export function readCaFile(file: string): CaFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new Error(`--ca "${file}": cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const text = bytes.toString("latin1");
  if (text.includes("-----BEGIN CERTIFICATE-----")) {
    const derBase64 = [...text.matchAll(PEM_BLOCK)].map((match) => match[1].replace(/\s+/g, ""));
    const bad = derBase64.findIndex((base64) => Buffer.from(base64, "base64")[0] !== 0x30);
    if (derBase64.length === 0 || bad >= 0) throw new Error(`--ca "${file}": certificate ${bad + 1} is not valid PEM (RFC 7468)`);
    return { pem: text, derBase64 };
  }
  if (bytes.length === 0 || bytes[0] !== 0x30) throw new Error(`--ca "${file}" is neither a PEM nor a DER certificate`);
  const base64 = bytes.toString("base64");
  return { pem: `-----BEGIN CERTIFICATE-----\n${base64.replace(/.{64}/g, "$&\n")}\n-----END CERTIFICATE-----\n`, derBase64: [base64] };
}
