/**
 * A replay CSV in virtual time. Row k falls due `offsetMs` after the replay
 * starts, which is when the node first reads one of its probes; each probe
 * serves its column's row that is due now and tells the node when the next
 * one is (ProbeSource), so the node samples every row at the file's own
 * offset. For csv signals of a profile, `column(name, t)` holds each row's
 * value until the next (looping when asked).
 */
import type { ProbeSource } from "../../../modules/io/models/probe-model.js";
import { SimInputError } from "./input-error.js";
import type { ReplayTable } from "./replay-csv.js";

export class ReplaySource {
  readonly table: ReplayTable;
  #now: () => number;
  #start: number | undefined;
  /** Per column: the last row index each probe delivered. */
  #delivered: number[];
  /** Columns whose probe has told the node that no row follows. */
  #ended = new Set<number>();
  #onDone: (() => void) | undefined;
  #done = false;

  /** `now`: virtual ms; `onDone` runs once, when every column's probe has delivered the last row and said so. */
  constructor(table: ReplayTable, now: () => number, onDone?: () => void) {
    this.table = table;
    this.#now = now;
    this.#delivered = table.columns.map(() => -1);
    this.#onDone = onDone;
  }

  /** The probe source of column `index`: the row due now, and ms to the next row (or the end). */
  probe(index: number): ProbeSource {
    const rows = this.table.rows;
    return {
      value: () => {
        const row = this.#rowNow();
        if (row > this.#delivered[index]) this.#delivered[index] = row;
        return rows[row].values[index];
      },
      next: () => {
        const row = this.#rowNow();
        if (row + 1 >= rows.length) {
          this.#ended.add(index);
          this.#checkDone();
          return "end";
        }
        return this.#start! + rows[row + 1].offsetMs - this.#now();
      },
    };
  }

  /** Rows delivered by the probe of column `index` so far. */
  delivered(index: number): number {
    return this.#delivered[index] + 1;
  }

  /**
   * A ColumnSource for csv signals: the value of `column` (its header or its
   * channel name) in the row due at `tMs` (machine time from 0), held until
   * the next row; with `loop`, the file starts again after its last row (one
   * median row step later). Throws SimInputError for an unknown column.
   */
  static columns(table: ReplayTable, loop: boolean): (column: string, tMs: number) => number {
    const rows = table.rows;
    const steps = rows.slice(1).map((r, i) => r.offsetMs - rows[i].offsetMs).sort((a, b) => a - b);
    const period = rows[rows.length - 1].offsetMs + (steps[Math.floor(steps.length / 2)] ?? 1000);
    let cursor = 0;
    return (column, tMs) => {
      const index = columnIndex(table, column);
      const t = loop ? tMs % period : tMs;
      if (cursor >= rows.length || rows[cursor].offsetMs > t) cursor = 0;
      while (cursor + 1 < rows.length && rows[cursor + 1].offsetMs <= t) cursor++;
      return rows[cursor].values[index];
    };
  }

  #rowNow(): number {
    const now = this.#now();
    this.#start ??= now;
    const rows = this.table.rows;
    let lo = 0;
    let hi = rows.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#start + rows[mid].offsetMs <= now) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  #checkDone(): void {
    if (this.#done || this.#ended.size < this.table.columns.length) return;
    this.#done = true;
    this.#onDone?.();
  }
}

/** Index of a column by header (as written) or channel name; throws SimInputError naming the file and the known columns. */
export function columnIndex(table: ReplayTable, column: string): number {
  // A header as written wins over a channel name ("current" may be the header of one column and the name of another).
  let index = table.columns.findIndex((c) => c.header === column);
  if (index < 0) index = table.columns.findIndex((c) => c.name === column);
  if (index < 0) throw new SimInputError(`replay ${table.file}: no column "${column}" (columns: ${table.columns.map((c) => c.header).join(", ")})`);
  return index;
}
