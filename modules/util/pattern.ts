/**
 * A regular expression kept as its source and compiled each time it is used,
 * for patterns a module defines at module level.
 *
 * Why not a RegExp literal at module level: on the board, modules are
 * preloaded (run at build time, their objects kept in flash, which saves
 * RAM). XS (Moddable SDK, XS 17.x) runs `exec` on such a RegExp with match
 * data that it takes from malloc instead of its chunk heap and keeps on the
 * XS stack as if it were a chunk: a garbage collection during the call then
 * crashes the machine, and each call leaks that malloc block. A RegExp created
 * at run time (inside a function) is an ordinary RAM one and is safe.
 * Compiling per call costs microseconds and only config validation and
 * command parsing use these.
 */
export interface Pattern {
  /** The pattern, as `RegExp.prototype.source` would give it. */
  readonly source: string;
  test(text: string): boolean;
  exec(text: string): RegExpExecArray | null;
}

/** A `Pattern` for `new RegExp(source, flags)`; give `source` with `String.raw` to keep literal escapes. */
export function pattern(source: string, flags = ""): Pattern {
  // Constants, so that the XS linker keeps them in flash with the closures.
  const s = source;
  const f = flags;
  return Object.freeze({
    source: s,
    test: (text: string) => new RegExp(s, f).test(text),
    exec: (text: string) => new RegExp(s, f).exec(text),
  });
}
