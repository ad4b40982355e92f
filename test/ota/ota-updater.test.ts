import test from "ava";
import { Counters } from "../../modules/counters.js";
import { Logger } from "../../modules/log.js";
import type { CommandResponse } from "../../modules/mqtt/commands.js";
import { OtaUpdater, OTA_RESTART_DELAY_MS, type OtaSettings } from "../../modules/ota/ota-updater.js";
import { readOtaRecord } from "../../modules/ota/ota-record.js";
import { memoryPlatform } from "../helpers/memory-platform.js";
import { ManualHttp, MemoryOtaSlots } from "../helpers/memory-ota.js";
import { signedImage, updateKey } from "../helpers/ota-image.js";

const KEY = updateKey();
const SLOT = 4096;

/** A node's OTA parts on a memory platform; `reboot()` powers up again on the same flash and slots. */
function rig(settings: Partial<OtaSettings> = {}) {
  const mem = memoryPlatform();
  const slots = new MemoryOtaSlots(SLOT, "1.0.0");
  const http = new ManualHttp();
  const platform = { ...mem.platform, ota: slots, http };
  const events: [string, string][] = [];
  const responses: CommandResponse[] = [];
  const counters = new Counters();
  const current = { settings: { key: KEY.publicHex, confirmS: 60, stallS: 30, allowDowngrade: false, ...settings } };
  const make = () => {
    const updater = new OtaUpdater({
      platform, log: new Logger(platform), counters, event: (k, d) => events.push([k, d]),
      respond: (r) => { responses.push(r); return 1; }, settings: () => current.settings, runningVersion: slots.runningVersion(),
    });
    updater.boot();
    return updater;
  };
  const r = {
    mem, slots, http, events, responses, counters, current, updater: make(),
    reboot() {
      slots.bootloader();
      r.updater = make();
      return r.updater;
    },
  };
  return r;
}

function command(image: { sha256: string; sig: string; image: Uint8Array }, extra: Record<string, unknown> = {}) {
  return new Map<string, unknown>(Object.entries({ url: "http://updates.local/fw.bin", size: image.image.byteLength, sha256: image.sha256, sig: image.sig, ...extra }));
}

test("a signed newer image: downloaded in chunks, verified, switched, restarted, confirmed at the first connection", (t) => {
  const r = rig();
  const img = signedImage(KEY.privateKey, "1.1.0", 3000);
  const outcome = r.updater.start("u1", command(img, { version: "1.1.0" }));
  t.true(outcome.ok);
  t.is(r.http.url, "http://updates.local/fw.bin");
  r.http.send(img.image, 97);
  t.regex(r.updater.state, /^downloading 100%$/);
  r.http.handlers!.onDone();
  t.is(r.updater.state, "verifying");
  r.mem.advance(0);
  t.is(r.updater.state, "restarting");
  t.deepEqual([...r.slots.images[1]], [...img.image.subarray(16)], "the payload, without the header, is in the other slot");
  t.is(r.slots.active, 1);
  t.like(r.responses.at(-1), { id: "u1", ok: true });
  t.is(readOtaRecord(r.mem.storage)?.phase, "switched");
  r.mem.advance(OTA_RESTART_DELAY_MS);
  t.is(r.mem.restarts, 1);
  t.deepEqual(r.events.filter(([k]) => k === "ota").map(([, d]) => d.replace(/ \(.*\)$/, "")).slice(1, 4), ["u1: 25%", "u1: 50%", "u1: 75%"]);

  const after = r.reboot();
  t.is(after.state, "confirming");
  after.connected();
  t.is(after.state, "idle");
  t.is(r.slots.trial, undefined, "confirmed");
  t.deepEqual(r.responses.at(-1), { id: "u1", ok: true, result: new Map<string, unknown>([["state", "confirmed"], ["version", "1.1.0"]]) });
  t.is(readOtaRecord(r.mem.storage), undefined);
  r.reboot();
  t.is(r.slots.runningVersion(), "1.1.0", "stays on the new firmware");
});

test("not confirmed within ota.confirm_s: the firmware rolls back, and the old one says so", (t) => {
  const r = rig({ confirmS: 20 });
  const img = signedImage(KEY.privateKey, "1.1.0", 500);
  r.updater.start("u2", command(img));
  r.http.send(img.image);
  r.http.handlers!.onDone();
  r.mem.advance(OTA_RESTART_DELAY_MS);
  r.reboot();
  r.mem.advance(20_000);
  t.is(r.slots.restarts, 1, "rollback() restarted");
  t.is(r.slots.active, 0);
  const old = r.reboot();
  t.is(r.slots.runningVersion(), "1.0.0");
  t.deepEqual(r.events.at(-1), ["ota_rolled_back", "1.1.0 rolled back to 1.0.0: no broker connection within ota.confirm_s = 20 s"]);
  old.connected();
  t.like(r.responses.at(-1), { id: "u2", ok: false, code: "failed" });
});

test("a power cut before the confirmation: the bootloader rolls back and the old firmware says so", (t) => {
  const r = rig();
  const img = signedImage(KEY.privateKey, "2.0.0", 500);
  r.updater.start("u3", command(img));
  r.http.send(img.image);
  r.http.handlers!.onDone();
  r.mem.advance(0);
  r.reboot(); // new firmware on trial
  r.reboot(); // power cut before it connected
  t.is(r.slots.runningVersion(), "1.0.0");
  t.deepEqual(r.events.at(-1), ["ota_rolled_back", "2.0.0 rolled back to 1.0.0: it restarted before it confirmed"]);
});

test("a power cut during the download: the running firmware stays, and the next boot reports it", (t) => {
  const r = rig();
  const img = signedImage(KEY.privateKey, "1.1.0", 2000);
  r.updater.start("u4", command(img));
  r.http.send(img.image.subarray(0, 900));
  const after = r.reboot();
  t.is(r.slots.runningVersion(), "1.0.0");
  t.is(r.events.at(-1)![0], "ota_failed");
  t.regex(r.events.at(-1)![1], /interrupted.*download; 1\.0\.0 kept/);
  after.connected();
  t.like(r.responses.at(-1), { id: "u4", ok: false });
  t.is(after.start("u5", command(img)).ok, true, "a new update may start");
});

const refusedAtStart: [string, Partial<OtaSettings>, (img: ReturnType<typeof signedImage>) => Map<string, unknown>, string, RegExp][] = [
  ["no url", {}, (img) => { const c = command(img); c.delete("url"); return c; }, "bad_request", /"url" is missing/],
  ["ftp url", {}, (img) => command(img, { url: "ftp://x/fw.bin" }), "bad_request", /http:\/\/ or https:\/\//],
  ["url with a space", {}, (img) => command(img, { url: "http://x/a b" }), "bad_request", /printable ASCII/],
  ["no size", {}, (img) => { const c = command(img); c.delete("size"); return c; }, "bad_request", /"size"/],
  ["size over the slot", {}, (img) => command(img, { size: SLOT + 17 }), "out_of_range", /exceeds the slot/],
  ["sha256 not hex", {}, (img) => command(img, { sha256: "zz".repeat(32) }), "bad_request", /"sha256" must be 64 hex/],
  ["no sha256", {}, (img) => { const c = command(img); c.delete("sha256"); return c; }, "bad_request", /"sha256" must be 64 hex/],
  ["sig too short", {}, (img) => command(img, { sig: "ab".repeat(63) }), "bad_request", /"sig" must be 128 hex/],
  ["size not a number", {}, (img) => command(img, { size: "1000" }), "bad_request", /"size"/],
  ["no sig", {}, (img) => { const c = command(img); c.delete("sig"); return c; }, "bad_request", /"sig" must be 128 hex/],
  ["bad version", {}, (img) => command(img, { version: "1.2" }), "bad_request", /"version"/],
  ["no key set", { key: "" }, (img) => command(img), "not_allowed", /set ota.key at the console/],
];
for (const [name, settings, build, code, message] of refusedAtStart) {
  test(`refused at once, nothing started: ${name}`, (t) => {
    const r = rig(settings);
    const outcome = r.updater.start("x", build(signedImage(KEY.privateKey, "1.1.0", 100)));
    t.false(outcome.ok);
    if (!outcome.ok) {
      t.is(outcome.code as string, code);
      t.regex(outcome.error, message);
    }
    t.is(r.http.url, undefined, "no download");
    t.is(readOtaRecord(r.mem.storage), undefined);
  });
}

test("a second OTA while one runs is refused busy; the first goes on", (t) => {
  const r = rig();
  const img = signedImage(KEY.privateKey, "1.1.0", 500);
  t.true(r.updater.start("a", command(img)).ok);
  const second = r.updater.start("b", command(img));
  t.like(second, { ok: false, code: "failed" });
  t.regex((second as { error: string }).error, /busy: an update is downloading 0% \(id a\)/);
  r.http.send(img.image);
  r.http.handlers!.onDone();
  r.mem.advance(0);
  t.is(r.updater.state, "restarting");
});

type Img = ReturnType<typeof signedImage>;
const failedLater: [string, Partial<OtaSettings>, () => Img, (r: ReturnType<typeof rig>, img: Img) => void, string, RegExp][] = [
  ["wrong digest", {}, () => ({ ...signedImage(KEY.privateKey, "1.1.0", 500), sha256: "00".repeat(32) }), (r, img) => { r.http.send(img.image); r.http.handlers!.onDone(); r.mem.advance(0); }, "bad_request", /SHA-256 .* does not match/],
  ["unsigned: an all-zero signature", {}, () => ({ ...signedImage(KEY.privateKey, "1.1.0", 500), sig: "00".repeat(64) }), (r, img) => { r.http.send(img.image); r.http.handlers!.onDone(); r.mem.advance(0); }, "forbidden", /signature does not verify/],
  ["signed by another key", {}, () => signedImage(updateKey().privateKey, "1.1.0", 500), (r, img) => { r.http.send(img.image); r.http.handlers!.onDone(); r.mem.advance(0); }, "forbidden", /signature does not verify/],
  ["truncated", {}, () => signedImage(KEY.privateKey, "1.1.0", 500), (r, img) => { r.http.send(img.image.subarray(0, 300)); r.http.handlers!.onDone(); }, "failed", /truncated: 300 of 516/],
  ["longer than size", {}, () => signedImage(KEY.privateKey, "1.1.0", 500), (r, img) => { r.http.send(img.image); r.http.handlers!.onChunk(new Uint8Array(1)); }, "failed", /more than "size" 516/],
  ["stalled", { stallS: 5 }, () => signedImage(KEY.privateKey, "1.1.0", 500), (r, img) => { r.http.send(img.image.subarray(0, 200)); r.mem.advance(4999); r.http.send(img.image.subarray(200, 300)); r.mem.advance(5000); }, "failed", /stalled: no data for 5 s .* after 300 bytes/],
  ["http error", {}, () => signedImage(KEY.privateKey, "1.1.0", 500), (r) => r.http.handlers!.onError("HTTP 404"), "failed", /download failed: HTTP 404/],
  ["older image", {}, () => signedImage(KEY.privateKey, "0.9.9", 500), (r, img) => r.http.send(img.image), "forbidden", /0\.9\.9 is older than the running 1\.0\.0/],
  ["version differs from the command's", {}, () => signedImage(KEY.privateKey, "1.2.0", 500), (r, img) => r.http.send(img.image, 7), "bad_request", /carries 1\.2\.0, the command said "version" 1\.1\.0/],
  ["not a fieldnode image", {}, () => { const img = signedImage(KEY.privateKey, "1.1.0", 500); img.image[0] = 0xe9; return img; }, (r, img) => r.http.send(img.image), "bad_request", /no FNIM magic/],
];
for (const [name, settings, make, drive, code, message] of failedLater) {
  test(`refused after it started, running firmware kept: ${name}`, (t) => {
    const r = rig(settings);
    const img = make();
    const extra = name.startsWith("version") ? { version: "1.1.0" } : {};
    t.true(r.updater.start("f", command(img, extra)).ok);
    drive(r, img);
    t.is(r.updater.state, "idle");
    t.like(r.responses.at(-1), { id: "f", ok: false, code: code as CommandResponse["code"] });
    t.regex(r.responses.at(-1)!.error!, message);
    t.is(r.events.at(-1)![0], "ota_failed");
    t.is(r.slots.active, 0);
    t.is(r.slots.trial, undefined);
    t.false(r.slots.writing, "slot aborted");
    t.is(readOtaRecord(r.mem.storage), undefined);
    r.mem.advance(60_000);
    t.is(r.mem.restarts, 0);
    r.reboot();
    t.is(r.slots.runningVersion(), "1.0.0");
  });
}

test("an older image installs when ota.allow_downgrade is on", (t) => {
  const r = rig({ allowDowngrade: true });
  const img = signedImage(KEY.privateKey, "0.9.0", 300);
  r.updater.start("d", command(img));
  r.http.send(img.image);
  r.http.handlers!.onDone();
  r.mem.advance(OTA_RESTART_DELAY_MS);
  r.reboot().connected();
  t.is(r.slots.runningVersion(), "0.9.0");
  t.like(r.responses.at(-1), { id: "d", ok: true });
});

test("the largest valid cmd/ota (32-char id, 200-char url, version, exp) fits the 512-byte command limit", async (t) => {
  const { encode } = await import("cbor-x");
  const { COMMAND_MAX_BYTES } = await import("../../modules/mqtt/commands.js");
  const { OTA_URL_MAX } = await import("../../modules/ota/ota-request.js");
  const largest = new Map<string, unknown>(Object.entries({ id: "x".repeat(32), url: `https://${"a".repeat(OTA_URL_MAX - 8)}`, size: 0x1b0000 + 16, sha256: "a".repeat(64), sig: "b".repeat(128), version: "255.255.255", exp: 4102444800 }));
  t.true(encode(largest).byteLength <= COMMAND_MAX_BYTES);
});
