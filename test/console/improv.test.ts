import test from "ava";
import { ConfigService } from "../../modules/config/config-service.js";
import { encodeUtf8 } from "../../modules/util/utf8.js";
import { FIRMWARE_VERSION } from "../../modules/version.js";
import { improvPacket, improvRpc, improvWifi } from "../helpers/improv-client.js";
import { improvRig as rig } from "../helpers/improv-rig.js";

const STATE = 0x01;
const ERROR = 0x02;
const RESULT = 0x04;

test("improv: device info names fieldnode, its version, the host and the node id", (t) => {
  const { port } = rig();
  const { packets } = port.send(improvRpc(0x03));
  t.deepEqual(packets.map((p) => p.type), [ERROR, RESULT]);
  t.deepEqual(packets[0].data, [0x00]);
  t.is(packets[1].command, 0x03);
  t.deepEqual(packets[1].strings, ["fieldnode", FIRMWARE_VERSION, "test", "node-7"]);
});

test("improv: current state is ready (0x02) without an SSID", (t) => {
  const { port } = rig();
  const { packets } = port.send(improvRpc(0x02));
  t.deepEqual(packets.map((p) => [p.type, ...p.data]), [[ERROR, 0x00], [STATE, 0x02]]);
});

test("improv: Wi-Fi settings are saved like set + save, then provisioning, provisioned and the result; they survive a reload", (t) => {
  const { port, joined, storage } = rig();
  const { packets, text } = port.send(improvWifi("Plant Wi-Fi", "correct horse"));
  t.deepEqual(packets.map((p) => [p.type, ...(p.type === RESULT ? [] : p.data)]), [[ERROR, 0x00], [STATE, 0x03], [STATE, 0x04], [RESULT]]);
  t.is(packets[3].command, 0x01);
  t.deepEqual(packets[3].strings, []);
  t.deepEqual(joined, [{ ssid: "Plant Wi-Fi", password: "correct horse" }]);
  t.false(text.includes("correct horse"));
  const reloaded = new ConfigService(storage, "node-7").resolved();
  t.deepEqual(reloaded.wifi, { ssid: "Plant Wi-Fi", password: "correct horse" });
  // Asked again, the state is provisioned and the provisioning result follows.
  const again = port.send(improvRpc(0x02));
  t.deepEqual(again.packets.map((p) => p.type), [ERROR, STATE, RESULT]);
  t.deepEqual(again.packets[1].data, [0x04]);
});

const refused: { label: string; packet: Uint8Array; error: number; note: RegExp }[] = [
  { label: "a bad checksum", packet: improvWifi("net", "password1").map((b, i, a) => (i === a.length - 1 ? b ^ 0xff : b)), error: 0x01, note: /checksum/ },
  { label: "an RPC length byte that disagrees with the packet length", packet: improvPacket(0x03, [0x01, 9, 3, 0x61, 0x62, 0x63, 0]), error: 0x01, note: /RPC length byte says 9/ },
  { label: "SSID and password lengths that do not add up", packet: improvRpc(0x01, [5, 0x61, 0x62, 2, 0x63]), error: 0x01, note: /Wi-Fi settings/ },
  { label: "an SSID over 32 bytes (the wifi.ssid rule)", packet: improvWifi("x".repeat(33), "password1"), error: 0xff, note: /wifi\.ssid/ },
  { label: "an unknown command (network scan is not supported)", packet: improvRpc(0x04), error: 0x02, note: /0x4 is not supported/ },
  { label: "a packet type the device does not take", packet: improvPacket(0x01, [0x02]), error: 0x01, note: /not an RPC/ },
];

for (const c of refused)
  test(`improv: ${c.label} gets error state 0x${c.error.toString(16)}, a note on the console, and changes nothing`, (t) => {
    const { port, config, storage, joined } = rig();
    const before = [...storage.keys()].map((k) => [k, [...storage.read(k)!]]);
    const { packets, text } = port.send(c.packet);
    const errors = packets.filter((p) => p.type === ERROR).map((p) => p.data[0]);
    t.is(errors[errors.length - 1], c.error);
    t.false(packets.some((p) => p.type === STATE || p.type === RESULT));
    t.regex(text, c.note);
    t.deepEqual([...storage.keys()].map((k) => [k, [...storage.read(k)!]]), before);
    t.deepEqual(config.unsavedKeys(), []);
    t.deepEqual(joined, []);
  });

test("improv: credentials sent while the console has unsaved edits are refused and the edits stay", (t) => {
  const { port, config } = rig();
  port.send("set node.site Hall\n");
  const { packets, text } = port.send(improvWifi("net", "password1"));
  t.deepEqual(packets.map((p) => [p.type, ...p.data]), [[ERROR, 0x00], [ERROR, 0xff]]);
  t.regex(text, /unsaved console change/);
  t.deepEqual(config.unsavedKeys(), ["node.site"]);
});

test("improv: console lines around packets still run", (t) => {
  const { port } = rig();
  const { packets, text } = port.send(Uint8Array.from([...encodeUtf8("get wifi.ss"), ...improvRpc(0x02), ...encodeUtf8("id\n")]));
  t.is(packets.length, 2);
  t.regex(text, /^wifi\.ssid = ""\r\n.*OK\r\n$/s);
});
