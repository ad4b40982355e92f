/**
 * What is wrong with a `--broker` URL, or `undefined` when it is a usable
 * mqtt://host[:port] or mqtts://host[:port]. Shared by fieldnode-sim and
 * fieldnode-monitor so both refuse the same mistakes with the same words;
 * `credentialsHint` says where that tool takes credentials instead.
 */
export function brokerUrlProblem(text: string, credentialsHint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `--broker "${text}" is not a URL; expected mqtt://host:port or mqtts://host:port`;
  }
  if (url.protocol !== "mqtt:" && url.protocol !== "mqtts:") return `--broker "${text}": scheme must be mqtt:// or mqtts://, got ${url.protocol}//`;
  if (!url.hostname) return `--broker "${text}" has no host`;
  if (url.pathname !== "" && url.pathname !== "/") return `--broker "${text}": a broker URL has no path`;
  if (url.username || url.password) return `--broker: ${credentialsHint}, not in the URL`;
  return undefined;
}
