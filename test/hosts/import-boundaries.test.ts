import test from "ava";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { repoRoot, sourceFiles } from "../helpers/source-files.js";

// design.md: a host adapts one platform and owns nothing else; a tool is its own program.
// Neither may reach into another host's folder (hosts/sim, hosts/esp32): code that two of
// them share lives in a folder of its own (hosts/node for Node.js hosts and tools, modules/
// for the firmware).
const root = repoRoot;
const sources = sourceFiles;

/** The folder an owner may not leave for another host: "hosts/sim", "tools/monitor", ... */
const ownerOf = (path: string) => path.split("/").slice(0, 2).join("/");

/** Relative import specifiers of a source file (static and dynamic). */
function imports(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) found.push(match[1]);
  return found;
}

test("no host or tool imports another host's folder (hosts/sim, hosts/esp32)", (t) => {
  const owners = ["hosts", "tools"].flatMap((top) => readdirSync(join(root, top), { withFileTypes: true })
    .filter((e) => e.isDirectory()).map((e) => `${top}/${e.name}`));
  const crossings: string[] = [];
  for (const owner of owners) {
    for (const file of sources(owner)) {
      for (const specifier of imports(readFileSync(join(root, file), "utf8"))) {
        const target = relative(root, resolve(root, dirname(file), specifier)).replaceAll("\\", "/");
        const targetOwner = ownerOf(target);
        if ((targetOwner === "hosts/sim" || targetOwner === "hosts/esp32") && targetOwner !== ownerOf(file.replaceAll("\\", "/"))) {
          crossings.push(`${file} imports ${target}`);
        }
      }
    }
  }
  t.deepEqual(crossings, []);
});
