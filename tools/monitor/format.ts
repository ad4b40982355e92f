import { escapeControls } from "../../modules/util/escape-controls.js";
import type { MonitorMessage } from "./message-decode.js";
import type { ResolvedRecord } from "./senml-decode.js";
import type { Finding, TrackerSummary } from "./sequence-tracker.js";

/** Longest rendering of a CBOR body in a text line, in characters. */
const BODY_CHARS = 400;

/** Seconds → ISO time for wall clocks, `+<s>s (uptime)` for uptime clocks. */
function formatTime(seconds: number, clock: string): string {
  if (clock === "uptime") return `+${Number(seconds.toFixed(3))}s`;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
}

/**
 * A number as short as it reads: a float32 on the wire (SenML-CBOR sends
 * float32 when it fits) is shown with the fewest digits that give back the
 * same float32, so 45.0584 and not 45.05839920043945.
 */
export function formatNumber(value: number): string {
  if (Number.isInteger(value) || Math.fround(value) !== value) return String(value);
  for (let digits = 1; digits <= 9; digits++) {
    const short = Number(value.toPrecision(digits));
    if (Math.fround(short) === value) return String(short);
  }
  return String(value);
}

function formatValue(record: ResolvedRecord): string {
  if (record.quality !== undefined) {
    const value = record.value === undefined ? "" : `${formatNumber(record.value)}${record.unit ? ` ${record.unit}` : ""} `;
    return `${value}[${record.quality}]`;
  }
  if (record.value !== undefined) return `${formatNumber(record.value)}${record.unit ? ` ${record.unit}` : ""}`;
  if (record.stringValue !== undefined) return JSON.stringify(record.stringValue);
  if (record.boolValue !== undefined) return String(record.boolValue);
  if (record.dataValue !== undefined) return `h'${record.dataValue}'`;
  if (record.sum !== undefined) return `sum ${formatNumber(record.sum)}${record.unit ? ` ${record.unit}` : ""}`;
  return "(no value)";
}

/** One finding in words, e.g. `GAP 5-7 (3 lost)`, `DUP 4`, `REPLAY 3 hist`, `NEW-BOOT 1a2b→3c4d`. */
export function formatFinding(finding: Finding): string {
  switch (finding.type) {
    case "GAP": {
      const count = finding.to - finding.from + 1;
      return `GAP ${finding.from === finding.to ? finding.from : `${finding.from}-${finding.to}`} (${count} missing)`;
    }
    case "DUP": return `DUP ${finding.seq}`;
    case "REPLAY": {
      const why = [finding.historical ? "hist" : "late", finding.fills ? "fills gap" : "", finding.unknown ? "older than window" : ""];
      return `REPLAY ${finding.seq} (${why.filter((w) => w !== "").join(", ")})`;
    }
    case "NEW-BOOT": return `NEW-BOOT ${finding.previous}→${finding.boot}`;
  }
}

const clip = (text: string) => (text.length > BODY_CHARS ? `${text.slice(0, BODY_CHARS)}…` : text);

/**
 * One readable line for a message and the findings of its sequence number:
 * `<kind> <node> …`, telemetry as `boot=… seq=… <time of the earliest reading> name=value unit @+dt …`
 * with flags HIST and UPTIME, findings after `!!`, warnings starting `WARN`;
 * control characters escaped.
 */
export function formatText(message: MonitorMessage, findings: readonly Finding[] = []): string {
  let line: string;
  switch (message.kind) {
    case "tele": {
      const { pack } = message;
      const flags = [pack.historical ? "HIST" : "", pack.clock === "uptime" ? "UPTIME" : "", pack.clock === "rebased" ? "REBASED" : ""]
        .filter((f) => f !== "");
      // The line's time is the earliest reading's (bt may lie inside the pack); the others are relative to it.
      const start = pack.readings[0]?.time ?? pack.bt;
      const readings = pack.readings.map((r) => {
        const dt = Number((r.time - start).toFixed(3));
        return `${r.local}=${formatValue(r)}${dt !== 0 ? ` @${dt > 0 ? "+" : ""}${dt}s` : ""}`;
      });
      line = [`tele ${message.node} boot=${pack.boot} seq=${pack.seq} ${formatTime(start, pack.clock)}`, ...flags, readings.join(", ")]
        .filter((part) => part !== "").join(" ");
      break;
    }
    case "state": line = `state ${message.node} ${message.state}`; break;
    case "birth": case "evt": case "resp":
      line = `${message.kind} ${message.node} ${clip(JSON.stringify(message.body))}`;
      break;
    case "cmd": line = `cmd ${message.node} ${message.verb} ${clip(JSON.stringify(message.body))}`; break;
    case "warning":
      line = `WARN ${message.topic}: ${message.reason} (${message.size} bytes: ${message.head || "empty"})`;
      break;
  }
  return escapeControls(findings.length > 0 ? `${line} !! ${findings.map(formatFinding).join(" ")}` : line);
}


/** The JSON line of a message: its fields, `findings` (for telemetry) and the receive time. */
export function formatJson(message: MonitorMessage, findings: readonly Finding[] = [], receivedAt = new Date()): string {
  const base = { received: receivedAt.toISOString(), ...message };
  return JSON.stringify(message.kind === "tele" ? { ...base, findings } : base);
}

/** The summary printed at exit: text, or one JSON object `{"kind":"summary",…}`. */
export function formatSummary(summary: TrackerSummary & { messages: number; warnings: number }, json: boolean): string {
  if (json) return JSON.stringify({ kind: "summary", ...summary });
  return `summary: ${summary.messages} messages, ${summary.packs} telemetry packs from ${summary.nodes} node(s); ` +
    `${summary.gaps} gaps (${summary.missingReported} missing, ${summary.recovered} recovered, ${summary.lost} lost), ` +
    `${summary.dups} duplicates, ${summary.replays} replays, ${summary.newBoots} new boots, ${summary.warnings} unreadable`;
}
