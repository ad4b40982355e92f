/** The dashboard's parts without a browser: plot data and the bound check, the local feed, the console tee, secret masking, node states. */
import test from "ava";
import type { ConsolePort } from "../../../../modules/platform.js";
import { maskSecrets } from "../../../../hosts/sim/dashboard/attach-sim.js";
import { ConsoleTee } from "../../../../hosts/sim/dashboard/console-tee.js";
import { CONSOLE_LINE_CHARS, LOCAL_PENDING_MAX, LocalFeed } from "../../../../hosts/sim/dashboard/local-feed.js";
import { newNodeView, noteBirth, noteEvent } from "../../../../hosts/sim/dashboard/node-view.js";

type Point = [number, number | null, string | null];
interface PlotData {
  data: (number | null | undefined)[][];
  outside: number;
  checked: number;
}
/** The page's own module (static, no build step), loaded as the browser loads it. */
const page = (await import(new URL("../../../../../hosts/sim/dashboard/static/plot-data.js", import.meta.url).href)) as {
  plotData(raw: Point[], filtered: Point[], reported: Point[], e?: number): PlotData;
  latestQuality(list: Point[]): string;
};

test("plotData aligns raw, filtered and reported on one axis: a missing point is undefined, a bad one null", (t) => {
  const { data } = page.plotData([[1, 10, null], [2, null, "bad:nack"]], [[1, 10.5, null]], [[1, 10, null], [3, 12, null]]);
  t.deepEqual(data[0], [1, 2, 3]);
  t.deepEqual(data[1], [10, null, undefined]);
  t.deepEqual(data[2], [10.5, undefined, undefined]);
  t.deepEqual(data[3], [10, undefined, 12]);
});

test("plotData: the band is the reported line interpolated by time ± e, never across a bad record; filtered points beyond it are counted", (t) => {
  const reported: Point[] = [[0, 0, null], [10, 10, null], [20, null, "bad:nack"], [30, 5, null], [40, 5, null]];
  const filtered: Point[] = [[0, 0.4, null], [5, 5.5, null], [10, 9.6, null], [15, 99, null], [30, 5, null], [35, 5.51, null]];
  const { data, outside, checked } = page.plotData([], filtered, reported, 0.5);
  const xs = data[0] as number[];
  const hi = (x: number) => data[4][xs.indexOf(x)];
  const lo = (x: number) => data[5][xs.indexOf(x)];
  t.is(hi(5), 5.5);
  t.is(lo(5), 4.5);
  t.is(hi(15), null, "between a good point and a bad record: no line, no band");
  t.is(hi(20), null);
  t.is(hi(35), 5.5);
  t.is(checked, 5, "the point at 15 s lies where the line is broken: not checked");
  t.is(outside, 1, "5.51 is beyond 5 ± 0.5");
  t.like(page.plotData([], filtered, reported), { outside: 0, checked: 0 }, "no bound (no compress): nothing to check");
  t.is(page.latestQuality([[1, 2, null], [2, null, "bad:nack"]]), "bad:nack");
  t.is(page.latestQuality([[1, 2, null]]), "good");
});

test("LocalFeed: raw and filtered points batched per take, bounded, reported ones left to MQTT; a new node id starts afresh", (t) => {
  const feed = new LocalFeed();
  feed.info = { node: "p1", faultTargets: ["adc"], faultKinds: ["nack"] };
  feed.point("raw", "flow", [1, 2, null]);
  feed.point("filtered", "flow", [1, 2.1, null]);
  feed.point("reported", "flow", [1, 2.1, null]);
  const first = feed.take()!;
  t.deepEqual(first.info, { node: "p1", faultTargets: ["adc"], faultKinds: ["nack"] });
  t.deepEqual(first.points.map((p) => p.k), ["raw", "filtered"]);
  t.is(feed.take(), undefined, "nothing new");
  for (let i = 0; i < LOCAL_PENDING_MAX + 10; i++) feed.point("raw", "flow", [i, i, null]);
  t.is(feed.take()!.points.length, LOCAL_PENDING_MAX);
  t.is(feed.dropped, 10);
  t.is(feed.snapshot()!.points.flow.raw!.length, 300, "the snapshot keeps the latest 300 per tap");
  feed.info = { node: "p2", faultTargets: [], faultKinds: [] };
  t.deepEqual(feed.snapshot()!.points, {});
});

test("LocalFeed: console text becomes clean lines (prompt redraws, escapes and control characters removed, long lines cut)", (t) => {
  const feed = new LocalFeed();
  feed.info = { node: "p1", faultTargets: [], faultKinds: [] };
  feed.text("> \r\x1b[Kstat");
  feed.text("us line\r\nOK\r\n> ");
  feed.text("evil \x1b]0;title\x07 \u0000\u009b end\n");
  feed.text(`${"x".repeat(CONSOLE_LINE_CHARS + 50)}\n`);
  const lines = feed.take()!.console;
  t.deepEqual(lines.slice(0, 2), ["status line", "OK"]);
  t.false(/[\u0000-\u001f\u007f-\u009f]/.test(lines[2]), JSON.stringify(lines[2]));
  t.is(lines[3], `${"x".repeat(CONSOLE_LINE_CHARS)}…`);
});

/** A console port as the terminal side: records what the node writes, lets the test type. */
function fakePort(interactive = false) {
  let receiver: ((bytes: Uint8Array) => void) | undefined;
  const written: string[] = [];
  const port: ConsolePort = { interactive, onReceive: (r) => (receiver = r), write: (text) => written.push(text) };
  return { port, written, type: (text: string) => receiver!(new TextEncoder().encode(text)) };
}

test("ConsoleTee: the node's output goes to both; a page line goes in as typed, and waits while the terminal holds a half-typed line", (t) => {
  const terminal = fakePort();
  const tee = new ConsoleTee(terminal.port);
  const mirrored: string[] = [];
  tee.onOutput = (text) => mirrored.push(text);
  t.is(tee.type("status"), "the console is not running");
  const received: string[] = [];
  tee.onReceive((bytes) => received.push(new TextDecoder().decode(bytes)));
  tee.write("OK\r\n");
  t.deepEqual(terminal.written, ["OK\r\n"]);
  t.deepEqual(mirrored, ["OK\r\n"]);
  t.is(tee.type("version"), undefined);
  terminal.type("sta");
  t.is(tee.type("help"), undefined, "accepted, waiting");
  terminal.type("tus\n");
  t.deepEqual(received, ["version\n", "sta", "tus\n", "help\n"], "the page line never lands inside the terminal's");
  terminal.type("x");
  for (let i = 0; i < 8; i++) t.is(tee.type(`line ${i}`), undefined);
  t.regex(tee.type("one too many")!, /busy/);
});

test("maskSecrets hides a secret value as the terminal does", (t) => {
  t.is(maskSecrets("set mqtt.password s3cret"), "set mqtt.password ******");
  t.is(maskSecrets("set node.site hall"), "set node.site hall");
  t.is(maskSecrets("status"), "status");
});

test("node states: a new boot's birth puts actuators in their safe state, act and alarm events move them; names from outside stay names", (t) => {
  const view = newNodeView();
  noteBirth(view, { boot: "b1", actuators: [{ n: "pump", kind: "relay", safe: 100 }, { n: "__proto__", safe: 0 }, "junk"] });
  t.deepEqual({ ...view.act }, { pump: { value: 100, source: "safe state at boot" }, ["__proto__"]: { value: 0, source: "safe state at boot" } });
  noteEvent(view, { kind: "act", act: "pump", value: 0, was: 100, source: "remote" });
  noteBirth(view, { boot: "b1", actuators: [{ n: "pump", safe: 100 }] });
  t.deepEqual(view.act.pump, { value: 0, source: "remote" }, "a birth of the same boot (reconnect) changes nothing");
  noteEvent(view, { kind: "alarm", channel: "temp", type: "high", state: "raised", detail: "temp high raised: 9 Cel > 8 Cel" });
  noteEvent(view, { kind: "alarm", channel: "constructor", type: "low", state: "raised" });
  t.deepEqual(Object.keys(view.alarms), ["temp high", "constructor low"]);
  noteEvent(view, { kind: "alarm", channel: "temp", type: "high", state: "cleared" });
  t.deepEqual(Object.keys(view.alarms), ["constructor low"]);
  for (const junk of [null, 7, "x", [], { kind: "act" }, { kind: "alarm", channel: 1 }]) noteEvent(view, junk);
  t.is(Object.getPrototypeOf(view.act), null);
  t.is(Object.keys(view.act).length, 2);
});
