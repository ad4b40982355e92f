import type { SocketClass } from "./mqtt-transport.js";

/** The SDK's ECMA-419 TLS socket (`embedded:io/socket/tcp/tls`), as the MQTT transport uses it. */
declare const TLSSocket: SocketClass;
export default TLSSocket;
