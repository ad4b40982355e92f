import test from "ava";
import { CodedError, ERROR_CODES, errorCode, mqttCode, storageError } from "../modules/errors.js";
import { ConsoleError } from "../modules/console/console-error.js";

const table: [string, unknown, string, string][] = [
  ["a ConsoleError keeps its code", new ConsoleError("usage", "usage: x"), "usage", "bad_request"],
  ["a validation RangeError is bad-value / out_of_range", new RangeError("x must be 1..2"), "bad-value", "out_of_range"],
  ["a TypeError is bad-type", new TypeError("x must be a number"), "bad-type", "out_of_range"],
  ["min on time is forbidden over MQTT", new CodedError("min-on", "pump must stay on 3 s more"), "min-on", "forbidden"],
  ["an unknown channel is not_found", new CodedError("unknown-channel", "no channel"), "unknown-channel", "not_found"],
  ["a flash failure is storage on both", storageError("saving", Object.assign(new Error("EROFS: read-only file system"), { code: "EROFS" })), "storage", "storage"],
  ["an errno-coded Error (upper case) is internal", Object.assign(new Error("boom"), { code: "EIO" }), "internal", "failed"],
  ["anything else is internal / failed", "a string", "internal", "failed"],
];

for (const [title, error, console, mqtt] of table) {
  test(`codes: ${title}`, (t) => {
    t.is(errorCode(error), console);
    t.is(mqttCode(errorCode(error)) as string, mqtt);
  });
}

test("every console code is kebab-case and every MQTT code snake_case", (t) => {
  for (const [console, mqtt] of Object.entries(ERROR_CODES)) {
    t.regex(console, /^[a-z][a-z0-9-]*$/);
    t.regex(mqtt, /^[a-z][a-z0-9_]*$/);
  }
});

test("a storage error says plainly what failed and why", (t) => {
  const full = storageError("writing the config to flash", Object.assign(new Error("ENOSPC: no space left on device, open '/x'"), { code: "ENOSPC" }));
  t.is(full.message, "writing the config to flash failed: the storage is full (ENOSPC)");
  t.is(storageError("saving", new Error("flash worn out")).message, "saving failed: flash worn out");
});

test("every MQTT code of the vocabulary is documented in docs/contracts.md, and storage in the README's console codes", async (t) => {
  const { readFileSync } = await import("node:fs");
  const root = new URL("../../", import.meta.url);
  const contracts = readFileSync(new URL("docs/contracts.md", root), "utf8");
  for (const mqtt of new Set(Object.values(ERROR_CODES))) t.true(contracts.includes(`\`${mqtt}\``), `${mqtt} in docs/contracts.md`);
  t.true(readFileSync(new URL("README.md", root), "utf8").includes("`storage`"));
});
