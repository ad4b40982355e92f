import test from "ava";
import { consoleRig, RIG_SECRETS } from "../helpers/console-rig.js";
import { seededRandom } from "../helpers/seeded-random.js";

const WORDS = ["help", "version", "status", "show", "config", "get", "set", "unset", "save", "discard", "export", "import", "read", "act", "log", "reboot", "factory-reset",
  "mqtt.keepalive", "mqtt.url", "wifi.password", "mqtt.password", "node.site", "ch.temp.interval", "ch.x.type", "act.pump.pin", "act.fan", "ch.rh", "log.level", "v2", "-ch.rh", "sht3x", "relay", "pwm", "on", "off", "40", "60", "0x44", "debug", "yes", "temp", "pump", "fan",
  "mqtt://h:1", "mqtts://h", '"a b"', "'x", "\"", "\\", "=", "mqtt.keepalive=90", "node.site=é", "ünïcødé", "😀", "\u202e", "sav", "shw", "mqtt.keepaliv"];

function randomLine(rand: () => number): Uint8Array {
  const kind = rand();
  const bytes: number[] = [];
  if (kind < 0.15) {
    const n = Math.floor(rand() * 80);
    for (let i = 0; i < n; i++) bytes.push(Math.floor(rand() * 256));
  } else if (kind < 0.17) {
    const n = 900 + Math.floor(rand() * 3000);
    for (let i = 0; i < n; i++) bytes.push(0x20 + Math.floor(rand() * 95));
  } else {
    const n = 1 + Math.floor(rand() * 5);
    const words: string[] = [];
    for (let i = 0; i < n; i++) {
      let w = WORDS[Math.floor(rand() * WORDS.length)];
      if (rand() < 0.1) w = w.slice(0, Math.floor(rand() * w.length)) + String.fromCharCode(0x20 + Math.floor(rand() * 95)) + w.slice(Math.floor(rand() * w.length));
      words.push(w);
    }
    bytes.push(...new TextEncoder().encode(words.join(rand() < 0.9 ? " " : "  ")));
  }
  // Line ends are the caller's; within a line, CR/LF would make several lines.
  return Uint8Array.from(bytes.filter((b) => b !== 0x0a && b !== 0x0d && b !== 0x03));
}

const LINES = 100_000;

test(`seeded fuzz: ${LINES} random lines, every reply ends with exactly one OK/ERR, ERR changes nothing, no secret leaks`, (t) => {
  const rand = seededRandom(0x5eed);
  const rig = consoleRig();
  let lines = 0;
  let oks = 0;
  let errs = 0;
  let empty = 0;
  const state = () => `${rig.config.exportLine(true)}|${rig.config.generation}|${rig.config.unsavedKeys().join(",")}`;
  const endings = ["\r", "\n", "\r\n"];
  for (let i = 0; i < LINES; i++) {
    const line = randomLine(rand);
    const before = state();
    rig.port.type(line);
    rig.port.type(endings[i % 3]);
    const out = rig.port.take();
    lines++;
    if (out === "") {
      empty++;
      continue;
    }
    const replyLines = out.split("\r\n");
    t.is(replyLines.pop(), "", `reply ends with CRLF: ${JSON.stringify(out.slice(-80))}`);
    const finals = replyLines.filter((l) => /^(OK$|ERR [a-z][a-z0-9-]* )/.test(l));
    if (finals.length !== 1 || finals[0] !== replyLines[replyLines.length - 1]) {
      t.fail(`line ${i} ${JSON.stringify(new TextDecoder().decode(line)).slice(0, 120)} → ${JSON.stringify(out.slice(0, 300))}`);
      break;
    }
    for (const secret of Object.values(RIG_SECRETS)) if (out.includes(secret)) t.fail(`secret leaked at line ${i}: ${out}`);
    if (finals[0] === "OK") oks++;
    else {
      errs++;
      t.false(finals[0].startsWith("ERR internal"), `internal error at line ${i}: ${finals[0]}`);
      if (state() !== before) {
        t.fail(`ERR changed the config at line ${i}: ${finals[0]}`);
        break;
      }
    }
  }
  t.log(`${lines} lines: ${oks} OK, ${errs} ERR, ${empty} empty (no reply)`);
  t.is(oks + errs + empty, LINES);
  t.true(oks > 1000 && errs > 1000);
});
