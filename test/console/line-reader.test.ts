import test from "ava";
import { LineReader, MAX_LINE_BYTES, type LineEvent } from "../../modules/console/line-reader.js";
import { encodeUtf8 } from "../../modules/util/utf8.js";
import { randomInt, seededRandom } from "../helpers/seeded-random.js";

/** Bytes from a string whose characters are all below U+0100 (each one byte), e.g. "\xff". */
const raw = (text: string) => Uint8Array.from(text, (ch) => ch.charCodeAt(0));

/** Feeds `chunks` to a reader and returns what it emitted and, when interactive, echoed. */
function run(chunks: Uint8Array[], interactive = false): { events: LineEvent[]; echo: string } {
  const events: LineEvent[] = [];
  let echo = "";
  const reader = new LineReader((event) => events.push(event), interactive ? (text) => void (echo += text) : undefined);
  for (const chunk of chunks) reader.feed(chunk);
  return { events, echo };
}

const lines = (...texts: string[]): LineEvent[] => texts.map((line) => ({ line }));

/** Input bytes → lines, in one feed. */
const cases: { label: string; input: Uint8Array; events: LineEvent[] }[] = [
  { label: "CR ends a line", input: raw("help\r"), events: lines("help") },
  { label: "LF ends a line", input: raw("help\n"), events: lines("help") },
  { label: "CRLF ends one line, not two", input: raw("help\r\nstatus\r\n"), events: lines("help", "status") },
  { label: "CR CR is two lines, the second empty", input: raw("a\r\rb\r"), events: lines("a", "", "b") },
  { label: "LF CR is two empty lines", input: raw("\n\r"), events: lines("", "") },
  { label: "LF LF is two empty lines", input: raw("\n\n"), events: lines("", "") },
  { label: "no line end, no line", input: raw("help"), events: [] },
  { label: "backspace erases", input: raw("ab\bc\r"), events: lines("ac") },
  { label: "DEL erases", input: raw("ab\x7fc\r"), events: lines("ac") },
  { label: "erasing past the start does nothing", input: raw("a\b\b\b\x7fb\r"), events: lines("b") },
  { label: "DEL erases a whole 2-byte character", input: encodeUtf8("aé\x7f\r"), events: lines("a") },
  { label: "backspace erases a whole 4-byte character", input: encodeUtf8("a😀\bb\r"), events: lines("ab") },
  { label: "DEL erases an unfinished multi-byte character", input: raw("a\xe2\x82\x7fb\r"), events: lines("ab") },
  { label: "Ctrl-C cancels the line: an empty line", input: raw("reboot\x03"), events: lines("") },
  { label: "Ctrl-C then a new line", input: raw("reboot\x03help\r"), events: lines("", "help") },
  { label: "tab becomes a space", input: raw("set\tx\r"), events: lines("set x") },
  { label: "other control bytes are dropped", input: raw("a\x00\x01\x02\x07\x0b\x0c\x1fb\r"), events: lines("ab") },
  { label: "bytes 0x80 and up are kept as UTF-8", input: encodeUtf8("set site Zürich €\r"), events: lines("set site Zürich €") },
  { label: "invalid UTF-8 becomes U+FFFD", input: raw("a\xffb\r"), events: lines("a\ufffdb") },
  { label: "ESC just before LF: the LF still ends the line", input: raw("version\x1b\nversion\n"), events: lines("version", "version") },
  { label: "ESC just before CR: the CR still ends the line", input: raw("a\x1b\rb\r"), events: lines("a", "b") },
  { label: "ESC just before Ctrl-C: the line is still cancelled", input: raw("reboot\x1b\x03"), events: lines("") },
  { label: "ESC ESC [ A: the second ESC starts the sequence", input: raw("a\x1b\x1b[Ab\r"), events: lines("ab") },
  { label: "ESC and a letter (Alt-x) is swallowed", input: raw("a\x1bxb\r"), events: lines("ab") },
  { label: "a line end inside a CSI sequence still ends the line", input: raw("a\x1b[1;\rb\r"), events: lines("a", "b") },
  { label: "spaces are kept as typed", input: raw("  a  b  \r"), events: lines("  a  b  ") },
];

for (const { label, input, events } of cases) {
  test(`LineReader: ${label}`, (t) => {
    t.deepEqual(run([input]).events, events);
  });
}

test("a CRLF split across two feeds is still one line end", (t) => {
  t.deepEqual(run([raw("a\r"), raw("\nb\r"), raw("\n")]).events, lines("a", "b"));
});

test(`a line of exactly ${MAX_LINE_BYTES} bytes is accepted`, (t) => {
  const text = "x".repeat(MAX_LINE_BYTES);
  t.deepEqual(run([raw(`${text}\r`)]).events, lines(text));
});

test("a longer line is reported once, with its byte count, and the next line is read normally", (t) => {
  const long = MAX_LINE_BYTES + 88;
  t.deepEqual(run([raw(`${"x".repeat(long)}\rok\r`)]).events, [{ overflow: long }, { line: "ok" }]);
  t.deepEqual(run([raw(`${"x".repeat(MAX_LINE_BYTES + 1)}\n`)]).events, [{ overflow: MAX_LINE_BYTES + 1 }]);
});

test("overflow: the count is of bytes (a multi-byte character counts each byte), control bytes not at all", (t) => {
  // MAX/2 × "é" (2 bytes each) fills the line; "€" adds 3, "\x01" nothing, a tab 1.
  t.deepEqual(run([encodeUtf8(`${"é".repeat(MAX_LINE_BYTES / 2)}€\x01\t\r`)]).events, [{ overflow: MAX_LINE_BYTES + 4 }]);
});

test("overflow: erasing does not bring an overflowed line back", (t) => {
  t.deepEqual(run([raw(`${"x".repeat(MAX_LINE_BYTES + 2)}\b\b\b\r`)]).events, [{ overflow: MAX_LINE_BYTES + 2 }]);
});

test("overflow: erasing before the limit keeps the line within it", (t) => {
  const text = `${"x".repeat(MAX_LINE_BYTES)}\b\by\r`;
  t.deepEqual(run([raw(text)]).events, lines(`${"x".repeat(MAX_LINE_BYTES - 2)}y`));
});

test("overflow: Ctrl-C discards an overflowed line without reporting it", (t) => {
  t.deepEqual(run([raw(`${"x".repeat(MAX_LINE_BYTES + 100)}\x03ok\r`)]).events, lines("", "ok"));
});

test("overflow across many feeds is reported once", (t) => {
  const chunks = Array.from({ length: MAX_LINE_BYTES / 16 + 3 }, () => raw("y".repeat(16)));
  t.deepEqual(run([...chunks, raw("\r\n")]).events, [{ overflow: MAX_LINE_BYTES + 48 }]);
});

/** Interactive: bytes → exact echo. */
const echoes: { label: string; input: Uint8Array; echo: string }[] = [
  { label: "typed characters, then CR LF for the line end", input: raw("help\r"), echo: "help\r\n" },
  { label: "CRLF echoes one line end", input: raw("a\r\n"), echo: "a\r\n" },
  { label: "LF echoes CR LF", input: raw("a\n"), echo: "a\r\n" },
  { label: "erase: back, blank, back", input: raw("ab\x7f"), echo: "ab\b \b" },
  { label: "erase on an empty line echoes nothing", input: raw("\b\x7f"), echo: "" },
  { label: "erase a multi-byte character: one column", input: encodeUtf8("é\b"), echo: "é\b \b" },
  { label: "Ctrl-C", input: raw("abc\x03"), echo: "abc^C\r\n" },
  { label: "tab echoes a space", input: raw("a\tb"), echo: "a b" },
  { label: "dropped control bytes echo nothing", input: raw("a\x00\x01\x07b"), echo: "ab" },
  { label: "a 3-byte character is echoed once, when complete", input: encodeUtf8("€"), echo: "€" },
  { label: "a 4-byte character is echoed once, when complete", input: encodeUtf8("x😀y"), echo: "x😀y" },
  { label: "invalid UTF-8 is not echoed", input: raw("a\xff\x80b"), echo: "ab" },
];

for (const { label, input, echo } of echoes) {
  test(`LineReader echo: ${label}`, (t) => {
    t.is(run([input], true).echo, echo);
  });
}

test("echo: a multi-byte character arriving byte by byte is echoed once, after its last byte", (t) => {
  const echoed: string[] = [];
  const reader = new LineReader(() => {}, (text) => void echoed.push(text));
  const bytes = encodeUtf8("ä€");
  for (const byte of bytes) reader.feed(Uint8Array.of(byte));
  t.deepEqual(echoed, ["ä", "€"]);
});

test("echo: bytes beyond the limit are not echoed", (t) => {
  const { echo, events } = run([raw(`${"x".repeat(MAX_LINE_BYTES + 10)}\r`)], true);
  t.is(echo, `${"x".repeat(MAX_LINE_BYTES)}\r\n`);
  t.deepEqual(events, [{ overflow: MAX_LINE_BYTES + 10 }]);
});

test("without echo nothing is echoed and lines are the same", (t) => {
  const input = encodeUtf8("ab\x7fc\té\r\x03x\n");
  t.deepEqual(run([input], false).events, run([input], true).events);
});

/** Bytes a person or a script could send, weighted towards the special ones. */
const ALPHABET = [...raw("ab \t\r\n\r\n\b\x7f\x03\x00\x1b"), ...encodeUtf8("é€😀"), 0xff, 0x80];

test("split feeds give the same lines and echo as one feed (seeded random, 2,000 inputs)", (t) => {
  const random = seededRandom(0x11e5);
  for (let run_ = 0; run_ < 2000; run_++) {
    const length = randomInt(random, random() < 0.05 ? 2 * MAX_LINE_BYTES + 200 : 60);
    const input = Uint8Array.from({ length }, () => ALPHABET[randomInt(random, ALPHABET.length)]);
    const whole = run([input], true);
    const byteByByte = run([...input].map((byte) => Uint8Array.of(byte)), true);
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < input.length; ) {
      const size = 1 + randomInt(random, 8);
      chunks.push(input.subarray(at, at + size));
      at += size;
    }
    const chunked = run(chunks, true);
    const where = `run ${run_}: ${Buffer.from(input).toString("hex")}`;
    t.deepEqual(byteByByte, whole, where);
    t.deepEqual(chunked, whole, where);
  }
});

// Known bug (reported, not fixed here: line-reader.ts is being edited): erase
// echoes "\b \b" for bytes that were never echoed (a Latin-1 terminal's lone
// 0xE9 for "é", a stray continuation byte), so the terminal wipes the visible
// "a" while the line still holds it, and the technician sends what they
// cannot see.
test("echo: erasing a byte that was never echoed erases nothing on screen", (t) => {
  const { echo, events } = run([raw("a\xe9\x7f\r")], true);
  t.deepEqual(events, lines("a"));
  t.is(echo, "a\r\n");
});

test("a line end is never swallowed, whatever escape bytes come before it (seeded random, 3,000 inputs)", (t) => {
  const random = seededRandom(0xe5c);
  const parts = [...raw("\x1b\x1b\x1b[[O0;9A~az \x7f\b")];
  for (const end of [0x0a, 0x0d, 0x03]) {
    for (let run_ = 0; run_ < 1000; run_++) {
      const input = Uint8Array.from({ length: 1 + randomInt(random, 40) }, () => (random() < 0.15 ? end : parts[randomInt(random, parts.length)]));
      const ends = input.filter((byte) => byte === end).length;
      const where = `run ${run_}: ${Buffer.from(input).toString("hex")}`;
      t.is(run([input]).events.length, ends, where);
      t.is(run([input], true).events.length, ends, where);
    }
  }
});
