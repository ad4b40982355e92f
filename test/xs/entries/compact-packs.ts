/**
 * Guest entry: the firmware's compact pack path on XS (compress with its
 * reporting tolerance, the channel Batcher, the PackMaker's SenML-CBOR with
 * shortest exact numbers), in steps (xsnap meters each command): "start"
 * sets the policy, the bounds and the packet size, "feed" replays rows,
 * "finish" flushes and returns the payloads.
 */
import type { Reading } from "../../../modules/io/channels.js";
import { PackPath, type PackPolicy } from "../../helpers/pack-path.js";
import type { XsGuest } from "../../helpers/xs.js";

declare const xsHarness: XsGuest;

let path: PackPath | undefined;
xsHarness.on("start", ({ policy, bounds, maxPacketBytes }: { policy: PackPolicy; bounds: [string, number][]; maxPacketBytes: number }) => {
  path = new PackPath(policy, new Map(bounds), maxPacketBytes);
  return true;
});
xsHarness.on("feed", (rows: Reading[][]) => {
  path!.feed(rows);
  return true;
});
xsHarness.on("finish", () => path!.finish().packs);
