/**
 * Issue 7 item 4: text from outside (MQTT topics and payloads, config
 * values) must not reach a log line or the console raw: CR, LF, ESC, C0/C1
 * and DEL are escaped, so a command cannot forge a log line or drive the
 * technician's terminal.
 */
import test from "ava";
import { ConfigService } from "../../modules/config/config-service.js";
import { escapeControls } from "../../modules/util/escape-controls.js";
import { MemoryStorage } from "../helpers/memory-platform.js";
import { bootNode, newTrace } from "../helpers/node-rig.js";
import { seededRandom } from "../helpers/seeded-random.js";

const FORGED = "x\r\n[0.000] ERROR node: forged line\x1b[2J\x1b]0;owned\x07\u009b31m\u2028\x7f";
/** Any control character a terminal would act on. */
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/;

test("escapeControls: printable text unchanged, each control character a visible escape", (t) => {
  t.is(escapeControls("plain text \\ \"quoted\" äöü €"), "plain text \\ \"quoted\" äöü €");
  t.is(escapeControls("a\r\nb\tc\x1b[2Jd\x00\x7f\u0085\u009b\u2028"), "a\\r\\nb\\tc\\x1b[2Jd\\x00\\x7f\\x85\\x9b\\u2028");
  const random = seededRandom(7);
  for (let i = 0; i < 2000; i++) {
    let text = "";
    for (let j = 0; j < 20; j++) text += String.fromCharCode(Math.floor(random() * 0x2100));
    t.false(CONTROL.test(escapeControls(text)), JSON.stringify(text));
  }
});

const payloads: [string, string, Map<string, unknown>][] = [
  ["a channel name (no channel \"…\")", "read", new Map<string, unknown>([["id", "r1"], ["ch", FORGED]])],
  ["an actuator name", "act", new Map<string, unknown>([["id", "a1"], ["name", FORGED], ["value", 1]])],
  ["an unknown argument (\"<verb>\" takes no \"<key>\")", "ping", new Map<string, unknown>([["id", "p1"], [FORGED, 1]])],
  ["a config key", "set", new Map<string, unknown>([["id", "s1"], ["keys", new Map([[FORGED, 1]])]])],
  ["a config value", "set", new Map<string, unknown>([["id", "s2"], ["keys", new Map([["log.level", FORGED]])]])],
  ["the verb (topic level)", `v${FORGED}`, new Map<string, unknown>([["id", "v1"]])],
];

for (const [what, verb, args] of payloads) {
  test(`a command with CR/LF/ESC in ${what} cannot forge a log line or reach the terminal raw`, async (t) => {
    const trace = newTrace();
    const node = bootNode(new MemoryStorage(), trace);
    await node.run(1000);
    const from = trace.text.length;
    const resp = await node.send(verb, args);
    t.like(resp, { ok: false });
    const lines = trace.text.slice(from);
    t.true(lines.some((l) => l.includes("WARN cmd:")), lines.join("\n"));
    for (const line of lines) t.false(CONTROL.test(line), `raw control character in ${JSON.stringify(line)}`);
    t.false(lines.some((l) => l.startsWith("[0.000] ERROR node: forged")));
    t.false(CONTROL.test(node.rig.port.take().replace(/\r\n/g, "")), "nothing raw on the console either");
  });
}

test("a config value with C1 control characters is refused; what the console shows is escaped", async (t) => {
  const storage = new MemoryStorage();
  const config = new ConfigService(storage, "hw");
  t.throws(() => config.set("node.site", "Hall\u009b31m 3"), { instanceOf: RangeError, message: /node\.site must not contain control characters/ });
  const trace = newTrace();
  const node = bootNode(storage, trace);
  await node.run(1000);
  t.like(await node.command("c1", { "node.site": "Hall\u009b2J" }), { ok: false, code: "out_of_range" });
  const out = await node.type("show node.site");
  t.false(CONTROL.test(out.replace(/\r\n/g, "")));
});
