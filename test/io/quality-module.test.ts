import test from "ava";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot, sourceFiles } from "../helpers/source-files.js";

/** A declaration of a value-quality type (a re-export of io/quality.ts's is not one): only modules/io/quality.ts may. */
const DECLARES = [/\btype\s+(Quality|QualityReason)\s*=/, /\binterface\s+QualifiedValue\b/];

test("one home for value quality: Quality, QualityReason and QualifiedValue are declared only in modules/io/quality.ts (drivers and edge filters import them)", (t) => {
  const homes = sourceFiles("modules").filter((file) => {
    const text = readFileSync(join(repoRoot, file), "utf8");
    return DECLARES.some((pattern) => pattern.test(text));
  });
  t.deepEqual(homes, [join("modules", "io", "quality.ts")]);
});
