/**
 * Quality from the driver to the wire: a chip that stops answering becomes
 * bad readings without a number in the telemetry (`_q.<channel>` records), a
 * `quality` event on `.../evt`, a status line; it recovers by itself. The
 * birth says `sim: true` on simulated chips.
 */
import test from "ava";
import { Decoder } from "cbor-x/decode";
import { startNode } from "../../modules/node.js";
import type { MqttEvents } from "../../modules/platform.js";
import { decodeSenmlPack, type SenmlRecord } from "../../modules/telemetry/senml.js";
import { decodeTelemetryPack, type DecodedPack } from "../../modules/telemetry/telemetry-pack.js";
import { memoryPlatform } from "../helpers/memory-platform.js";

const decoder = new Decoder({ useRecords: false, mapsAsObjects: true } as ConstructorParameters<typeof Decoder>[0]);

function rig() {
  const mp = memoryPlatform();
  const publishes: { topic: string; payload: Uint8Array }[] = [];
  (mp.platform as { mqtt: unknown }).mqtt = {
    connect(_options: unknown, events: MqttEvents) {
      void Promise.resolve().then(() => events.onConnect(false));
      let id = 0;
      return {
        publish(topic: string, payload: Uint8Array) {
          publishes.push({ topic, payload });
          const packetId = ++id;
          void Promise.resolve().then(() => events.onPuback(packetId));
          return packetId;
        },
        subscribe() {},
        disconnect: () => events.onClose({ stage: "closed", message: "disconnected by the client" }),
        destroy: () => events.onClose({ stage: "closed", message: "destroyed" }),
      };
    },
  };
  const node = startNode(mp.platform, { overrides: { "node.id": "q1", "telemetry.batch_size": "2", "telemetry.max_interval": "3600" } });
  const seconds = async (n: number) => {
    for (let s = 0; s < n; s++) {
      mp.advance(1000);
      await new Promise((r) => setImmediate(r));
    }
  };
  const on = (suffix: string) => publishes.filter((p) => p.topic.endsWith(suffix));
  return { mp, node, publishes, seconds, on };
}

test("an absent chip: bad readings carry no number on the wire, one quality event each way, and it recovers by itself", async (t) => {
  const { mp, node, seconds, on } = rig();
  await seconds(2);
  mp.board.sht3x.faults.absent = true;
  await seconds(3);
  mp.board.sht3x.faults.absent = false;
  await seconds(10);
  await node.stop();

  const packs = on("/tele").map((p) => decodeTelemetryPack(p.payload) as DecodedPack);
  const temp = packs.flatMap((p) => p.readings).filter((r) => r.n === "temp");
  const bad = temp.filter((r) => r.q !== undefined);
  t.true(bad.length >= 3);
  t.true(bad.every((r) => r.q === "bad:nack" && r.v === undefined), JSON.stringify(bad));
  t.is(typeof temp.at(-1)?.v, "number", "good again after the chip came back");

  // A plain RFC 8428 reader: every record is a map with known labels; the bad one is a string-valued `_q.temp`.
  const plain = on("/tele").flatMap((p) => decodeSenmlPack(p.payload) as SenmlRecord[]);
  t.true(plain.some((r) => r.n === "_q.temp" && r.vs === "bad:nack" && r.v === undefined));
  t.false(plain.some((r) => r.n === "temp" && r.v === undefined), "no value-less channel record");

  const events = on("/evt").map((p) => decoder.decode(p.payload) as { kind: string; detail: string });
  const quality = events.filter((e) => e.kind === "quality").map((e) => e.detail);
  t.deepEqual(quality.filter((d) => d.startsWith("temp:")), ["temp: good -> bad:nack (i2c: NACK)", "temp: bad -> good"]);
});

test("status shows a bad channel's quality and reason", async (t) => {
  const { mp, node, seconds } = rig();
  await seconds(1);
  mp.board.sht3x.faults.absent = true;
  await seconds(2);
  mp.port.take();
  mp.port.type("status\n");
  const out = mp.port.take();
  t.regex(out, /channels: .*temp=- Cel bad:nack \(\d+ faults\)/);
  await node.stop();
});

test("the birth says sim: true when the IO is simulated chips", async (t) => {
  const { node, seconds, on } = rig();
  await seconds(1);
  await node.stop();
  const birth = decoder.decode(on("/birth")[0].payload) as Record<string, unknown>;
  t.is(birth.sim, true);
  t.is(birth.host, "test");
  // acc and res come from the SHT3x descriptor: ±0.3 °C / ±3 %RH, one step of the 16-bit word.
  t.deepEqual((birth.channels as { n: string; acc?: number; res?: number }[]).map((c) => [c.n, c.acc, c.res]), [["rh", 3, 0.00152590], ["temp", 0.3, 0.00267033]]);
});
