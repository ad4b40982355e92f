import test from "ava";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checkBoardPins } from "../../modules/boards/board-pins.js";
import { BOARDS, boardByName } from "../../modules/boards/boards.js";
import { ESP32_DEVKITC } from "../../modules/boards/esp32-devkitc.js";
import { ESP32S3_DEVKITC } from "../../modules/boards/esp32s3-devkitc.js";
import { ConfigService } from "../../modules/config/config-service.js";
import type { RawConfig } from "../../modules/config/schema.js";
import { MemoryStorage } from "../helpers/memory-storage.js";

const raw = (entries: Record<string, string | number>): RawConfig => new Map(Object.entries(entries));

const cases: { label: string; board: typeof ESP32_DEVKITC; config: Record<string, string | number>; problems: RegExp[] }[] = [
  { label: "analog on an ADC1 pin", board: ESP32_DEVKITC, config: { "ch.t.type": "analog", "ch.t.pin": 34 }, problems: [] },
  { label: "analog on an ADC2 pin (Wi-Fi owns it)", board: ESP32_DEVKITC, config: { "ch.t.type": "analog", "ch.t.pin": 25 }, problems: [/^ch\.t\.pin: GPIO 25 has no ADC usable with Wi-Fi on esp32-devkitc; analog pins: 32, 33, 34, 35, 36, 39$/] },
  { label: "a relay on an input-only pin", board: ESP32_DEVKITC, config: { "act.pump.type": "relay", "act.pump.pin": 35 }, problems: [/^act\.pump\.pin: GPIO 35 cannot drive an output on esp32-devkitc/] },
  { label: "a pwm actuator on a flash pin", board: ESP32_DEVKITC, config: { "act.fan.type": "pwm", "act.fan.pin": 6 }, problems: [/^act\.fan\.pin: GPIO 6 is the module's SPI flash on esp32-devkitc$/] },
  { label: "a contact on the console RX pin", board: ESP32_DEVKITC, config: { "ch.door.type": "digital", "ch.door.pin": 3 }, problems: [/^ch\.door\.pin: GPIO 3 is the console UART0 RX on esp32-devkitc$/] },
  { label: "a contact on an input-only pin is fine", board: ESP32_DEVKITC, config: { "ch.door.type": "digital", "ch.door.pin": 39 }, problems: [] },
  { label: "a thermocouple's chip select on an input-only pin", board: ESP32_DEVKITC, config: { "ch.tc.type": "max31855", "ch.tc.select": 36, "ch.tc.sck": 18, "ch.tc.miso": 19 }, problems: [/^ch\.tc\.select: GPIO 36 cannot drive an output/] },
  { label: "a relay and pwm on ordinary pins", board: ESP32_DEVKITC, config: { "act.pump.type": "relay", "act.pump.pin": 26, "act.fan.type": "pwm", "act.fan.pin": 27 }, problems: [] },
  { label: "S3: the DevKitC's analog pin 34 is PSRAM there", board: ESP32S3_DEVKITC, config: { "ch.t.type": "analog", "ch.t.pin": 34 }, problems: [/^ch\.t\.pin: GPIO 34 is the module's octal PSRAM on esp32s3-devkitc$/] },
  { label: "S3: analog on ADC1 GPIO 4", board: ESP32S3_DEVKITC, config: { "ch.t.type": "analog", "ch.t.pin": 4 }, problems: [] },
  { label: "S3: analog on ADC2 GPIO 15", board: ESP32S3_DEVKITC, config: { "ch.t.type": "analog", "ch.t.pin": 15 }, problems: [/^ch\.t\.pin: GPIO 15 has no ADC usable with Wi-Fi on esp32s3-devkitc/] },
  { label: "S3: a relay on a USB pin", board: ESP32S3_DEVKITC, config: { "act.pump.type": "relay", "act.pump.pin": 20 }, problems: [/^act\.pump\.pin: GPIO 20 is USB D\+ on esp32s3-devkitc$/] },
  { label: "S3: a GPIO that does not exist", board: ESP32S3_DEVKITC, config: { "ch.door.type": "digital", "ch.door.pin": 23 }, problems: [/^ch\.door\.pin: GPIO 23 is not a usable input on esp32s3-devkitc/] },
  { label: "non-pin numbers are not pins", board: ESP32_DEVKITC, config: { "ch.t.type": "sht3x", "ch.t.address": 0x44, "mqtt.keepalive": 6 }, problems: [] },
];

for (const c of cases)
  test(`board pins: ${c.label}`, (t) => {
    const problems: string[] = [];
    checkBoardPins(raw(c.config), c.board, problems);
    t.is(problems.length, c.problems.length, problems.join("; "));
    c.problems.forEach((pattern, i) => t.regex(problems[i] ?? "", pattern));
  });

test("every board's map is consistent: reserved pins used nowhere, analog pins read, buses and RS-485 on usable pins, names unique", (t) => {
  t.is(new Set(BOARDS.map((b) => b.name)).size, BOARDS.length);
  for (const board of BOARDS) {
    t.is(boardByName(board.name), board);
    const reserved = Object.keys(board.reserved).map(Number);
    for (const list of [board.analog, board.inputs, board.outputs, board.pwm]) t.deepEqual(list.filter((p) => reserved.includes(p)), [], board.name);
    t.deepEqual(board.analog.filter((p) => !board.inputs.includes(p)), [], `${board.name}: analog pins read`);
    t.deepEqual(board.outputs.filter((p) => !board.inputs.includes(p)), [], `${board.name}: outputs read back`);
    for (const pin of [board.i2c.sda, board.i2c.scl, board.spi.sck, board.spi.mosi, board.rs485.tx, board.rs485.de]) t.true(board.outputs.includes(pin), `${board.name}: GPIO ${pin} drives`);
    for (const pin of [board.spi.miso, board.rs485.rx]) t.true(board.inputs.includes(pin), `${board.name}: GPIO ${pin} reads`);
  }
  t.is(boardByName("nope"), undefined);
});

test("the manifest selects a board per (sub)platform, and each one it names exists", (t) => {
  const manifest = JSON.parse(readFileSync(fileURLToPath(new URL("../../../manifest.json", import.meta.url)), "utf8"));
  const named = Object.entries(manifest.platforms as Record<string, { config?: Record<string, unknown> }>)
    .filter(([, entry]) => entry.config?.["fieldnode.board"] !== undefined)
    .map(([platform, entry]) => [platform, String(entry.config!["fieldnode.board"])]);
  t.deepEqual(Object.fromEntries(named), { esp32: "esp32-devkitc", "esp32/esp32s3": "esp32s3-devkitc" });
  for (const [, name] of named) t.truthy(boardByName(name), name);
  // mcconfig takes the most specific platform entry alone: the S3 entry must repeat the esp32 one but for the board.
  const s3 = structuredClone(manifest.platforms["esp32/esp32s3"]);
  s3.config["fieldnode.board"] = "esp32-devkitc";
  t.deepEqual(s3, manifest.platforms.esp32, "esp32/esp32s3 repeats the esp32 entry except fieldnode.board");
});

test("save checks the board's map: a refused pin names the key, and nothing is written", (t) => {
  const storage = new MemoryStorage();
  const config = new ConfigService(storage, "node-1");
  config.saveRules = (r, problems) => checkBoardPins(r, ESP32_DEVKITC, problems);
  config.set("act.pump.type", "relay");
  config.set("act.pump.pin", "34");
  const before = storage.keys().length;
  t.throws(() => config.save(), { message: /act\.pump\.pin: GPIO 34 cannot drive an output on esp32-devkitc/ });
  t.is(storage.keys().length, before);
  config.set("act.pump.pin", "26");
  t.notThrows(() => config.save());
});
