/**
 * Guest entry: the ESP32 transport's PublishFlagsWatch on XS. "watch" feeds
 * a stream the way the SDK client reads it (headers a byte at a time, the
 * rest as ArrayBuffers) and returns the retain flag seen at each PUBLISH.
 */
import { PublishFlagsWatch } from "../../../hosts/esp32/publish-flags-watch.js";
import type { XsGuest } from "../../helpers/xs.js";

declare const xsHarness: XsGuest;

/** Each packet: its bytes, and how many header bytes the client reads one at a time. */
xsHarness.on("watch", (packets: { bytes: Uint8Array; header: number; publish: boolean }[]) => {
  const watch = new PublishFlagsWatch();
  const seen: boolean[] = [];
  for (const { bytes, header, publish } of packets) {
    for (let i = 0; i < header; i++) watch.observe(bytes[i]);
    if (publish) seen.push(watch.retain);
    if (bytes.length > header) watch.observe(bytes.slice(header).buffer);
  }
  return seen;
});
