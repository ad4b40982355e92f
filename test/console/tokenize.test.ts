import test from "ava";
import { tokenize } from "../../modules/console/tokenize.js";

/** Console line → words. */
const words: { line: string; words: string[] }[] = [
  { line: "", words: [] },
  { line: "   ", words: [] },
  { line: "help", words: ["help"] },
  { line: "set mqtt.url mqtt://10.0.0.2:1883", words: ["set", "mqtt.url", "mqtt://10.0.0.2:1883"] },
  // Runs of spaces, leading and trailing spaces separate nothing.
  { line: "  set   site  ", words: ["set", "site"] },
  // Only a space separates: a tab is part of a word (the line reader turns typed tabs into spaces).
  { line: "a\tb c", words: ["a\tb", "c"] },
  // Double quotes group words with spaces.
  { line: 'set site "Hall 3, bay 2"', words: ["set", "site", "Hall 3, bay 2"] },
  // Single quotes too.
  { line: "set site 'Hall 3'", words: ["set", "site", "Hall 3"] },
  // Empty quotes are an empty word, not nothing.
  { line: 'set site ""', words: ["set", "site", ""] },
  { line: "set site ''", words: ["set", "site", ""] },
  { line: '"" ""', words: ["", ""] },
  // Quotes join with what touches them into one word.
  { line: 'pre"mid dle"post next', words: ["premid dlepost", "next"] },
  { line: `a"b"'c'd`, words: ["abcd"] },
  // Inside double quotes, \" and \\ escape.
  { line: 'say "a \\"quoted\\" word"', words: ["say", 'a "quoted" word'] },
  { line: '"back\\\\slash"', words: ["back\\slash"] },
  { line: '"\\\\"', words: ["\\"] },
  // Any other backslash inside double quotes is kept as typed.
  { line: '"C:\\temp\\new"', words: ["C:\\temp\\new"] },
  // Inside single quotes a backslash is just a character (and cannot escape the quote).
  { line: "'a\\'", words: ["a\\"] },
  { line: "'say \"hi\"'", words: ['say "hi"'] },
  { line: "\"it's\"", words: ["it's"] },
  // Outside quotes a backslash is just a character: it does not escape a space.
  { line: "a\\ b", words: ["a\\", "b"] },
  // ...nor a quote: a\"b c" is a\ then a quoted "b c", one word.
  { line: 'a\\"b c"', words: ["a\\b c"] },
  { line: "set name Zürich-€", words: ["set", "name", "Zürich-€"] },
];

for (const { line, words: expected } of words) {
  test(`tokenize ${JSON.stringify(line)}`, (t) => {
    t.deepEqual(tokenize(line), { words: expected });
  });
}

/** Lines that cannot be split: the exact message, no exception. */
const errors: { line: string; error: string }[] = [
  { line: '"', error: "unterminated double quote" },
  { line: "'", error: "unterminated single quote" },
  { line: 'set site "Hall 3', error: "unterminated double quote" },
  { line: "set site 'Hall 3", error: "unterminated single quote" },
  // An escaped quote does not close the string.
  { line: 'say "a\\"', error: "unterminated double quote" },
  // A backslash at the very end escapes nothing; the quote is still open.
  { line: '"a\\', error: "unterminated double quote" },
  // The last quote opened is the one reported.
  { line: `"ok" 'open`, error: "unterminated single quote" },
  { line: `'ok' "open`, error: "unterminated double quote" },
  // A double quote inside single quotes does not count, and vice versa.
  { line: `'"' "`, error: "unterminated double quote" },
];

for (const { line, error } of errors) {
  test(`tokenize ${JSON.stringify(line)} → ${error}`, (t) => {
    t.deepEqual(tokenize(line), { error });
  });
}
