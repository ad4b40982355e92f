import test from "ava";
import { lookupKey } from "../../modules/config/schema.js";
import { checkValue, showValue } from "../../modules/config/validate.js";

test("I2C addresses are shown in hex, in values and in range errors", (t) => {
  const spec = lookupKey("ch.temp.address")?.spec;
  t.truthy(spec);
  t.is(showValue(0x44, spec), "0x44");
  t.is(checkValue("ch.temp.address", 0x45), 0x45);
  t.throws(() => checkValue("ch.temp.address", 0x80), { instanceOf: RangeError, message: "ch.temp.address must be 0x8..0x77, got 0x80" });
});

test("other integers stay decimal; secrets stay hidden", (t) => {
  t.is(showValue(30, lookupKey("mqtt.keepalive")?.spec), "30");
  t.is(showValue("hunter2", lookupKey("mqtt.password")?.spec), "(secret)");
});
