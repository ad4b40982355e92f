import test from "ava";
import type { Reading } from "../../modules/io/channels.js";
import { syntheticSkab } from "../bench/skab.js";
import { boundsOf, firmwareRun, type PackPolicy } from "../helpers/pack-path.js";
import { runOnXS } from "../helpers/xs.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");

/** 5 min of the SKAB shape, `current` bad for 5 s and `flow` uncertain for 11 s (quality records in the packs). */
function rows(): Reading[][] {
  return syntheticSkab(300).map((row, second) =>
    row.map((r): Reading => {
      if (r.channel === "current" && second >= 100 && second < 105) return { channel: r.channel, unit: r.unit, at: r.at, quality: "bad", reason: "nack" };
      if (r.channel === "flow" && second >= 140 && second <= 150) return { ...r, quality: "uncertain", reason: "over_range", value: r.value as number };
      return r;
    }),
  );
}

// One at a time: each runs an XS worker, and the machine is shared.
for (const [policy, maxPacketBytes] of [[{ batchSize: 10, maxAgeMs: 10_000 }, 1024], [{ batchSize: 1000, maxAgeMs: 120_000 }, 1024], [{ batchSize: 1000, maxAgeMs: 120_000 }, 400]] as [PackPolicy, number][]) {
  test.serial(`the compact pack path (compress, channel batcher, shortest numbers, re-based times) makes the same bytes on XS as on Node: ${policy.batchSize} readings / ${policy.maxAgeMs / 1000} s, ${maxPacketBytes} B packets`, async (t) => {
    const run = await runOnXS("test/xs/entries/compact-packs.ts");
    t.teardown(() => run.close());
    const input = rows();
    const bounds = boundsOf(input);
    await run.command("start", { policy, bounds: [...bounds], maxPacketBytes });
    for (let i = 0; i < input.length; i += 30) await run.command("feed", input.slice(i, i + 30));
    const onXS = await run.command<Uint8Array[]>("finish");
    const onNode = firmwareRun(input, policy, bounds, maxPacketBytes).packs;
    t.true(onNode.length > 2);
    t.deepEqual(onXS.map(hex), onNode.map(hex));
  });
}
