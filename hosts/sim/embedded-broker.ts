import * as net from "node:net";
import { once } from "node:events";
import { Aedes } from "aedes";

/** A running in-process broker. */
export interface EmbeddedBroker {
  /** `mqtt://host:port` to hand to the transport. */
  url: string;
  port: number;
  /** Ends every client, stops listening and resolves when both are done. */
  close(): Promise<void>;
}

/**
 * Starts an in-process MQTT broker (aedes, in-memory persistence) on
 * `options.host` (default 127.0.0.1) and `options.port` (default 0: a free
 * port chosen by the OS). Rejects when the port cannot be bound.
 */
export async function startEmbeddedBroker(options: { host?: string; port?: number } = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? "127.0.0.1";
  const broker = await Aedes.createBroker();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    broker.handle(socket);
  });
  server.on("error", () => undefined);
  try {
    server.listen(options.port ?? 0, host);
    await Promise.race([once(server, "listening"), once(server, "error").then(([error]) => { throw error; })]);
  } catch (error) {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw error;
  }
  const port = (server.address() as net.AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `mqtt://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        await new Promise<void>((resolve) => broker.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await serverClosed;
      })();
      return closing;
    },
  };
}
