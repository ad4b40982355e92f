/**
 * How an operation that may refuse came out, for tests and the XS-safe
 * scenarios: the error's `code` (the console's ERR code), never a throw.
 */

/** Runs `fn`: "ok", or the `code` of what it threw ("threw" without one). */
export function outcomeOf(fn: () => unknown): string {
  try {
    fn();
    return "ok";
  } catch (error) {
    return (error as { code?: string }).code ?? "threw";
  }
}

/** A scenario step: runs `fn` and adds "t=<ms> <label> -> <result>" (or "-> ERR <code> <message>") to `lines`. */
export function stepRecorder(lines: string[], now: () => number): (label: string, fn: () => unknown) => void {
  return (label, fn) => {
    try {
      lines.push(`t=${now()} ${label} -> ${String(fn())}`);
    } catch (error) {
      lines.push(`t=${now()} ${label} -> ERR ${(error as { code?: string }).code} ${(error as Error).message}`);
    }
  };
}
