import { MAX_QUANTITY, type ReadFunction } from "./pdu.js";

/** One wanted read: `count` items from `address` of one unit and function. */
export interface ReadPoint {
  readonly unit: number;
  readonly fn: ReadFunction;
  readonly address: number;
  readonly count: number;
}

/** One request serving several points: `members` are indices into the points given. */
export interface PlannedRead {
  readonly request: { unit: number; fn: ReadFunction; address: number; count: number };
  readonly members: readonly number[];
}

/**
 * Merges reads of neighbouring items of one unit and function into one
 * request each (fewer transactions on a slow bus), as long as the merged span
 * stays within the function's limit (125 registers, 2000 coils/inputs) and
 * the hole between two points is at most `maxGap` items (default 0: only
 * adjacent or overlapping points; a hole is read and thrown away, and may be
 * an address the slave refuses). Requests come out ordered by unit, function,
 * address. Never throws; a point larger than the limit gets its own request.
 */
export function planReads(points: readonly ReadPoint[], maxGap = 0): PlannedRead[] {
  const order = points.map((_, i) => i).sort((a, b) => {
    const p = points[a];
    const q = points[b];
    return p.unit - q.unit || p.fn - q.fn || p.address - q.address || a - b;
  });
  const plans: PlannedRead[] = [];
  let open: { unit: number; fn: ReadFunction; address: number; end: number; members: number[] } | undefined;
  const close = () => {
    if (open) plans.push({ request: { unit: open.unit, fn: open.fn, address: open.address, count: open.end - open.address }, members: open.members });
  };
  for (const i of order) {
    const p = points[i];
    const end = p.address + p.count;
    if (open && open.unit === p.unit && open.fn === p.fn && p.address <= open.end + maxGap && Math.max(open.end, end) - open.address <= MAX_QUANTITY[p.fn]) {
      open.end = Math.max(open.end, end);
      open.members.push(i);
      continue;
    }
    close();
    open = { unit: p.unit, fn: p.fn, address: p.address, end, members: [i] };
  }
  close();
  return plans;
}

/** The values of point `point` out of the values its planned request read. */
export function valuesOf(plan: PlannedRead, point: ReadPoint, values: readonly number[]): number[] {
  const from = point.address - plan.request.address;
  return values.slice(from, from + point.count);
}
