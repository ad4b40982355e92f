import test from "ava";
import mqttPacket from "mqtt-packet";
import { runOnXS } from "../helpers/xs.js";

const publish = (retain: boolean, size: number) => mqttPacket.generate({ cmd: "publish", topic: "f/n/cmd/ping", payload: Buffer.alloc(size, 7), qos: 1, messageId: 3, retain, dup: false });
/** Fixed header bytes of a packet (type byte and remaining length). */
const headerBytes = (bytes: Buffer) => { let i = 1; while (bytes[i] & 0x80) i++; return i + 1; };

test("the ESP32 transport's retain watch runs on XS", async (t) => {
  const run = await runOnXS("test/xs/entries/publish-flags.ts");
  t.teardown(() => run.close());
  const packets = [publish(true, 3), mqttPacket.generate({ cmd: "pingresp" }), publish(false, 130), publish(true, 200), mqttPacket.generate({ cmd: "puback", messageId: 9 })]
    .map((bytes) => ({ bytes: new Uint8Array(bytes), header: headerBytes(bytes), publish: bytes[0] >> 4 === 3 }));
  t.deepEqual(await run.command<boolean[]>("watch", packets), [true, false, true]);
});
