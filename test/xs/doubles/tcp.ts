/** `embedded:io/socket/tcp` and `.../tls` (ECMA-419): never constructed while the broker double does not connect. */
export default class TCP {
  constructor(_options: Record<string, unknown>) {
    throw new Error("the socket double is not used: the MQTT client double opens no socket");
  }
}
