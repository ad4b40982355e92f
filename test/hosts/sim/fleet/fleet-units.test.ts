import test from "ava";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSimArgs, UsageError } from "../../../../hosts/sim/args.js";
import { FileStorage } from "../../../../hosts/sim/file-storage.js";
import { FD_RESERVE, fleetSizeProblem, openFileLimit } from "../../../../hosts/sim/fleet/fd-limit.js";
import { fleetIds } from "../../../../hosts/sim/fleet/fleet-ids.js";
import { SyncBatch } from "../../../../hosts/sim/fleet/sync-batch.js";

test("fleet ids: prefix, zero-padded numbers from 1, wider for large fleets, too long a prefix refused", (t) => {
  t.deepEqual(fleetIds("sim", 3), ["sim-0001", "sim-0002", "sim-0003"]);
  t.deepEqual(fleetIds("plant-b", 2, 10_000), ["plant-b-10000", "plant-b-10001"]);
  t.is(fleetIds("x", 12_345).at(-1), "x-12345");
  t.is(new Set(fleetIds("x", 2000)).size, 2000);
  t.notThrows(() => fleetIds("a".repeat(27), 9999));
  t.throws(() => fleetIds("a".repeat(28), 9999), { instanceOf: RangeError, message: /too long a fleet prefix.*33 characters/ });
});

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 524288               files
`;

test("open-file limit read from /proc/self/limits text", (t) => {
  t.deepEqual(openFileLimit(LIMITS), { soft: 1024, hard: 524288 });
  t.deepEqual(openFileLimit(LIMITS.replace("1024 ", "unlimited")), { soft: Infinity, hard: 524288 });
  t.is(openFileLimit("nothing here"), undefined);
  t.is(openFileLimit("Max open files  many  more  files"), undefined);
  if (process.platform === "linux") t.truthy(openFileLimit());
});

const sizes: [nodes: number, limit: { soft: number; hard: number } | undefined, expected: RegExp | undefined][] = [
  [1, { soft: 1024, hard: 4096 }, undefined],
  [1024 - FD_RESERVE, { soft: 1024, hard: 4096 }, undefined],
  [1024 - FD_RESERVE + 1, { soft: 1024, hard: 4096 }, /--nodes 961 needs 1025 open files.*may open 1024 \(raise it with "ulimit -n 1025"\)/],
  [10_000, { soft: 1024, hard: 4096 }, /needs 10064 open files.*the hard limit is 4096.*split the fleet/],
  [100_000, undefined, undefined],
];
test("with the embedded broker each node holds two sockets in this process", (t) => {
  const limit = { soft: 1024, hard: 4096 };
  t.is(fleetSizeProblem(480, limit, true), undefined);
  t.regex(fleetSizeProblem(481, limit, true) ?? "", /--nodes 481 needs 1026 open files \(two sockets per node with the embedded broker and 64 for the process\); this process may open 1024 \(raise it with "ulimit -n 1026"\)/);
  t.is(fleetSizeProblem(481, limit, false), undefined);
});

for (const [nodes, limit, expected] of sizes) {
  test(`fleet size ${nodes} with limit ${limit?.soft}: ${expected ?? "fits"}`, (t) => {
    const problem = fleetSizeProblem(nodes, limit);
    if (expected === undefined) t.is(problem, undefined);
    else t.regex(problem ?? "", expected);
  });
}

for (const bad of ["0", "-1", "1.5", "abc", "", "100001", "1e3"]) {
  test(`--nodes "${bad}" is a usage error`, (t) => {
    t.throws(() => parseSimArgs([`--nodes=${bad}`]), { instanceOf: UsageError, message: /--nodes must be a whole number 1\.\.100000/ });
  });
}

for (const [args, message] of [
  [["--nodes", "2", "--first", "0"], /--first must be a whole number 1\.\.999000000, got "0"/],
  [["--nodes", "2", "--first", "x"], /--first must be a whole number/],
  [["--nodes", "2", "--first", "1e3"], /--first must be a whole number/],
  [["--nodes", "2", "--first", "999000001"], /--first must be a whole number/],
  [["--first", "5"], /--first numbers a fleet's nodes: give --nodes too/],
] as const) {
  test(`${args.join(" ")} is a usage error`, (t) => {
    t.throws(() => parseSimArgs([...args]), { instanceOf: UsageError, message });
  });
}

test("--first K numbers a fleet from K; absent means 1", (t) => {
  t.is(parseSimArgs(["--nodes", "5000", "--first", "5001"]).first, 5001);
  t.is(parseSimArgs(["--nodes", "20"]).first, undefined);
});

test("--nodes N parses; absent means one node", (t) => {
  t.is(parseSimArgs(["--nodes", "20"]).nodes, 20);
  t.is(parseSimArgs([]).nodes, undefined);
});

test("a fleet's flash: writes land at once without their own fsync, the batch syncs each written file once", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fieldnode-fleet-"));
  const syncs = new SyncBatch();
  const storage = new FileStorage(join(dir, "n1"), syncs);
  storage.write("a", Uint8Array.of(1));
  storage.write("a", Uint8Array.of(1, 2));
  storage.write("b", Uint8Array.of(3));
  t.deepEqual([...readFileSync(join(dir, "n1", "a"))], [1, 2], "a kill now finds what the node wrote");
  t.deepEqual(storage.read("b"), Uint8Array.of(3));
  t.is(syncs.pending, 2, "two files wait for one fsync each");
  await syncs.flush();
  t.is(syncs.synced, 2);
  t.is(syncs.pending, 0);
  storage.delete("b");
  storage.write("c", Uint8Array.of(4));
  await syncs.stop();
  t.is(syncs.synced, 3);
  t.is(syncs.errors, 0);
  t.true(statSync(join(dir, "n1", "c")).isFile());
});

test("a file gone before its batched fsync is counted, not thrown", async (t) => {
  const syncs = new SyncBatch();
  syncs.mark(join(tmpdir(), "fieldnode-no-such-dir", "x"));
  await t.notThrowsAsync(() => syncs.flush());
  t.is(syncs.errors, 1);
});
