import { openDashboard, type Dashboard } from "./dashboard-server.js";

/**
 * `--ui PORT`: opens the dashboard before anything else starts, or prints why
 * not (a port in use) and exits 2. Undefined without `--ui`.
 */
export async function openUiOrExit(port: number | undefined): Promise<Dashboard | undefined> {
  if (port === undefined) return undefined;
  try {
    return await openDashboard(port);
  } catch (error) {
    process.stderr.write(`fieldnode-sim: ${(error as Error).message}\n`);
    process.exit(2);
  }
}

/** Connects the dashboard to the node's broker and prints where to open it. */
export function announceUi(ui: Dashboard | undefined, brokerUrl: string, prefix: string | undefined): void {
  if (!ui) return;
  ui.connect(brokerUrl, prefix ?? "fieldnode");
  process.stdout.write(`dashboard: ${ui.url}\n`);
}
