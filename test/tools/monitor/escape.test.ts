import test from "ava";
import { decodeMessage } from "../../../tools/monitor/message-decode.js";
import { formatText } from "../../../tools/monitor/format.js";

test("the monitor's text line escapes C0, C1 and line separators from a topic (one helper with the firmware)", (t) => {
  const line = formatText(decodeMessage("fieldnode/pump\u009b2J\x1b]0;x\x07\u2028/foo", new TextEncoder().encode("x"), "fieldnode"));
  t.false(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/.test(line), line);
  t.true(line.includes("pump\\x9b2J\\x1b]0;x\\x07\\u2028"), line);
});
