import test from "ava";
import { Console } from "../../modules/console/console.js";
import { HISTORY_BYTES, HISTORY_LINE_BYTES, HISTORY_LINES, LineHistory } from "../../modules/console/line-history.js";
import { LineReader } from "../../modules/console/line-reader.js";
import { Counters } from "../../modules/counters.js";
import type { ConsolePort } from "../../modules/platform.js";
import { consoleRig, RIG_SECRETS } from "../helpers/console-rig.js";

const UP = "\x1b[A";
const DOWN = "\x1b[B";
/** What the console writes to put `text` on the prompt line in place of what was there. */
const redrawn = (text: string) => `\r> \x1b[K${text}`;

/** A console on a terminal (or a script's port) with a `say` command that prints its arguments. */
function terminal(interactive = true) {
  let receive: (bytes: Uint8Array) => void = () => {};
  let screen = "";
  const port: ConsolePort = {
    interactive,
    onReceive: (receiver) => (receive = receiver),
    write: (text) => void (screen += text),
  };
  const console = new Console(port, new Counters());
  console.masksAfter = (typed) => /^\s*set\s+secret\s/.test(typed);
  console.register({ name: "say", summary: "prints its arguments", usage: "<words>", run: (args, reply) => reply(args.join(" ")) });
  console.register({ name: "set", summary: "accepts anything", usage: "<key> <value>", run: () => {} });
  console.start();
  screen = "";
  return {
    /** Sends `text` as typed and returns what the console wrote back. */
    type(text: string): string {
      receive(new TextEncoder().encode(text));
      const out = screen;
      screen = "";
      return out;
    },
  };
}

test("LineHistory: keeps lines oldest first, without empty lines or a repeat of the newest", (t) => {
  const history = new LineHistory();
  for (const line of ["a", "", "  ", "b", "b", "a"]) history.add(line);
  t.deepEqual(history.lines, ["a", "b", "a"]);
});

test(`LineHistory: at most ${HISTORY_LINES} lines, the oldest evicted first`, (t) => {
  const history = new LineHistory();
  for (let i = 1; i <= HISTORY_LINES + 2; i++) history.add(`line ${i}`);
  t.deepEqual(history.lines, Array.from({ length: HISTORY_LINES }, (_, i) => `line ${i + 3}`));
});

test(`LineHistory: at most ${HISTORY_BYTES} bytes in all; a line over ${HISTORY_LINE_BYTES} bytes is refused`, (t) => {
  const history = new LineHistory();
  const line = (c: string) => c.repeat(HISTORY_LINE_BYTES - 8);
  for (const c of "abcde") t.true(history.add(line(c)));
  // 5 × 120 bytes > 512: the oldest goes.
  t.deepEqual(history.lines, [..."bcde"].map(line));
  t.is(history.bytes, 4 * (HISTORY_LINE_BYTES - 8));
  t.false(history.add("x".repeat(HISTORY_LINE_BYTES + 1)), "one byte too long");
  t.false(history.add("é".repeat(HISTORY_LINE_BYTES / 2 + 1)), "counted in UTF-8 bytes, not characters");
  t.true(history.add("é".repeat(HISTORY_LINE_BYTES / 2)), "exactly the limit is kept");
  t.true(history.bytes <= HISTORY_BYTES);
});

test("LineHistory: Up walks back and stops at the oldest; Down walks forward, then gives an empty line, then nothing", (t) => {
  const history = new LineHistory();
  history.add("one");
  history.add("two");
  t.is(history.newer(), undefined, "Down without a recall does nothing");
  t.deepEqual([history.older(), history.older(), history.older()], ["two", "one", undefined]);
  t.deepEqual([history.newer(), history.newer(), history.newer()], ["two", "", undefined]);
  history.older();
  history.add("three");
  t.is(history.older(), "three", "a new line ends the recall");
});

test("terminal: Up and Down redraw the line in place, with exact bytes", (t) => {
  const term = terminal();
  t.is(term.type("say one\r"), "say one\r\none\r\nOK\r\n> ");
  term.type("say two\r");
  t.is(term.type(UP), redrawn("say two"));
  t.is(term.type(UP), redrawn("say one"));
  t.is(term.type(UP), "", "at the oldest line Up does nothing");
  t.is(term.type(DOWN), redrawn("say two"));
  t.is(term.type(DOWN), redrawn(""), "Down past the newest gives an empty line");
  t.is(term.type(DOWN), "", "and then nothing");
});

test("terminal: the SS3 forms ESC O A / ESC O B recall too", (t) => {
  const term = terminal();
  term.type("say one\r");
  term.type("say two\r");
  t.is(term.type("\x1bOA\x1bOA"), redrawn("say two") + redrawn("say one"));
  t.is(term.type("\x1bOB"), redrawn("say two"));
});

test("terminal: a recalled line can be edited and runs as shown", (t) => {
  const term = terminal();
  term.type("say hello\r");
  t.is(term.type(`${UP}\x7f\x7fp!`), `${redrawn("say hello")}\b \b\b \bp!`);
  t.is(term.type("\r"), "\r\nhelp!\r\nOK\r\n> ");
  t.is(term.type(`${UP}${UP}`), redrawn("say help!") + redrawn("say hello"));
});

test("terminal: Up replaces a half-typed line; arrows with parameters (Ctrl-Up) are swallowed", (t) => {
  const term = terminal();
  term.type("say one\r");
  t.is(term.type("say tw"), "say tw");
  t.is(term.type("\x1b[1;5A\x1b[2B"), "");
  t.is(term.type(UP), redrawn("say one"));
  t.is(term.type("\r"), "\r\none\r\nOK\r\n> ");
});

test("terminal: a line with a secret is never kept; Up skips to the line before it", (t) => {
  const term = terminal();
  term.type("say before\r");
  t.is(term.type("set secret hunter2\r"), "set secret *******\r\nOK\r\n> ");
  t.is(term.type(UP), redrawn("say before"));
  t.is(term.type(UP), "");
});

test("terminal (the node's console commands): set wifi.password is not recalled, and no recall shows it", (t) => {
  const rig = consoleRig({ interactive: true });
  rig.run("show mqtt.url");
  const set = rig.run(`set wifi.password ${RIG_SECRETS["wifi.password"]}-2`);
  t.false(set.includes(RIG_SECRETS["wifi.password"]));
  rig.run("get node.site");
  rig.port.type(`${UP}${UP}${UP}${DOWN}${DOWN}`);
  const recalled = rig.port.take();
  t.is(recalled, redrawn("get node.site") + redrawn("show mqtt.url") + redrawn("get node.site") + redrawn(""));
  t.false(recalled.includes("wifi.password"));
});

test("terminal: Ctrl-U clears the line, typed or recalled", (t) => {
  const term = terminal();
  t.is(term.type("say abc\x15"), `say abc${redrawn("")}`);
  t.is(term.type("\r"), "\r\n> ", "the cleared line is empty");
  term.type("say one\r");
  t.is(term.type(`${UP}\x15say two\r`), `${redrawn("say one")}${redrawn("")}say two\r\ntwo\r\nOK\r\n> `);
});

test("terminal: Ctrl-C and an over-long line are not kept and end a recall", (t) => {
  const term = terminal();
  term.type("say one\r");
  term.type("say two\r");
  term.type(`${UP}${UP}\x03`);
  t.is(term.type(UP), redrawn("say two"), "Up starts again from the newest");
  term.type(`\x03${"x".repeat(4000)}\r`);
  t.is(term.type(UP), redrawn("say two"));
});

test("script (not interactive): arrows and Ctrl-U are swallowed, nothing is echoed, nothing recalled", (t) => {
  const term = terminal(false);
  t.is(term.type("say one\r"), "one\r\nOK\r\n");
  t.is(term.type(`${UP}\x1bOA\x15say\x15 two\r`), "two\r\nOK\r\n");
});

test("LineReader with echo but no editing: Ctrl-U rubs out what was shown with backspaces", (t) => {
  let echo = "";
  const lines: unknown[] = [];
  const reader = new LineReader((event) => lines.push(event), (text) => void (echo += text));
  reader.feed(new TextEncoder().encode("aé😀\x15b\r"));
  t.is(echo, "aé😀\b \b\b \b\b \bb\r\n");
  t.deepEqual(lines, [{ line: "b" }]);
});
