import test from "ava";
import { ChannelPipeline, checkChainText, type ChannelReading } from "../../modules/edge/channel-pipeline.js";

type R = ChannelReading & { unit: string };

test("checkChainText: undefined for a good chain, column and reason for a bad one", (t) => {
  t.is(checkChainText("median(3) | compress(0.5)"), undefined);
  t.is(checkChainText(""), undefined);
  t.is(checkChainText("median(3) | compres(0.5)"), 'column 13: unknown filter "compres"; did you mean "compress"?');
});

test("a bad chain text is a RangeError naming the key", (t) => {
  t.throws(() => new ChannelPipeline(new Map([["temp", "ema(2)"]])), { instanceOf: RangeError, message: "ch.temp.filter: column 5: ema: alpha must be above 0 and at most 1, got 2" });
});

test("each channel goes through its own chain; others pass; fields are kept; a bad reading leaves without a value", (t) => {
  const pipeline = new ChannelPipeline<R>(new Map([["temp", "calibrate(2, 0)"], ["rh", ""]]));
  const out: R[] = [];
  const sink = (r: R) => out.push(r);
  pipeline.push({ channel: "temp", unit: "Cel", at: 0, value: 10, quality: "good" }, sink);
  pipeline.push({ channel: "rh", unit: "%RH", at: 0, value: 40, quality: "good" }, sink);
  pipeline.push({ channel: "temp", unit: "Cel", at: 1000, quality: "bad", reason: "nack" }, sink);
  t.deepEqual(out, [
    { channel: "temp", unit: "Cel", at: 0, value: 20, quality: "good" },
    { channel: "rh", unit: "%RH", at: 0, value: 40, quality: "good" },
    { channel: "temp", unit: "Cel", at: 1000, quality: "bad", reason: "nack" },
  ]);
});

test("compress: e per channel, and flush reports the held point", (t) => {
  const pipeline = new ChannelPipeline<R>(new Map([["p", "compress(0.5, 60)"]]));
  t.is(pipeline.compressE("p"), 0.5);
  t.is(pipeline.compressE("q"), undefined);
  const out: R[] = [];
  for (let i = 0; i < 5; i++) pipeline.push({ channel: "p", unit: "Pa", at: i * 1000, value: 7, quality: "good" }, (r) => out.push(r));
  t.is(out.length, 0);
  pipeline.flush((r) => out.push(r));
  t.deepEqual(out.map((r) => [r.at, r.value, r.unit]), [[0, 7, "Pa"], [4000, 7, "Pa"]]);
  t.is(pipeline.errors, 0);
});
