import test from "ava";
import { parseMonitorArgs, PASSWORD_ENV, UsageError } from "../../../tools/monitor/args.js";

test("defaults: local broker, prefix fieldnode, every node, text", (t) => {
  t.deepEqual(parseMonitorArgs([]), {
    broker: "mqtt://127.0.0.1:1883", prefix: "fieldnode", node: undefined, json: false,
    caFile: undefined, username: undefined, password: undefined, help: false,
  });
});

test("every flag, and the password from the environment unless --password is given", (t) => {
  const argv = ["--broker", "mqtts://broker.example:8883", "--prefix", "plant/3", "--node", "pump-7", "--json", "--ca", "ca.pem", "--username", "it"];
  t.like(parseMonitorArgs(argv, { [PASSWORD_ENV]: "from-env" }), {
    broker: "mqtts://broker.example:8883", prefix: "plant/3", node: "pump-7", json: true, caFile: "ca.pem", username: "it", password: "from-env",
  });
  t.is(parseMonitorArgs([...argv, "--password", "flag"], { [PASSWORD_ENV]: "from-env" }).password, "flag");
});

/** argv and the exact message of the UsageError. */
const BAD: [string[], string][] = [
  [["--bogus"], "Unknown option '--bogus'"],
  [["extra"], "Unexpected argument 'extra'"],
  [["--broker", "nope"], '--broker "nope" is not a URL; expected mqtt://host:port or mqtts://host:port'],
  [["--broker", "ws://h:1"], '--broker "ws://h:1": scheme must be mqtt:// or mqtts://, got ws://'],
  [["--broker", "mqtt://h:1/x"], '--broker "mqtt://h:1/x": a broker URL has no path'],
  [["--broker", "mqtt://u:p@h:1"], "--broker: give credentials with --username and --password, not in the URL"],
  [["--prefix", "a/+/b"], '--prefix "a/+/b" is not a topic prefix: use 1-4 levels of A-Z a-z 0-9 _ -, no wildcards'],
  [["--node", "Pump 7"], '--node "Pump 7" is not a node id: use 1-32 of a-z, 0-9 and "-", starting with a letter or digit'],
  [["--broker", "mqtts://h", "--ca", " "], "--ca needs a file name"],
  [["--ca", "ca.pem"], '--ca needs an mqtts:// --broker, got "mqtt://127.0.0.1:1883"'],
  [["--password", "p"], "a password needs --username"],
];

for (const [argv, message] of BAD) {
  test(`usage error: ${argv.join(" ")}`, (t) => {
    const error = t.throws(() => parseMonitorArgs(argv), { instanceOf: UsageError });
    t.true(error!.message.startsWith(message), error!.message);
  });
}
