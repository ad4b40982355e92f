import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ConfigService } from "../../modules/config/config-service.js";
import { FileStorage } from "./file-storage.js";

/** Directories under the state root looked into for a saved node id: a bound on the scan. */
const SCAN_MAX = 256;

/**
 * The default `--state` directory. Without `--id`: `<root>/<hardwareId>`.
 * With `--id X`: `<root>/X` when it exists; else the one directory under
 * `<root>` whose saved config says `node.id = X` (a node first run without
 * `--id`, then saved as X, keeps its flash); else `<root>/X`. Reads only
 * directories that exist and writes nothing.
 */
export function defaultStateDir(root: string, id: string | undefined, hardwareId: string): string {
  if (id === undefined) return join(root, hardwareId);
  const named = join(root, id);
  if (existsSync(named) || !existsSync(root)) return named;
  const matches: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort().slice(0, SCAN_MAX);
  } catch {
    return named;
  }
  for (const name of entries) {
    try {
      if (new ConfigService(new FileStorage(join(root, name)), name).resolved().nodeId === id) matches.push(join(root, name));
    } catch {
      // An unreadable directory is not this node's flash.
    }
  }
  return matches.length === 1 ? matches[0] : named;
}
