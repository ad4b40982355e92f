/** `embedded:network/http/client` (Moddable SDK): the OTA download's client; nothing is downloaded while booting. */
export default class HTTPClient {
  constructor(_options: Record<string, unknown>) {
    throw new Error("the HTTP client double is not used while booting");
  }
}
