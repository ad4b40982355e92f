import { world } from "./world.js";

/** `embedded:network/mqtt/client` (Moddable SDK): records the options it was built with; the broker never answers. */
export default class MQTTClient {
  static readonly CONNECT = 1;
  static readonly CONNACK = 2;
  static readonly PUBLISH = 3;
  static readonly PUBACK = 4;
  static readonly SUBSCRIBE = 8;
  static readonly SUBACK = 9;
  static readonly DISCONNECT = 14;
  constructor(options: Record<string, unknown>) {
    world.mqtt.push({ host: options.host, port: options.port, id: options.id, secure: Boolean((options.socket as { secure?: unknown } | undefined)?.secure) });
  }
  write(_data: ArrayBufferView, _options?: unknown): number {
    return 0;
  }
  read(_count?: number): ArrayBuffer {
    return new ArrayBuffer(0);
  }
  close(): void {}
}
