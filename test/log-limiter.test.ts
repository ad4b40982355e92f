/**
 * Issue 7 item 5 (log part): repeated log lines are rate-limited per source
 * in virtual time, with a "suppressed N" line and a counter.
 */
import test from "ava";
import { LOG_BURST, LOG_REFILL_MS, LOG_SOURCES_MAX } from "../modules/log-limiter.js";
import { Counters } from "../modules/counters.js";
import { Logger } from "../modules/log.js";
import { memoryPlatform, MemoryStorage } from "./helpers/memory-platform.js";
import { bootNode, newTrace } from "./helpers/node-rig.js";

function rig() {
  const mp = memoryPlatform();
  const log = new Logger(mp.platform);
  log.counters = new Counters();
  return { ...mp, log, counters: log.counters };
}

test("a storage error every 0.3 s for 60 s: a burst, then one line per 10 s, and summaries that count the rest", (t) => {
  const { log, logs, advance, counters } = rig();
  for (let ms = 0; ms < 60_000; ms += 300) {
    log.error("outbox", `segment write failed: ENOSPC: no space left on device, write (#${ms})`);
    advance(300);
  }
  advance(LOG_REFILL_MS);
  const written = logs.filter((l) => l.includes("segment write failed: ENOSPC"));
  const summaries = logs.filter((l) => /ERROR outbox: suppressed \d+ similar line\(s\) \(segment write failed\)/.test(l));
  t.true(written.length <= LOG_BURST + 60_000 / LOG_REFILL_MS, `${written.length} lines written`);
  t.true(summaries.length >= 1);
  const counted = summaries.reduce((sum, l) => sum + Number(/suppressed (\d+)/.exec(l)![1]), 0);
  t.is(written.length + counted, 200, "every line is written or counted in a summary");
  t.is(counters.get("log_suppressed"), counted);
});

test("numbers do not make a new source: a flash error per segment number is one source", (t) => {
  const { log, logs } = rig();
  for (let n = 1; n <= 30; n++) log.error("outbox", `cannot write segment ${n}: EISDIR: illegal operation on a directory; kept in RAM`);
  t.is(logs.filter((l) => l.includes("cannot write segment") && !l.includes("suppressed")).length, LOG_BURST);
  log.flush();
  t.true(logs.some((l) => l.includes("ERROR outbox: suppressed 25 similar line(s) (cannot write segment #)")));
});

test("sources are told apart by level, tag and message head; different sources are not limited by each other", (t) => {
  const { log, logs } = rig();
  for (let i = 0; i < 20; i++) log.warn("mqtt", `tcp: refused (${i})`);
  log.warn("mqtt", "keepalive: no PINGRESP in 45 s");
  log.error("mqtt", "tcp: refused");
  t.is(logs.filter((l) => l.includes("WARN mqtt: tcp:")).length, LOG_BURST);
  t.true(logs.some((l) => l.includes("WARN mqtt: keepalive:")));
  t.true(logs.some((l) => l.includes("ERROR mqtt: tcp:")));
});

test("debug lines are not limited; flush writes pending summaries; sources are bounded", (t) => {
  const { log, logs } = rig();
  log.level = "debug";
  for (let i = 0; i < 20; i++) log.debug("io", "sample");
  t.is(logs.length, 20);
  for (let i = 0; i < 10; i++) log.warn("x", "same");
  for (let s = 0; s < LOG_SOURCES_MAX + 5; s++) log.warn(`t${s}`, "one");
  t.true(logs.some((l) => l.includes("WARN x: suppressed 5 similar line(s) (same)")), "the forgotten source's summary was written");
  for (let i = 0; i < 10; i++) log.warn("y", "same");
  log.flush();
  t.true(logs.some((l) => l.includes("WARN y: suppressed 5 similar line(s)")));
});

test("2,000 refused commands in 2 s log a handful of WARN cmd lines and one summary, not 2,000", async (t) => {
  const trace = newTrace();
  const node = bootNode(new MemoryStorage(), trace);
  await node.run(1000);
  const from = trace.text.length;
  for (let i = 0; i < 2000; i++) {
    node.broker.send(`fieldnode/${node.node.nodeId}/cmd/read`, new Map<string, unknown>([["id", `r${i}`], ["ch", `nope${i}`]]));
    if (i % 1000 === 999) await node.run(1000);
  }
  await node.run(LOG_REFILL_MS);
  const lines = trace.text.slice(from).filter((l) => l.includes("WARN cmd:"));
  t.true(lines.length <= LOG_BURST + 3, lines.join("\n"));
  t.true(lines.some((l) => /WARN cmd: suppressed \d+ similar line\(s\) \(read\)/.test(l)), lines.join("\n"));
});
