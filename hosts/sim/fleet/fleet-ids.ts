/** Longest node id (as in hosts/sim/args.ts NODE_ID). */
const ID_MAX = 32;

/**
 * The ids of a fleet: `<prefix>-0001` ... `<prefix>-<n>`, numbered from
 * `first` (default 1), zero-padded to at least 4 digits, so a larger fleet
 * split over processes takes id ranges (`--id plant-a` in one, `--id plant-b`
 * in the next). Throws RangeError when the longest id exceeds 32 characters.
 */
export function fleetIds(prefix: string, count: number, first = 1): string[] {
  const width = Math.max(4, String(first + count - 1).length);
  const longest = prefix.length + 1 + width;
  if (longest > ID_MAX) throw new RangeError(`--id "${prefix}" is too long a fleet prefix: its node ids would be ${longest} characters; max ${ID_MAX}`);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(`${prefix}-${String(first + i).padStart(width, "0")}`);
  return ids;
}
