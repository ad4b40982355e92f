import test from "ava";
import { masksSecret } from "../../modules/console/secret-mask.js";

const cases: [typed: string, masked: boolean][] = [
  ["set mqtt.password", false], // the key is still being typed
  ["set mqtt.password ", true],
  ["set mqtt.password hunter", true],
  ["SET wifi.password x", true],
  ["set mqtt.username ", false],
  ["set mqtt.url mqtt://x", false],
  ["get mqtt.password", false],
  ["import v2 node.site=a", false],
  ["import v2 mqtt.password", false], // no "=" yet: the key itself is not secret
  ["import v2 mqtt.password=", true],
  ["import v2 mqtt.password=\"two words", true],
  ["import v2 mqtt.password=\"two words\" node.site=x", true], // stays masked to the end of the line
  ["import v2 node.site=x wifi.password=abc", true],
  ["export --with-secrets", false],
];

for (const [typed, masked] of cases) {
  test(`${JSON.stringify(typed)} → ${masked ? "masked" : "shown"}`, (t) => {
    t.is(masksSecret(typed), masked);
  });
}
