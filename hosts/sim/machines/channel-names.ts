/** Most characters in a channel name (config group names, SenML names). */
export const CHANNEL_NAME_MAX = 16;

/**
 * Channel names for CSV headers, in order: lower-case, every run of
 * characters outside a-z0-9 becomes "_", "_" trimmed from both ends, cut to
 * 16 characters (and trimmed again); a name that would not start with a
 * letter gets a "c" in front ("" becomes "c<column number>"); a name already
 * taken gets the smallest numeric suffix from 2 that makes it unique, the
 * name cut to leave room ("current", "current2"). Every result matches
 * `[a-z][a-z0-9_]{0,15}`.
 */
export function channelNames(headers: readonly string[]): string[] {
  const taken = new Set<string>();
  return headers.map((header, index) => {
    let name = header.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
    if (name === "") name = `c${index + 1}`;
    else if (!/^[a-z]/.test(name)) name = `c${name}`;
    name = cut(name, CHANNEL_NAME_MAX);
    let unique = name;
    for (let n = 2; taken.has(unique); n++) unique = `${cut(name, CHANNEL_NAME_MAX - String(n).length)}${n}`;
    taken.add(unique);
    return unique;
  });
}

function cut(name: string, length: number): string {
  return name.slice(0, length).replace(/_+$/, "");
}
