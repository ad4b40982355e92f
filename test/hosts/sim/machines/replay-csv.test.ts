import test from "ava";
import { channelNames } from "../../../../hosts/sim/machines/channel-names.js";
import { parseReplayCsv, parseTimestamp } from "../../../../hosts/sim/machines/replay-csv.js";
import { seededRandom } from "../../../helpers/seeded-random.js";

const NAMES: [string[], string[]][] = [
  [["Accelerometer1RMS", "Volume Flow RateRMS", "Current"], ["accelerometer1rm", "volume_flow_rate", "current"]],
  [["Temp (°C)", " -- rh % -- ", "__x__"], ["temp_c", "rh", "x"]],
  [["Current", "current", "CURRENT", "cur rent"], ["current", "current2", "current3", "cur_rent"]],
  [["averyveryverylongname", "averyveryverylongname2"], ["averyveryverylon", "averyveryverylo2"]],
  [["1st", "", "???"], ["c1st", "c2", "c3"]],
  [["abcdefghijklmno_pq"], ["abcdefghijklmno"]],
];

test("channel names: lower-case, runs outside a-z0-9 become _, trimmed, 16 characters, numeric suffix on collision", (t) => {
  for (const [headers, names] of NAMES) t.deepEqual(channelNames(headers), names, headers.join("|"));
});

test("channel names always fit [a-z][a-z0-9_]{0,15} and are unique (seeded random headers)", (t) => {
  const random = seededRandom(8);
  const alphabet = "aZ9_- .°%/()xyzCURRENT";
  for (let run = 0; run < 500; run++) {
    const headers = Array.from({ length: 1 + Math.floor(random() * 12) }, () =>
      Array.from({ length: Math.floor(random() * 30) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(""));
    const names = channelNames(headers);
    for (const name of names) t.regex(name, /^[a-z][a-z0-9_]{0,15}$/);
    t.is(new Set(names).size, names.length, headers.join("|"));
  }
});

test("a SKAB-style file: ';' separated, offsets from the first row, values as written", (t) => {
  const table = parseReplayCsv([
    "datetime;Accelerometer1RMS;Volume Flow RateRMS;anomaly",
    "2020-02-08 13:30:47;0.202394;122.664;0.0",
    "2020-02-08 13:30:48;0.203153;-0.273216;1",
    "",
    "2020-02-08 13:30:50;2.52577e-3;121.338;0.0",
  ].join("\r\n"), "skab.csv");
  t.deepEqual(table.columns.map((c) => c.name), ["accelerometer1rm", "volume_flow_rate", "anomaly"]);
  t.deepEqual(table.rows, [
    { line: 2, offsetMs: 0, values: [0.202394, 122.664, 0] },
    { line: 3, offsetMs: 1000, values: [0.203153, -0.273216, 1] },
    { line: 5, offsetMs: 3000, values: [0.00252577, 121.338, 0] },
  ]);
});

test("',' separated, numeric seconds and ISO timestamps with fractions and zones", (t) => {
  t.deepEqual(parseReplayCsv("t,a\n10.5,1\n11.25,2\n", "s.csv").rows.map((r) => r.offsetMs), [0, 750]);
  t.deepEqual(parseReplayCsv("t,a\n2024-01-01T00:00:00Z,1\n2024-01-01T01:00:00.5+01:00,2\n", "z.csv").rows.map((r) => r.offsetMs), [0, 500]);
  t.is(parseTimestamp("2020-13-01 00:00:00"), undefined);
});

// [file text, expected message]
const BAD: [string, string][] = [
  ["", "replay f.csv: empty file: expected a header line"],
  ["time;a\n", "replay f.csv: no data rows after the header"],
  ["justone\n1\n", 'replay f.csv: line 1: expected a timestamp column and at least one value column separated by ";" or ",", got "justone"'],
  ["t;a;b\n1;2;3\n2;4\n", "replay f.csv: line 3: 2 fields, the header has 3"],
  ["t;a\n1;2\nyesterday;3\n", 'replay f.csv: line 3: column "t": "yesterday" is not a timestamp (YYYY-MM-DD hh:mm:ss or seconds)'],
  ["t;a\n2;2\n2;3\n", 'replay f.csv: line 3: timestamp "2" is not after the previous row\'s'],
  ["t;Pressure\n1;2\n2;high\n", 'replay f.csv: line 3: column "Pressure": "high" is not a number'],
  ["t;a\n1;\n", 'replay f.csv: line 2: column "a": "" is not a number'],
  ["t;a\n1;0x10\n", 'replay f.csv: line 2: column "a": "0x10" is not a number'],
  ["t;a\n1;Infinity\n", 'replay f.csv: line 2: column "a": "Infinity" is not a number'],
];

test("bad CSVs: the message names the file, the line and the column", (t) => {
  for (const [text, message] of BAD) t.throws(() => parseReplayCsv(text, "f.csv"), { message }, JSON.stringify(text));
});
