import Net from "net";

/** One look-up as the ECMA-419 MQTT client asks for it. */
export interface ResolveRequest {
  host: string;
  onResolved(host: string, address: string): void;
  onError(): void;
}

/**
 * What the resolver tells its owner about a look-up, always before the
 * client hears it (the client reacts by failing or opening the socket).
 */
export interface ResolveObserver {
  onResolved(host: string, address: string): void;
  onFailed(host: string): void;
  /** False once the connection that asked is gone: late answers are dropped. */
  isLive(): boolean;
}

/** A resolver class with the shape of `embedded:network/dns/resolver/udp`. */
export type ResolverClass = new (options?: unknown) => { resolve(request: ResolveRequest): void; close(): void };

/**
 * Makes a DNS resolver class, in the shape the ECMA-419 MQTT client expects
 * for `options.dns.io`, on the `net` module's `Net.resolve` (lwIP's resolver
 * with the DHCP-provided servers on the ESP32, GResolver under mcsim; both
 * accept IP literals). Unlike the SDK's UDP resolver it needs no server list
 * and no extra modules, and it tells `observer` whether the look-up worked,
 * which is how the transport reports a "dns" failure distinctly.
 */
export function observedNetResolver(observer: ResolveObserver): ResolverClass {
  return class NetResolver {
    resolve(request: ResolveRequest): void {
      try {
        Net.resolve(request.host, (_name: string, address?: string) => {
          if (!observer.isLive()) return;
          if (address) {
            observer.onResolved(request.host, address);
            request.onResolved(request.host, address);
          } else {
            observer.onFailed(request.host);
            request.onError();
          }
        });
      } catch {
        observer.onFailed(request.host);
        request.onError();
      }
    }

    close(): void {}
  };
}
