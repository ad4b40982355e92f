/**
 * Reconnect storm end to end (issue 7, item 2): the real simulator against a
 * tiny MQTT server (mqtt-packet) that accepts every CONNECT and drops the
 * link right after its CONNACK, as an auth plugin or a second node with the
 * same client id does. The backoff is shortened by flag (base 100 ms, cap
 * 3.2 s) so that a few seconds show what a minute would.
 */
import test from "ava";
import * as net from "node:net";
import { once } from "node:events";
import mqttPacket from "mqtt-packet";
import { startSim } from "../helpers/sim-process.js";
import { sleep, stateDir } from "../helpers/fast-node.js";

test.serial("a broker that drops every link after CONNACK sees the backoff widen (flaps counted), not a connect every few ms", async (t) => {
  let connects = 0;
  const server = net.createServer((socket) => {
    socket.on("error", () => undefined);
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    parser.on("packet", (packet) => {
      if (packet.cmd !== "connect") return;
      connects++;
      socket.write(mqttPacket.generate({ cmd: "connack", returnCode: 0, sessionPresent: false }));
      setTimeout(() => socket.destroy(), 20);
    });
    socket.on("data", (chunk) => parser.parse(chunk));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `mqtt://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const sim = startSim(["--broker", url, "--id", "flapper", "--state", await stateDir(), "--uplink", "backoff-base-ms=100,backoff-cap-ms=3200"]);
  try {
    await sim.waitFor(/INFO mqtt: connected to/, 15_000);
    await sleep(6000);
    // Waits uniform in windows of 0.1, 0.2, 0.4 ... 3.2 s: about 8 connects in 6 s. Reset at every CONNACK it was ~100.
    t.true(connects >= 3 && connects <= 30, `${connects} connects in about 6 s`);
    const status = (await sim.command("status")).join("\n");
    const flaps = Number(/\bmqtt_flaps=(\d+)/.exec(status)?.[1]);
    t.true(flaps >= 2, status);
    t.true(Number(/\bmqtt_connects=(\d+)/.exec(status)?.[1]) - flaps <= 1, "every link but the open one was a flap");
    t.regex(sim.output, /WARN mqtt: closed: .*a flap, backoff not reset\); retry in/);
  } finally {
    sim.child.kill("SIGKILL");
    server.close();
  }
});
