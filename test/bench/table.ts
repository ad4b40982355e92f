/**
 * The one table of `npm run bench`: every section returns rows of a figure
 * and its baseline measured in the same run; main.ts prints them together
 * and writes them to a markdown file. Sections that also have detailed
 * tables print them through `Details` (shown with `--details`).
 */

/** One line of the table. */
export interface BenchRow {
  /** What is measured, with its conditions. */
  what: string;
  /** fieldnode's figure. */
  fieldnode: string;
  /** The baseline measured in the same run ("-" where none applies). */
  baseline: string;
}

/** Where a section prints its detailed tables (console with `--details`, else nowhere). */
export interface Details {
  log(line: string): void;
  table(rows: readonly object[]): void;
}

/** Details that go nowhere. */
export const QUIET: Details = { log: () => {}, table: () => {} };

/** Details printed on the console. */
export const CONSOLE: Details = { log: (line) => console.log(line), table: (rows) => console.table(rows) };

/** What every section gets from main.ts. */
export interface BenchContext {
  /** Directory of the SKAB recordings (`--recordings`, default ../shared/data/skab). */
  recordings: string;
  details: Details;
}

/** A section of the table: a name (for `--skip`) and how to measure its rows. */
export interface BenchSection {
  name: string;
  rows(context: BenchContext): Promise<BenchRow[]> | BenchRow[];
}

/** `n` with thousands separators ("12,345"); `digits` decimals. Not toLocaleString: after lockdown (the XS harness) it may not group. */
export function fmt(n: number, digits = 0): string {
  const [whole, fraction] = Math.abs(n).toFixed(digits).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${n < 0 ? "-" : ""}${grouped}${fraction ? `.${fraction}` : ""}`;
}

/** The rows as a GitHub markdown table (pipes in cells escaped). */
export function markdownTable(rows: readonly BenchRow[]): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  return [
    "| what | fieldnode | baseline in the same run |",
    "| --- | --- | --- |",
    ...rows.map((r) => `| ${cell(r.what)} | ${cell(r.fieldnode)} | ${cell(r.baseline)} |`),
  ].join("\n");
}
