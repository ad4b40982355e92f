import { get as httpGet, type ClientRequest, type IncomingMessage } from "node:http";
import { get as httpsGet } from "node:https";
import type { HttpClient, HttpGetHandlers } from "../../modules/platform.js";

/**
 * The simulator's HTTP client for OTA downloads: Node's `http`/`https` GET,
 * the body handed on chunk by chunk (never collected), a non-200 status
 * an error. `ca`: extra PEM trust for https (a test's self-signed server);
 * without it, Node's default store. Exactly one of `onDone`/`onError`, none
 * after `abort()`.
 */
export function nodeHttpClient(ca?: string): HttpClient {
  return {
    get(url: string, handlers: HttpGetHandlers) {
      let finished = false;
      const finish = (step: () => void) => {
        if (finished) return;
        finished = true;
        step();
      };
      let request: ClientRequest;
      const onResponse = (response: IncomingMessage) => {
        if (response.statusCode !== 200) {
          response.resume();
          finish(() => handlers.onError(`HTTP ${response.statusCode}`));
          request.destroy();
          return;
        }
        response.on("data", (chunk: Buffer) => {
          if (!finished) handlers.onChunk(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        });
        response.on("end", () => finish(() => handlers.onDone()));
        response.on("aborted", () => finish(() => handlers.onError("the server closed the connection mid-body")));
        response.on("error", (error) => finish(() => handlers.onError(error.message)));
      };
      request = url.startsWith("https:") ? httpsGet(url, ca ? { ca } : {}, onResponse) : httpGet(url, onResponse);
      request.on("error", (error) => finish(() => handlers.onError(error.message)));
      return {
        abort() {
          finished = true;
          request.destroy();
        },
      };
    },
  };
}
