import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Encoder } from "cbor-x";
import { WebSocketServer, type WebSocket } from "ws";
import type { MqttConnection } from "../../../modules/platform.js";
import { createMqttTransport } from "../../node/mqtt-transport.js";
import { decodeMessage, toPlain } from "../../../tools/monitor/message-decode.js";
import { LocalFeed } from "./local-feed.js";
import { newNodeView, noteBirth, noteEvent, type NodeView } from "./node-view.js";

/** Dashboard clients at once; one more is closed with 1013 "try again later". */
export const UI_MAX_CLIENTS = 16;
/** Largest WebSocket message a client may send (ws closes the client with 1009 beyond it). */
export const UI_MAX_MESSAGE = 2048;
/** A client whose unsent data passes this gets no more updates until it drains (updates are dropped, counted). */
const SEND_BACKLOG_MAX = 1 << 20;
/** Nodes kept in the snapshot a new client gets, and points per channel. */
const NODES_MAX = 5000;
const POINTS_MAX = 300;
/** Channels kept per node (a board has at most 16; a stranger publishing more names is cut here). */
const CHANNELS_MAX = 64;
/** How often the local node's batched points and console lines go to the clients (wall ms). */
const LOCAL_SEND_MS = 250;
/** Longest console line a client may type. */
export const UI_CONSOLE_LINE_MAX = 1024;

const NODE_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;
const VERB = /^[a-z]{1,16}$/;

/** What a dashboard client may send: one command to one node. */
interface ClientCommand {
  node: string;
  verb: string;
  args: Record<string, string | number | boolean>;
}

/** A console line a client typed for a node's console. */
interface ClientConsoleLine {
  node: string;
  console: string;
}

/** A running dashboard. */
export interface Dashboard {
  readonly url: string;
  readonly port: number;
  /** Subscribes to `<prefix>/+/tele|state|birth|evt|resp` on `brokerUrl` (reconnecting every 2 s) and starts feeding clients. */
  connect(brokerUrl: string, prefix: string): void;
  /** Counters: clients refused, messages refused (garbage), updates dropped for slow clients. */
  readonly stats: { refusedClients: number; badMessages: number; droppedUpdates: number };
  /** The simulator's own node in this process: its raw and filtered points and console lines (local-feed.ts). */
  readonly local: LocalFeed;
  /** Runs a console line a client typed for the local node; returns why not, or undefined when it went in. Unset: no console here. */
  onConsoleLine: ((line: string) => string | undefined) | undefined;
  close(): Promise<void>;
}

/**
 * A client's message: a command `{node, verb, args}` for `cmd/<verb>`, or a
 * console line `{node, console}` (one line of at most UI_CONSOLE_LINE_MAX
 * characters, no control characters); else a string saying what is wrong.
 */
export function parseClientCommand(text: string): ClientCommand | ClientConsoleLine | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a JSON object";
  const { node, verb, args, console: line } = value as Record<string, unknown>;
  if (typeof node !== "string" || !NODE_ID.test(node)) return `node: not a node id: ${JSON.stringify(String(node).slice(0, 40))}`;
  if (line !== undefined) {
    if (typeof line !== "string") return "console: not text";
    if (line.length > UI_CONSOLE_LINE_MAX) return `console: a line of ${line.length} characters; at most ${UI_CONSOLE_LINE_MAX}`;
    if (/[\u0000-\u001f\u007f]/.test(line)) return "console: control characters (one line of text, please)";
    if (line.trim() === "") return "console: empty line";
    return { node, console: line };
  }
  if (typeof verb !== "string" || !VERB.test(verb)) return `verb: not a command verb: ${JSON.stringify(String(verb).slice(0, 40))}`;
  const out: Record<string, string | number | boolean> = {};
  if (args !== undefined) {
    if (typeof args !== "object" || args === null || Array.isArray(args)) return "args: not an object";
    for (const [key, v] of Object.entries(args)) {
      if (key === "id" || !/^[a-z]{1,16}$/.test(key)) return `args: bad key ${JSON.stringify(key.slice(0, 40))}`;
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") return `args.${key}: not text, number or boolean`;
      out[key] = v;
    }
  }
  return { node, verb, args: out };
}

function staticFiles(): Map<string, { type: string; path: string }> {
  const here = fileURLToPath(new URL("../../../../hosts/sim/dashboard/static/", import.meta.url));
  const require = createRequire(import.meta.url);
  return new Map([
    ["/", { type: "text/html; charset=utf-8", path: `${here}index.html` }],
    ["/app.js", { type: "text/javascript; charset=utf-8", path: `${here}app.js` }],
    ...["dom.js", "plot-data.js", "plot-view.js"].map((name): [string, { type: string; path: string }] => [`/${name}`, { type: "text/javascript; charset=utf-8", path: `${here}${name}` }]),
    ["/uplot.js", { type: "text/javascript; charset=utf-8", path: require.resolve("uplot/dist/uPlot.iife.min.js") }],
    ["/uplot.css", { type: "text/css; charset=utf-8", path: require.resolve("uplot/dist/uPlot.min.css") }],
  ]);
}

/**
 * Opens the dashboard's HTTP and WebSocket server on 127.0.0.1:`port` (0: a
 * free one). Serves the static page (hosts/sim/dashboard/static, uPlot from
 * node_modules); data reach the page over MQTT (`connect`), so real boards
 * on the same broker show too. Clients get a snapshot, then every message
 * as JSON; they may send `{node, verb, args}`, published as
 * `<prefix>/<node>/cmd/<verb>` (CBOR `{id, ...args}`), or `{node, console}`,
 * a line for the simulator's own node's console (`onConsoleLine`). That
 * node's raw and filtered points and console lines (`local`) go out batched
 * every 250 ms. Bounded: clients
 * (UI_MAX_CLIENTS), message size (UI_MAX_MESSAGE), a slow client's backlog;
 * garbage is answered with an error and counted; a WebSocket from a page of
 * another origin is refused (403). Rejects with a message
 * naming the port when it is in use.
 */
export async function openDashboard(port: number): Promise<Dashboard> {
  const files = staticFiles();
  const stats = { refusedClients: 0, badMessages: 0, droppedUpdates: 0 };
  const local = new LocalFeed();
  let onConsoleLine: ((line: string) => string | undefined) | undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const file = req.method === "GET" ? files.get((req.url ?? "/").split("?")[0]) : undefined;
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    try {
      res.writeHead(200, { "content-type": file.type, "cache-control": "no-store" }).end(readFileSync(file.path));
    } catch {
      res.writeHead(500, { "content-type": "text/plain" }).end("unreadable\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === "EADDRINUSE" ? `--ui ${port}: port in use; give another port, or 0 for a free one` : `--ui ${port}: ${error.message}`)));
    server.listen(port, "127.0.0.1", () => resolve());
  });
  // Once listening, a failed accept (out of file descriptors under a flood of clients) must not end the process.
  server.on("error", () => {});
  server.on("clientError", (_error, socket) => socket.destroy());
  const actual = (server.address() as AddressInfo).port;
  // Browsers let any web page open a WebSocket to 127.0.0.1: only the dashboard's own page (or a
  // client that sends no Origin, as scripts do) may type into the node's console.
  const origins = new Set([`http://127.0.0.1:${actual}`, `http://localhost:${actual}`]);
  const wss = new WebSocketServer({
    server, path: "/ws", maxPayload: UI_MAX_MESSAGE,
    verifyClient: ({ origin }: { origin?: string }) => {
      if (origin === undefined || origins.has(origin)) return true;
      stats.refusedClients++;
      return false;
    },
  });
  wss.on("error", () => {});
  /** Latest state, birth and points per node, for new clients. */
  const nodes = new Map<string, NodeView>();
  let mqtt: MqttConnection | undefined;
  let prefix = "fieldnode";
  let commandId = 0;
  /** Command ids differ across dashboard runs: a node answers a repeated id (its last 32) with the old response. */
  const idBase = `ui-${Date.now().toString(36)}`;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const localSend = setInterval(() => {
    const message = local.take();
    if (message && wss.clients.size > 0) broadcast(message);
  }, LOCAL_SEND_MS);
  localSend.unref();

  const send = (ws: WebSocket, message: unknown) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > SEND_BACKLOG_MAX) {
      stats.droppedUpdates++;
      return;
    }
    ws.send(JSON.stringify(message));
  };
  const broadcast = (message: unknown) => {
    for (const ws of wss.clients) send(ws, message);
  };
  const nodeEntry = (id: string) => {
    let entry = nodes.get(id);
    if (!entry) {
      if (nodes.size >= NODES_MAX) return undefined;
      entry = newNodeView();
      nodes.set(id, entry);
    }
    return entry;
  };

  wss.on("connection", (ws) => {
    if (wss.clients.size > UI_MAX_CLIENTS) {
      stats.refusedClients++;
      ws.close(1013, "too many dashboard clients");
      return;
    }
    ws.on("error", () => {});
    send(ws, { t: "snapshot", prefix, broker: mqtt !== undefined, nodes: Object.fromEntries(nodes), local: local.snapshot() });
    ws.on("message", (data, isBinary) => {
      const parsed = isBinary ? "binary message" : parseClientCommand(String(data));
      if (typeof parsed === "string") {
        stats.badMessages++;
        send(ws, { t: "error", message: parsed });
        return;
      }
      if ("console" in parsed) {
        const why = !onConsoleLine || parsed.node !== local.info?.node ? `node ${parsed.node} has no console here (only the simulator's own node has)` : onConsoleLine(parsed.console);
        if (why !== undefined) send(ws, { t: "error", message: why });
        return;
      }
      if (!mqtt) {
        send(ws, { t: "error", message: "not connected to the broker" });
        return;
      }
      const id = `${idBase}-${++commandId}`;
      const payload = new Encoder({ useRecords: false }).encode({ id, ...parsed.args });
      mqtt.publish(`${prefix}/${parsed.node}/cmd/${parsed.verb}`, payload, 1, false);
      send(ws, { t: "sent", node: parsed.node, verb: parsed.verb, id });
    });
  });

  const onMessage = (topic: string, payload: Uint8Array) => {
    const message = decodeMessage(topic, payload, prefix);
    if (message.kind === "warning" || message.kind === "cmd") return;
    const entry = nodeEntry(message.node);
    if (!entry) return;
    entry.lastSeen = Date.now();
    if (message.kind === "state") {
      entry.state = message.state;
      broadcast({ t: "state", node: message.node, state: message.state, at: entry.lastSeen });
    } else if (message.kind === "tele") {
      const points = message.pack.readings.map((r) => ({ n: r.local, t: r.time, v: r.value ?? null, u: r.unit ?? null, q: r.quality ?? null }));
      for (const p of points) {
        if (!(p.n in entry.points) && Object.keys(entry.points).length >= CHANNELS_MAX) continue;
        const series = (entry.points[p.n] ??= []);
        series.push([p.t, p.v, p.q]);
        if (series.length > POINTS_MAX) series.splice(0, series.length - POINTS_MAX);
      }
      broadcast({ t: "tele", node: message.node, at: entry.lastSeen, points });
    } else {
      const body = toPlain(message.body);
      if (message.kind === "birth") {
        entry.birth = body;
        noteBirth(entry, body);
      }
      if (message.kind === "evt") {
        entry.events.push(body);
        if (entry.events.length > 20) entry.events.shift();
        noteEvent(entry, body);
      }
      broadcast({ t: message.kind, node: message.node, at: entry.lastSeen, body });
      if (message.kind !== "resp") broadcast({ t: "states", node: message.node, act: entry.act, alarms: entry.alarms });
    }
  };

  const connect = (brokerUrl: string) => {
    if (closed) return;
    const connection = createMqttTransport().connect({ url: brokerUrl, clientId: `fieldnode-ui-${process.pid}-${actual}`, keepalive: 30, cleanSession: true }, {
      onConnect() {
        mqtt = connection;
        connection.subscribe(["tele", "state", "birth", "evt", "resp"].map((kind) => `${prefix}/+/${kind}`), 0);
        broadcast({ t: "broker", connected: true });
      },
      onMessage,
      onPuback() {},
      onClose() {
        mqtt = undefined;
        broadcast({ t: "broker", connected: false });
        if (!closed) retry = setTimeout(() => connect(brokerUrl), 2000);
      },
    });
  };

  return {
    url: `http://127.0.0.1:${actual}/`,
    port: actual,
    stats,
    local,
    get onConsoleLine() {
      return onConsoleLine;
    },
    set onConsoleLine(handler) {
      onConsoleLine = handler;
    },
    connect(brokerUrl, topicPrefix) {
      prefix = topicPrefix;
      connect(brokerUrl);
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      clearInterval(localSend);
      mqtt?.disconnect();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
