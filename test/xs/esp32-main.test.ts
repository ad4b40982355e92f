import test from "ava";
import { improvRpc, parseDeviceStream } from "../helpers/improv-client.js";
import { runOnXS } from "../helpers/xs.js";

/** Moddable service → its double (test/xs/doubles), so hosts/esp32/main.ts runs in XS as it would on the board. */
const DOUBLES: Record<string, string> = {
  "mc/config": "test/xs/doubles/config.ts",
  timer: "test/xs/doubles/timer.ts",
  time: "test/xs/doubles/time.ts",
  net: "test/xs/doubles/net.ts",
  wifi: "test/xs/doubles/wifi.ts",
  sntp: "test/xs/doubles/sntp.ts",
  preference: "test/xs/doubles/preference.ts",
  modules: "test/xs/doubles/modules.ts",
  instrumentation: "test/xs/doubles/instrumentation.ts",
  "embedded:io/serial": "test/xs/doubles/serial.ts",
  "embedded:network/mqtt/client": "test/xs/doubles/mqtt-client.ts",
  "embedded:network/http/client": "test/xs/doubles/http-client.ts",
  "embedded:io/socket/tcp": "test/xs/doubles/tcp.ts",
  "embedded:io/socket/tcp/tls": "test/xs/doubles/tcp.ts",
};

const bytes = (text: string) => [...text].map((c) => c.charCodeAt(0));
const asText = (out: number[]) => String.fromCharCode(...out);

test("hosts/esp32/main.ts boots in XS on Moddable service doubles: console on UART0, Wi-Fi joined, NVS written, reset reason counted, Improv answered", async (t) => {
  const run = await runOnXS("test/xs/entries/esp32-main.ts", { replace: DOUBLES, onLog: (line) => t.log(line) });
  t.teardown(() => run.close());
  const boot = await run.command<string>("boot", {
    "fieldnode.host": "esp32", "fieldnode.network": "wifi", "fieldnode.console": "uart0", "fieldnode.board": "esp32-devkitc",
    "wifi.ssid": "Plant", "wifi.password": "password1", "mqtt.url": "mqtt://broker.plant:1883", sntp: "pool.ntp.org", "fieldnode.nvs_bytes": 548864,
  });
  t.regex(boot, /fieldnode \S+ on esp32, node \S+, boot [0-9a-f]{8} \(#1\)/, "the boot line reaches the UART");
  const state1 = await run.command<{ serial: Record<string, unknown>; wifi: { ssid: string }[]; mqtt: Record<string, unknown>[]; preferenceKeys: [string, string[]][] }>("state");
  t.deepEqual(state1.serial, { port: 0, transmit: 1, receive: 3, baud: 115200, format: "buffer" });
  t.deepEqual(state1.wifi, [{ ssid: "Plant" }], "the build's Wi-Fi credentials were joined");
  const keys = state1.preferenceKeys.flatMap(([, k]) => k);
  t.true(keys.includes("boot.n") && keys.includes("boot.rst"), `boot count and reset counts in NVS: ${keys.join(", ")}`);

  await run.command("wifi", "gotIP");
  await run.command("advance", 2_000);
  const status = asText(await run.command<number[]>("type", bytes("status\r")));
  t.regex(status, /reset reason: watchdog/, "the resetReason module's Task WDT is reported as watchdog");
  t.regex(status, /watchdog: armed, timeout 30 s, fed by the main loop \(\d+ feeds\)/, "the firmware's loop feeds the host's loop watchdog");
  t.regex(status, /up 192\.168\.1\.50/);
  t.regex(status, /OK\r\n/);

  const saved = asText(await run.command<number[]>("type", bytes("set node.site Hall-3\rsave\r")));
  t.regex(saved, /saved generation 1/);
  const state2 = await run.command<{ preferenceKeys: [string, string[]][] }>("state");
  t.true(state2.preferenceKeys.flatMap(([, k]) => k).some((k) => k.startsWith("cfg.")), "the config record is in NVS");

  const improv = parseDeviceStream(Uint8Array.from(await run.command<number[]>("type", [...improvRpc(0x03)])));
  const info = improv.packets.find((p) => p.type === 0x04);
  t.deepEqual(info?.strings?.slice(0, 1), ["fieldnode"]);
  t.is(info?.strings?.[2], "esp32");

  const pin = asText(await run.command<number[]>("type", bytes("set act.pump.type relay\rset act.pump.pin 34\rsave\r")));
  t.regex(pin, /ERR rule .*act\.pump\.pin: GPIO 34 cannot drive an output on esp32-devkitc/, "the DevKitC map is checked at save");
  const bus = asText(await run.command<number[]>("type", bytes("set act.pump.pin 21\rset ch.door.type digital\rset ch.door.pin 4\r")));
  t.regex(bus, /ERR rule act\.pump\.pin: GPIO 21 is the I2C bus's SDA on esp32-devkitc\r\n/, "a relay on the I2C bus is refused at set");
  t.regex(bus, /ERR rule ch\.door\.pin: GPIO 4 is the RS-485 transceiver's DE on esp32-devkitc\r\n/, "a contact on the RS-485 DE pin is refused at set");
});

test("hosts/esp32 in XS: a firmware loop that does not turn for 30 s makes the loop watchdog restart the board, and the next boot reports reset reason watchdog", async (t) => {
  const run = await runOnXS("test/xs/entries/esp32-main.ts", { replace: DOUBLES, onLog: (line) => t.log(line) });
  t.teardown(() => run.close());
  await run.command<string>("boot", { "fieldnode.host": "esp32", "fieldnode.network": "host", "fieldnode.console": "uart0", "fieldnode.board": "esp32-devkitc" });
  await run.command("advance", 30_000);
  // 15 s blocked is the ESP-IDF task watchdog's to catch (its 10 s; not modelled by the doubles), not the loop watchdog's 30 s.
  const short = await run.command<{ restarts: number; out: string }>("stall", 15_000);
  t.is(short.restarts, 0, "15 s blocked is within the loop watchdog's timeout");
  const long = await run.command<{ restarts: number; out: string }>("stall", 35_000);
  t.is(long.restarts, 1, "System.restart() was called");
  t.regex(long.out, /watchdog: the main loop was not fed for 3[5-9]\d{3} ms \(timeout 30000 ms\): restarting/);
  const state = await run.command<{ preferenceKeys: [string, string[]][] }>("state");
  t.deepEqual(state.preferenceKeys.find(([domain]) => domain === "fnwdt"), ["fnwdt", ["trip"]], "the mark is in NVS for the next boot");
  // ESP-IDF reports the restart as Software; the mark makes it watchdog, once.
  const boot = await run.command<string>("reboot", "Software");
  t.regex(boot, /\(#2\)/);
  const status = asText(await run.command<number[]>("type", bytes("status\r")));
  t.regex(status, /reset reason: watchdog/);
  const after = await run.command<{ preferenceKeys: [string, string[]][] }>("state");
  t.deepEqual(after.preferenceKeys.find(([domain]) => domain === "fnwdt")?.[1], [], "the mark is taken");
  await run.command<string>("reboot", "Software");
  t.regex(asText(await run.command<number[]>("type", bytes("status\r"))), /reset reason: software/, "a later software restart is software again");
});
