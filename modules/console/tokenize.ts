/**
 * Splits a console line into words. Double or single quotes group words with
 * spaces; inside double quotes, \" and \\ escape. Returns an error message
 * instead of throwing for an unterminated quote.
 */
export function tokenize(line: string): { words: string[] } | { error: string } {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (quote === '"' && ch === "\\" && (line[i + 1] === '"' || line[i + 1] === "\\")) word += line[++i];
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === " ") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) return { error: `unterminated ${quote === '"' ? "double" : "single"} quote` };
  if (inWord) words.push(word);
  return { words };
}
