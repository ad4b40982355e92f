/// <reference path="./moddable-extras.d.ts" />
import HTTPClient from "embedded:network/http/client";
import type { HttpClient, HttpGetHandlers } from "../../modules/platform.js";
import { pattern } from "../../modules/util/pattern.js";
import type { ResolverClass } from "./net-resolver.js";
import type { SocketClass } from "./mqtt-transport.js";

/** Bytes read from the socket per `read`: the RAM the download holds at a time. */
export const HTTP_READ_BYTES = 2048;

const URL_PARTS = pattern(String.raw`^(https?):\/\/([A-Za-z0-9.-]{1,253})(?::([0-9]{1,5}))?(\/[^\s]*)?$`);

/**
 * OTA downloads on the board through the ECMA-419 HTTP client
 * (`embedded:network/http/client`): http:// over the TCP socket, https://
 * over the SDK's TLS socket (the host's trust store), names through `dns`.
 * The body is read `HTTP_READ_BYTES` at a time in `onReadable` and handed on
 * at once; a status other than 200 is an error.
 */
export function espHttpClient(sockets: { tcp: SocketClass; tls?: SocketClass }, dns: ResolverClass): HttpClient {
  return {
    get(url: string, handlers: HttpGetHandlers) {
      const parts = URL_PARTS.exec(url);
      let finished = false;
      const finish = (step: () => void) => {
        if (finished) return;
        finished = true;
        step();
      };
      if (!parts) {
        finish(() => handlers.onError(`not an http(s) URL the board can fetch: ${url.slice(0, 80)}`));
        return { abort() {} };
      }
      const secure = parts[1] === "https";
      if (secure && !sockets.tls) {
        finish(() => handlers.onError("https:// needs a TLS socket, which this firmware build does not include"));
        return { abort() {} };
      }
      const client = new HTTPClient({
        socket: secure ? { io: sockets.tls, secure: { serverName: parts[2] } } : { io: sockets.tcp },
        host: parts[2],
        port: parts[3] === undefined ? (secure ? 443 : 80) : Number(parts[3]),
        dns: { io: dns },
        onError: () => finish(() => handlers.onError("connection failed")),
      });
      client.request({
        method: "GET",
        path: parts[4] ?? "/",
        onHeaders(status) {
          if (status !== 200) finish(() => handlers.onError(`HTTP ${status}`));
        },
        onReadable(count) {
          while (count > 0 && !finished) {
            const bytes = this.read(Math.min(count, HTTP_READ_BYTES));
            if (!bytes) break;
            count -= bytes.byteLength;
            handlers.onChunk(new Uint8Array(bytes));
          }
        },
        onDone(error) {
          finish(() => (error ? handlers.onError("the transfer failed") : handlers.onDone()));
          client.close();
        },
      });
      return {
        abort() {
          finished = true;
          client.close();
        },
      };
    },
  };
}
