import test from "ava";
import { createHash } from "node:crypto";
import { runOnXS } from "../helpers/xs.js";
import { signedImage, updateKey } from "../helpers/ota-image.js";

const KEY = updateKey();

test("on XS: SHA-256 matches node:crypto and the NIST abc example; P-256 accepts node:crypto's signature and refuses a changed one", async (t) => {
  const run = await runOnXS("test/xs/entries/ota-updater.ts");
  t.teardown(() => run.close());
  t.is(await run.command("sha256", [0x61, 0x62, 0x63]), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const img = signedImage(KEY.privateKey, "1.1.0", 700, 9);
  t.is(await run.command("sha256", [...img.image]), createHash("sha256").update(img.image).digest("hex"));
  t.true(await run.command<boolean>("verify", [KEY.publicHex, img.sha256, img.sig]));
  const flipped = (img.sig[0] === "0" ? "1" : "0") + img.sig.slice(1);
  t.false(await run.command<boolean>("verify", [KEY.publicHex, img.sha256, flipped]));
});

type Outcome = { started: boolean; switched: boolean; running: string; said: string[]; responses: { id: string; ok: boolean; code: string | null; error: string | null; state: string | null }[] };

test("on XS: an update confirms, rolls back by time-out and by power cut; a bad signature is refused", async (t) => {
  const run = await runOnXS("test/xs/entries/ota-updater.ts");
  t.teardown(() => run.close());
  const img = signedImage(KEY.privateKey, "1.2.0", 5000, 10);
  const fields = { url: "https://fleet.example/fw.bin", size: img.image.byteLength, sha256: img.sha256, sig: img.sig };
  const update = (then: string, extra: Record<string, unknown> = {}) => run.command<Outcome>("update", { key: KEY.publicHex, image: [...img.image], fields: { ...fields, ...extra }, then });

  const ok = await update("connect");
  t.like(ok, { started: true, switched: true, running: "1.2.0" });
  t.deepEqual(ok.responses.map((r) => r.state), ["restarting", "confirmed"]);

  const silent = await update("silent");
  t.is(silent.running, "1.0.0");
  t.regex(silent.responses.at(-1)!.error!, /1\.2\.0 rolled back to 1\.0\.0: no broker connection within ota\.confirm_s = 30 s/);

  const cut = await update("power-cut");
  t.is(cut.running, "1.0.0");
  t.regex(cut.responses.at(-1)!.error!, /it restarted before it confirmed/);

  const forged = await update("connect", { sig: "11".repeat(64) });
  t.like(forged, { started: true, switched: false, running: "1.0.0" });
  t.like(forged.responses.at(-1), { ok: false, code: "forbidden" });
});
