/** Bytes as lower-case hex pairs separated by spaces ("01 03 00 00"), for the debug log and the console. Never throws. */
export function hexBytes(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i++) text += (i ? " " : "") + (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
  return text;
}
