/**
 * The line the simulator prints at start, with its embedded broker, to say how to watch its telemetry:
 * `watch the telemetry: npx fieldnode-monitor --broker <url>` (user and
 * password left out of the URL; `--prefix` when not the default, `--ca` when one was given).
 */
export function monitorHint(brokerUrl: string, prefix: string | undefined, ca?: string): string {
  let url = brokerUrl;
  try {
    const parsed = new URL(brokerUrl);
    parsed.username = "";
    parsed.password = "";
    url = parsed.toString().replace(/\/$/, "");
  } catch {
    // checked before anything started; shown as given
  }
  const prefixArg = prefix && prefix !== "fieldnode" ? ` --prefix ${prefix}` : "";
  const caArg = ca ? ` --ca ${ca}` : "";
  return `watch the telemetry: npx fieldnode-monitor --broker ${url}${prefixArg}${caArg}`;
}
