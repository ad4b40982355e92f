import test from "ava";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot, sourceFiles } from "../helpers/source-files.js";

// The board build (manifest.json, hosts/esp32/README.md "Preload"): every
// firmware module is preloaded, which keeps its code and module-level objects
// out of the fixed XS heaps, and so none may create a RegExp at module level.
const root = repoRoot;
const moduleFiles = sourceFiles;

const firmware = [...moduleFiles("modules"), ...moduleFiles("hosts/esp32")].map((path) => relative(root, join(root, path)).replaceAll("\\", "/"));

test("manifest.json preloads every firmware module (a module left out is compiled into RAM)", (t) => {
  const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));
  const preload = new Set<string>(manifest.preload);
  const missing = firmware.map((path) => `fieldnode/${path.slice(0, -3)}`).filter((name) => !preload.has(name));
  t.deepEqual(missing, []);
  const modules = new Set(firmware.map((path) => path.slice(0, -3)));
  const stale = [...preload].filter((name) => name.startsWith("fieldnode/") && !modules.has(name.slice("fieldnode/".length)));
  t.deepEqual(stale, []);
  t.is(manifest.preload[0], "fieldnode/hosts/esp32/builtin-names", "builtin-names first: it names the built-in constructors before they are frozen");
});

test("no firmware module creates a RegExp at module level (a preloaded one crashes XS exec during a GC): use util/pattern", (t) => {
  // A heuristic for the forms that occur: `const X = /.../` at the top level
  // and `pattern: /.../` in a table. RegExp literals inside functions are fine.
  const found: string[] = [];
  for (const path of firmware) {
    readFileSync(join(root, path), "utf8").split("\n").forEach((line, index) => {
      if (/^(export\s+)?(const|let|var)\s+[\w$]+\s*(:[^=]+)?=\s*\/[^/*]/.test(line) || /\bpattern:\s*\/[^/*]/.test(line)) found.push(`${path}:${index + 1}`);
    });
  }
  t.deepEqual(found, []);
});

test("no firmware module changes a Map, Set, WeakMap, WeakSet or typed array it made at module level (preloaded, they are in flash and their set/add/delete throw: the board aborts at boot)", (t) => {
  // The XS linker keeps preloaded objects in flash; plain objects and arrays
  // are aliased into RAM when changed, but instances of these built-ins are
  // immutable there ("XS linker warnings", Moddable docs). Make them at run
  // time instead (`let x; ... x ??= new Map()`). A heuristic for the forms
  // that occur: a top-level `const|let X = new Map(...)` and a later
  // `X.set(` / `X.add(` / `X.delete(` / `X.clear(` / `X[i] =` in the file.
  const builtins = "Map|Set|WeakMap|WeakSet|DataView|ArrayBuffer|(?:Float(?:32|64)|(?:Ui|I)nt(?:8|16|32)|Uint8Clamped|Big(?:Ui|I)nt64)Array";
  const declared = new RegExp(`^(?:export\\s+)?(?:const|let|var)\\s+([\\w$]+)[ \\t]*(?::[^=\\n]+)?=\\s*new\\s+(?:${builtins})\\b`, "gm");
  const found: string[] = [];
  for (const path of firmware) {
    const text = readFileSync(join(root, path), "utf8");
    for (const [, name] of text.matchAll(declared)) {
      const changed = new RegExp(`(?<![\\w$.])${name}\\s*(?:\\.\\s*(?:set|add|delete|clear|fill|copyWithin|sort|reverse|setUint8|setFloat64)\\s*\\(|\\[[^\\]]+\\]\\s*=[^=])`);
      if (changed.test(text)) found.push(`${path}: ${name}`);
    }
  }
  t.deepEqual(found, []);
});

test("every embedded:network/* module the board host imports is mapped and preloaded by manifest.json (the SDK keeps those clients among its examples, which no included manifest brings: xsl stops with 'module not found')", (t) => {
  const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));
  const imported = new Set<string>();
  for (const path of firmware) {
    const text = readFileSync(join(root, path), "utf8");
    for (const match of text.matchAll(/from\s+["'](embedded:network\/[^"']+)["']/g)) imported.add(match[1]);
  }
  t.true(imported.has("embedded:network/http/client") && imported.has("embedded:network/mqtt/client"), [...imported].join(", "));
  for (const specifier of imported) {
    t.truthy(manifest.modules[specifier], `${specifier} mapped in "modules"`);
    t.true((manifest.preload as string[]).includes(specifier), `${specifier} preloaded`);
  }
});
