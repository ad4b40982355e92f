import test from "ava";
import { decode, encode } from "cbor-x";
import { Counters } from "../../modules/counters.js";
import { Logger } from "../../modules/log.js";
import { CommandHandler, COMMAND_MAX_BYTES, encodeResponse, type CommandOutcome, type CommandTargets } from "../../modules/mqtt/commands.js";
import { memoryPlatform } from "../helpers/memory-platform.js";

/** Targets that record every call; `now` is the wall clock (undefined = not synchronised). */
function rig(now: number | null = 1_750_000_000_000) {
  const calls: string[] = [];
  const ok = (what: string, result?: unknown): CommandOutcome => { calls.push(what); return { ok: true, result }; };
  const targets: CommandTargets = {
    wallTime: () => now ?? undefined,
    ping: () => { calls.push("ping"); return "pong"; },
    read: (ch) => (ch === "temp" ? ok(`read ${ch}`, 21.5) : { ok: false, code: "not_found", error: `no channel "${ch}"` }),
    actuate: (name, value) => (typeof value === "number" && value > 100 ? { ok: false, code: "out_of_range", error: "0-100" } : ok(`act ${name}=${value}`)),
    configure: (entries) => {
      const keys = [...entries.keys()];
      if (keys.includes("mqtt.url")) return { ok: false, code: "not_allowed", error: "mqtt.url: mqtt.url is a broker/credential key: the technician must enable mqtt.remote_admin at the serial console first" };
      if (keys.includes("mqtt.remote_admin")) return { ok: false, code: "forbidden", error: "mqtt.remote_admin: mqtt.remote_admin is not remotely settable" };
      return ok(`set ${[...entries].map(([k, v]) => `${k}=${v}`).join(",")}`);
    },
    rebirth: () => ok("rebirth"),
    reboot: () => ok("reboot"),
  };
  const counters = new Counters();
  const handler = new CommandHandler(targets, counters, new Logger(memoryPlatform().platform));
  return { handler, calls, counters };
}

const cbor = (value: unknown) => new Uint8Array(encode(value));
const map = (entries: [unknown, unknown][]) => cbor(new Map(entries));

test("each verb runs once and answers ok with its id", (t) => {
  const { handler, calls } = rig();
  t.deepEqual(handler.handle("ping", map([["id", "a1"]])), { id: "a1", ok: true, result: "pong" });
  t.deepEqual(handler.handle("read", map([["id", "a2"], ["ch", "temp"]])), { id: "a2", ok: true, result: 21.5 });
  t.deepEqual(handler.handle("act", map([["id", "a3"], ["name", "pump"], ["value", true]])), { id: "a3", ok: true });
  t.deepEqual(handler.handle("set", map([["id", "a4"], ["keys", new Map([["node.site", "hall 3"]])]])), { id: "a4", ok: true });
  t.deepEqual(handler.handle("rebirth", map([["id", "a5"]])), { id: "a5", ok: true });
  t.deepEqual(handler.handle("reboot", map([["id", "a6"], ["exp", 1_750_000_060]])), { id: "a6", ok: true });
  t.deepEqual(calls, ["ping", "read temp", "act pump=true", "set node.site=hall 3", "rebirth", "reboot"]);
});

test("a repeated id is answered with the first response, flagged dup, and not applied twice", (t) => {
  const { handler, calls, counters } = rig();
  const first = handler.handle("act", map([["id", "once"], ["name", "pump"], ["value", 1]]));
  const second = handler.handle("act", map([["id", "once"], ["name", "pump"], ["value", 1]]));
  t.deepEqual(second, { ...first, dup: true });
  t.deepEqual(calls, ["act pump=1"]);
  t.is(counters.get("cmd_dup"), 1);
});

test("the id memory is bounded: after 32 newer ids the oldest is forgotten", (t) => {
  const { handler, calls } = rig();
  for (let i = 0; i <= 32; i++) handler.handle("ping", map([["id", `p${i}`]]));
  handler.handle("ping", map([["id", "p0"]]));
  t.is(calls.length, 34);
});

/** Bad commands: [title, verb, payload, code, message pattern]. Each must change nothing. */
const BAD: [string, string, Uint8Array, string, RegExp][] = [
  ["not CBOR", "ping", Uint8Array.from([0xff, 0x00, 0x9f]), "bad_request", /not CBOR/],
  ["truncated CBOR", "ping", cbor(new Map([["id", "x"]])).slice(0, 3), "bad_request", /not CBOR/],
  ["an array", "ping", cbor(["id", "x"]), "bad_request", /must be a CBOR map/],
  ["integer keys", "ping", map([[1, "x"]]), "bad_request", /keys must be text strings/],
  ["no id", "ping", map([["ch", "temp"]]), "bad_request", /"id" must be/],
  ["id too long", "ping", map([["id", "x".repeat(33)]]), "bad_request", /"id" must be 1-32/],
  ["id not a string", "ping", map([["id", 5]]), "bad_request", /"id" must be/],
  ["oversize", "ping", map([["id", "big"], ["pad", "x".repeat(COMMAND_MAX_BYTES)]]), "too_large", /exceeds 512/],
  ["unknown verb", "format", map([["id", "u1"]]), "unknown_verb", /unknown verb "format"/],
  ["nested verb", "ping/extra", map([["id", "u2"]]), "unknown_verb", /unknown verb/],
  ["expired", "act", map([["id", "e1"], ["exp", 1_749_999_999], ["name", "pump"], ["value", 1]]), "expired", /expired at 1749999999/],
  ["exp not a number", "ping", map([["id", "e2"], ["exp", "soon"]]), "bad_request", /"exp" must be epoch seconds/],
  ["unexpected argument", "ping", map([["id", "x1"], ["force", true]]), "bad_request", /"ping" takes no "force"/],
  ["read without channel", "read", map([["id", "r1"]]), "bad_request", /"ch" must be a channel name/],
  ["read unknown channel", "read", map([["id", "r2"], ["ch", "nope"]]), "not_found", /no channel "nope"/],
  ["act value a string", "act", map([["id", "c1"], ["name", "pump"], ["value", "on"]]), "bad_request", /"value" must be a number or boolean/],
  ["act value NaN", "act", map([["id", "c2"], ["name", "pump"], ["value", Number.NaN]]), "bad_request", /"value" must be/],
  ["act out of range", "act", map([["id", "c3"], ["name", "fan"], ["value", 150]]), "out_of_range", /0-100/],
  ["set keys not a map", "set", map([["id", "s1"], ["keys", ["node.site"]]]), "bad_request", /"keys" must be a non-empty map/],
  ["set empty", "set", map([["id", "s2"], ["keys", new Map()]]), "bad_request", /non-empty map/],
  ["set value an array", "set", map([["id", "s3"], ["keys", new Map([["node.site", [1]]])]]), "bad_request", /value of "node.site"/],
  ["set broker without the technician's switch", "set", map([["id", "s4"], ["keys", new Map([["mqtt.url", "mqtt://evil:1883"]])]]), "not_allowed", /^mqtt\.url: .*must enable mqtt\.remote_admin at the serial console/],
  ["set the switch itself", "set", map([["id", "s5"], ["keys", new Map([["mqtt.remote_admin", true]])]]), "forbidden", /not remotely settable/],
];

for (const [title, verb, payload, code, message] of BAD) {
  test(`refused, nothing applied: ${title}`, (t) => {
    const { handler, calls, counters } = rig();
    const response = handler.handle(verb, payload);
    t.false(response.ok);
    t.is(response.code, code as never);
    t.regex(response.error ?? "", message);
    t.deepEqual(calls.filter((c) => !c.startsWith("read") || response.code !== "not_found"), []);
    t.is(counters.get("cmd_errors"), 1);
  });
}

test("a command with exp is refused while the clock is not synchronised", (t) => {
  const { handler, calls } = rig(null);
  const response = handler.handle("reboot", map([["id", "n1"], ["exp", 2_000_000_000]]));
  t.is(response.code, "no_clock");
  t.deepEqual(calls, []);
});

test("a refused command's id can be used again only as a duplicate (its error is repeated)", (t) => {
  const { handler, calls } = rig();
  handler.handle("act", map([["id", "z"], ["name", "fan"], ["value", 150]]));
  const again = handler.handle("act", map([["id", "z"], ["name", "fan"], ["value", 50]]));
  t.is(again.code, "out_of_range");
  t.true(again.dup);
  t.deepEqual(calls, []);
});

test("responses are CBOR maps with string keys; absent fields are left out", (t) => {
  const decoded = decode(encodeResponse({ id: "a1", ok: false, code: "expired", error: "too late" }));
  t.deepEqual(decoded, { id: "a1", ok: false, code: "expired", error: "too late" });
  t.deepEqual(decode(encodeResponse({ id: null, ok: true })), { id: null, ok: true });
  t.is(encodeResponse({ id: "a", ok: true })[0], 0xa2, "a plain map: no tag 259 in front");
});

test("20,000 seeded random payloads: never a throw, and nothing applied unless the answer is ok", async (t) => {
  const { seededRandom } = await import("../helpers/seeded-random.js");
  const random = seededRandom(7);
  const { handler, calls } = rig();
  const verbs = ["ping", "read", "act", "set", "rebirth", "reboot", "nope", ""];
  const values = [() => "x", () => 1, () => -1e300, () => true, () => null, () => new Map([["node.site", 1]]), () => [1, 2], () => new Uint8Array(3)];
  for (let i = 0; i < 20_000; i++) {
    let payload: Uint8Array;
    if (random() < 0.5) payload = Uint8Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 256));
    else {
      const entries: [unknown, unknown][] = [];
      const n = Math.floor(random() * 4);
      for (let k = 0; k < n; k++) entries.push([["id", "ch", "name", "value", "keys", "exp", 3][Math.floor(random() * 7)], values[Math.floor(random() * values.length)]()]);
      payload = map(entries);
      if (random() < 0.3 && payload.length > 1) payload = payload.slice(0, Math.floor(random() * payload.length));
    }
    const before = calls.length;
    const response = handler.handle(verbs[Math.floor(random() * verbs.length)], payload);
    t.true(typeof response.ok === "boolean");
    if (!response.ok) t.is(calls.length, before, `refused but applied: ${JSON.stringify(response)}`);
  }
});
