import test from "ava";
import { improvRpc, improvWifi, type DevicePacket } from "../helpers/improv-client.js";
import { runOnXS } from "../helpers/xs.js";

type Reply = { packets: DevicePacket[]; text: string };

test("Improv serial runs on XS: device info, a bad checksum refused, credentials saved to flash, text lines around packets", async (t) => {
  const run = await runOnXS("test/xs/entries/improv.ts");
  t.teardown(() => run.close());
  const info = await run.command<Reply>("send", [...improvRpc(0x03)]);
  t.deepEqual(info.packets[1].strings?.[0], "fieldnode");
  t.is(info.packets[1].strings?.[3], "node-7");
  const broken = improvWifi("Plant", "password1");
  broken[broken.length - 1] ^= 1;
  const refused = await run.command<Reply>("send", [...broken]);
  t.deepEqual(refused.packets.map((p) => [p.type, ...p.data]), [[0x02, 0x01]]);
  t.deepEqual(await run.command("wifi"), { ssid: "", password: "" }, "nothing saved");
  const saved = await run.command<Reply>("send", [...improvWifi("Plant", "password1")]);
  t.deepEqual(saved.packets.map((p) => p.type), [0x02, 0x01, 0x01, 0x04]);
  t.deepEqual(await run.command("wifi"), { ssid: "Plant", password: "password1" });
  const text = await run.command<Reply>("send", "get wifi.ssid\n");
  t.regex(text.text, /^wifi\.ssid = Plant  \[restart\]\r\n/);
});
