import test from "ava";
import { Counters } from "../../modules/counters.js";
import type { Reading } from "../../modules/io/channels.js";
import { PackMaker } from "../../modules/telemetry/pack-maker.js";
import { encodeTelemetryPack } from "../../modules/telemetry/telemetry-pack.js";
import { rowsOf } from "../helpers/reading-rows.js";
import { randomInt, seededRandom } from "../helpers/seeded-random.js";

test("seeded: fits never says yes to readings whose pack is too big, on the shortcut from its last encoding too", (t) => {
  const random = seededRandom(0xf175);
  let shortcuts = 0;
  for (let run = 0; run < 60; run++) {
    const maxPacketBytes = 200 + randomInt(random, 900);
    const epochAtBoot = run % 3 === 0 ? undefined : 1_767_225_600_437;
    const maker = new PackMaker({ nodeId: "pump-7", bootId: "9f3a01c2", teleTopic: "fieldnode/pump-7/tele", maxPacketBytes, epochAtBoot: () => epochAtBoot }, new Counters());
    // The pack grows in place, as the Batcher's columns do: the PackMaker's incremental bound and shortcut apply.
    let pack = rowsOf([]);
    let at = 0;
    for (let step = 0; step < 400; step++) {
      at += randomInt(random, 4) * 250 + (random() < 0.05 ? 60_000 : 0);
      const channel = ["vib1", "pressure", "current"][randomInt(random, 3)];
      const pick = random();
      const value = pick < 0.3 ? Math.round(random() * 1e5) : (random() - 0.5) * 10 ** randomInt(random, 6);
      const reading: Reading = pick < 0.03 ? { channel, unit: "A", at, quality: "bad", reason: "nack" }
        : pick < 0.06 ? { channel, unit: "A", at, quality: "uncertain", reason: "over_range", value }
        : { channel, unit: channel === "pressure" ? "Pa" : "m/s2", at, quality: "good", value, ...(random() < 0.5 ? { tolerance: Math.abs(value) * 1e-3 } : {}) };
      pack.push(reading);
      const exact = encodeTelemetryPack({ nodeId: "pump-7", bootId: "9f3a01c2", seq: 0xffffffff, epochAtBoot }, pack).byteLength;
      if (maker.fits(pack)) {
        if (exact <= maker.limit) shortcuts++;
        t.true(exact <= maker.limit, `run ${run}, step ${step}: fits said yes to ${exact} B over ${maker.limit}`);
      } else {
        t.true(exact > maker.limit, `run ${run}, step ${step}: said no to ${exact} B within ${maker.limit}`);
        pack = rowsOf([reading]);
      }
    }
  }
  t.true(shortcuts > 1000);
});
