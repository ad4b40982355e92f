import test from "ava";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checkBoardPins, pinKeyProblem } from "../../modules/boards/board-pins.js";
import type { BoardDefinition } from "../../modules/boards/board-definition.js";
import { configCommands } from "../../modules/console/commands/config.js";
import { Console } from "../../modules/console/console.js";
import { ConfigRuleError } from "../../modules/config/validate.js";
import { Counters } from "../../modules/counters.js";
import { CapturePort } from "../helpers/memory-platform.js";
import { randomInt, seededRandom } from "../helpers/seeded-random.js";
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
  // The board's buses own their pins.
  { label: "a relay on the I2C SDA pin", board: ESP32_DEVKITC, config: { "act.pump.type": "relay", "act.pump.pin": 21 }, problems: [/^act\.pump\.pin: GPIO 21 is the I2C bus's SDA on esp32-devkitc$/] },
  { label: "a pwm on the I2C SCL pin", board: ESP32_DEVKITC, config: { "act.fan.type": "pwm", "act.fan.pin": 22 }, problems: [/^act\.fan\.pin: GPIO 22 is the I2C bus's SCL on esp32-devkitc$/] },
  { label: "a digital input on the RS-485 DE pin", board: ESP32_DEVKITC, config: { "ch.door.type": "digital", "ch.door.pin": 4 }, problems: [/^ch\.door\.pin: GPIO 4 is the RS-485 transceiver's DE on esp32-devkitc$/] },
  { label: "a pulse input on the RS-485 RX pin", board: ESP32_DEVKITC, config: { "ch.water.type": "pulse", "ch.water.pin": 16 }, problems: [/^ch\.water\.pin: GPIO 16 is the RS-485 UART2's RX on esp32-devkitc$/] },
  { label: "a relay on the RS-485 TX pin", board: ESP32_DEVKITC, config: { "act.pump.type": "relay", "act.pump.pin": 17 }, problems: [/^act\.pump\.pin: GPIO 17 is the RS-485 UART2's TX on esp32-devkitc$/] },
  { label: "a relay on the SPI MOSI pin", board: ESP32_DEVKITC, config: { "act.pump.type": "relay", "act.pump.pin": 23 }, problems: [/^act\.pump\.pin: GPIO 23 is the SPI bus's MOSI on esp32-devkitc$/] },
  { label: "a thermocouple on the SPI bus's own SCK and MISO is fine", board: ESP32_DEVKITC, config: { "ch.tc.type": "max31855", "ch.tc.select": 5, "ch.tc.sck": 18, "ch.tc.miso": 19 }, problems: [] },
  { label: "a thermocouple's chip select on the SPI SCK pin", board: ESP32_DEVKITC, config: { "ch.tc.type": "max31855", "ch.tc.select": 18, "ch.tc.sck": 18, "ch.tc.miso": 19 }, problems: [/^ch\.tc\.select: GPIO 18 is the SPI bus's SCK on esp32-devkitc$/] },
  { label: "a thermocouple's SCK on the I2C bus", board: ESP32_DEVKITC, config: { "ch.tc.type": "max31855", "ch.tc.select": 5, "ch.tc.sck": 21, "ch.tc.miso": 19 }, problems: [/^ch\.tc\.sck: GPIO 21 is the I2C bus's SDA on esp32-devkitc$/] },
  // Feedback inputs are pins too.
  { label: "a feedback contact on a flash pin", board: ESP32_DEVKITC, config: { "act.pump.type": "relay", "act.pump.pin": 26, "act.pump.feedback_pin": 9 }, problems: [/^act\.pump\.feedback_pin: GPIO 9 is the module's SPI flash on esp32-devkitc$/] },
  { label: "a feedback contact on an input-only pin is fine", board: ESP32_DEVKITC, config: { "act.pump.type": "relay", "act.pump.pin": 26, "act.pump.feedback_pin": 39 }, problems: [] },
  { label: "a feedback contact on the RS-485 DE pin", board: ESP32_DEVKITC, config: { "act.pump.type": "relay", "act.pump.pin": 26, "act.pump.feedback_pin": 4 }, problems: [/^act\.pump\.feedback_pin: GPIO 4 is the RS-485 transceiver's DE/] },
  // Strapping pins that can stop the boot.
  { label: "a relay on strapping GPIO 12 (flash voltage)", board: ESP32_DEVKITC, config: { "act.pump.type": "relay", "act.pump.pin": 12 }, problems: [/^act\.pump\.pin: GPIO 12 is a strapping pin \(MTDI: high at reset selects 1\.8 V flash/] },
  { label: "a contact on strapping GPIO 0 (boot mode)", board: ESP32_DEVKITC, config: { "ch.door.type": "digital", "ch.door.pin": 0 }, problems: [/^ch\.door\.pin: GPIO 0 is a strapping pin \(low at reset starts the serial bootloader/] },
  { label: "every flash pin 6-11 refused for a relay", board: ESP32_DEVKITC, config: { "act.a.type": "relay", "act.a.pin": 6, "act.b.type": "relay", "act.b.pin": 7, "act.c.type": "relay", "act.c.pin": 8, "act.d.type": "relay", "act.d.pin": 9, "act.e.type": "relay", "act.e.pin": 10, "act.f.type": "relay", "act.f.pin": 11 }, problems: [/^act\.a\.pin: GPIO 6 is the module's SPI flash/, /^act\.b\.pin: GPIO 7 /, /^act\.c\.pin: GPIO 8 /, /^act\.d\.pin: GPIO 9 /, /^act\.e\.pin: GPIO 10 /, /^act\.f\.pin: GPIO 11 /] },
  { label: "input-only GPIO 34-39 refused for a pwm output", board: ESP32_DEVKITC, config: { "act.fan.type": "pwm", "act.fan.pin": 39 }, problems: [/^act\.fan\.pin: GPIO 39 has no PWM output on esp32-devkitc/] },
  // The S3's map differs: its buses and strapping pins are elsewhere.
  { label: "S3: a relay on its I2C SDA (GPIO 8), fine on the DevKitC", board: ESP32S3_DEVKITC, config: { "act.pump.type": "relay", "act.pump.pin": 8 }, problems: [/^act\.pump\.pin: GPIO 8 is the I2C bus's SDA on esp32s3-devkitc$/] },
  { label: "S3: a contact on its RS-485 DE (GPIO 21)", board: ESP32S3_DEVKITC, config: { "ch.door.type": "digital", "ch.door.pin": 21 }, problems: [/^ch\.door\.pin: GPIO 21 is the RS-485 transceiver's DE on esp32s3-devkitc$/] },
  { label: "S3: the DevKitC's I2C SDA 21 is its DE, its RS-485 RX 16 is free", board: ESP32S3_DEVKITC, config: { "act.pump.type": "relay", "act.pump.pin": 16 }, problems: [] },
  { label: "S3: a relay on strapping GPIO 45", board: ESP32S3_DEVKITC, config: { "act.pump.type": "relay", "act.pump.pin": 45 }, problems: [/^act\.pump\.pin: GPIO 45 is a strapping pin \(VDD_SPI/] },
  { label: "S3: a pwm on GPIO 39 is fine (no input-only pins)", board: ESP32S3_DEVKITC, config: { "act.fan.type": "pwm", "act.fan.pin": 39 }, problems: [] },
  { label: "S3: a relay on its flash (GPIO 30)", board: ESP32S3_DEVKITC, config: { "act.pump.type": "relay", "act.pump.pin": 30 }, problems: [/^act\.pump\.pin: GPIO 30 is the module's SPI flash on esp32s3-devkitc$/] },
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

/** A ConfigService with `board`'s rules wired as startNode wires them. */
function boardConfig(board: BoardDefinition) {
  const storage = new MemoryStorage();
  const config = new ConfigService(storage, "node-1");
  config.saveRules = (r, problems) => checkBoardPins(r, board, problems);
  config.setRule = (key, r) => pinKeyProblem(key, r, board);
  return { storage, config };
}

/** `set` refusals: [board, commands staged first, the refused set, its message]. */
const setCases: [BoardDefinition, [string, string][], [string, string], RegExp][] = [
  [ESP32_DEVKITC, [["act.pump.type", "relay"]], ["act.pump.pin", "21"], /^act\.pump\.pin: GPIO 21 is the I2C bus's SDA on esp32-devkitc$/],
  [ESP32_DEVKITC, [["ch.door.type", "digital"]], ["ch.door.pin", "4"], /^ch\.door\.pin: GPIO 4 is the RS-485 transceiver's DE on esp32-devkitc$/],
  [ESP32_DEVKITC, [["act.pump.type", "relay"], ["act.pump.pin", "26"], ["act.fan.type", "pwm"]], ["act.fan.pin", "26"], /^act\.fan\.pin: GPIO 26 is already act\.pump\.pin's$/],
  [ESP32_DEVKITC, [["act.pump.type", "relay"], ["act.pump.pin", "26"]], ["act.pump.feedback_pin", "26"], /^act\.pump\.feedback_pin: GPIO 26 is already act\.pump\.pin's$/],
  [ESP32_DEVKITC, [["ch.t.type", "analog"]], ["ch.t.pin", "25"], /^ch\.t\.pin: GPIO 25 has no ADC usable with Wi-Fi on esp32-devkitc/],
  [ESP32_DEVKITC, [["act.pump.type", "relay"]], ["act.pump.pin", "36"], /^act\.pump\.pin: GPIO 36 cannot drive an output on esp32-devkitc/],
  [ESP32_DEVKITC, [["act.pump.type", "relay"]], ["act.pump.pin", "11"], /^act\.pump\.pin: GPIO 11 is the module's SPI flash on esp32-devkitc$/],
  [ESP32_DEVKITC, [["act.pump.type", "relay"]], ["act.pump.pin", "12"], /^act\.pump\.pin: GPIO 12 is a strapping pin/],
  [ESP32_DEVKITC, [["ch.tc.type", "max31855"], ["act.pump.type", "relay"]], ["act.pump.pin", "5"], /^act\.pump\.pin: GPIO 5 is already ch\.tc\.select's$/],
  [ESP32S3_DEVKITC, [["act.pump.type", "relay"]], ["act.pump.pin", "9"], /^act\.pump\.pin: GPIO 9 is the I2C bus's SCL on esp32s3-devkitc$/],
  [ESP32S3_DEVKITC, [["ch.t.type", "analog"]], ["ch.t.pin", "34"], /^ch\.t\.pin: GPIO 34 is the module's octal PSRAM on esp32s3-devkitc$/],
  [ESP32S3_DEVKITC, [["ch.door.type", "digital"]], ["ch.door.pin", "18"], /^ch\.door\.pin: GPIO 18 is the RS-485 UART1's RX on esp32s3-devkitc$/],
];

for (const [board, before, [key, value], message] of setCases)
  test(`set refuses ${key} ${value} on ${board.name} (${message.source.slice(1, 60)}), nothing staged`, (t) => {
    const { config } = boardConfig(board);
    for (const [k, v] of before) config.set(k, v);
    const pending = config.exportLine(true);
    const unsaved = config.unsavedKeys();
    const error = t.throws(() => config.set(key, value), { instanceOf: ConfigRuleError });
    t.regex(error.message, message);
    t.is(error.code, "rule");
    t.is(config.exportLine(true), pending, "the pending config is unchanged");
    t.deepEqual(config.unsavedKeys(), unsaved);
  });

test("the console answers a refused set with ERR rule naming the key; save checks what set did not stage itself (a type's default pin)", (t) => {
  const { config, storage } = boardConfig(ESP32S3_DEVKITC);
  const port = new CapturePort();
  const console = new Console(port, new Counters());
  for (const command of configCommands(config)) console.register(command);
  console.start();
  port.type("set act.pump.type relay\rset act.pump.pin 8\r");
  t.regex(port.take(), /ERR rule act\.pump\.pin: GPIO 8 is the I2C bus's SDA on esp32s3-devkitc\r\n$/);
  t.regex(config.exportLine(false), /act\.pump\.type=relay/);
  t.notRegex(config.exportLine(false), /act\.pump\.pin/, "the refused pin was not staged");
  // The analog type's default pin (34, the DevKitC's ADC) is the S3's PSRAM: staged with the type, refused at save.
  port.type("set act.pump.pin 38\rset ch.t.type analog\r");
  t.regex(port.take(), /OK\r\n$/);
  const written = storage.keys().length;
  port.type("save\r");
  t.regex(port.take(), /^ERR rule .*ch\.t\.pin: GPIO 34 is the module's octal PSRAM on esp32s3-devkitc/);
  t.is(storage.keys().length, written, "nothing written");
  port.type("set ch.t.pin 4\rsave\r");
  t.regex(port.take(), /saved generation 1/);
});

/**
 * An independent model of both boards from their datasheets (not
 * modules/boards): which GPIOs exist, which may not be used at all, the
 * input-only ones, ADC1, and the buses' pins.
 */
const MODEL: Record<string, { exists: (p: number) => boolean; forbidden: number[]; inputOnly: number[]; adc1: number[]; buses: Record<number, string> }> = {
  "esp32-devkitc": {
    exists: (p) => (p >= 0 && p <= 5) || (p >= 12 && p <= 19) || [21, 22, 23, 25, 26, 27, 32, 33, 34, 35, 36, 39].includes(p),
    forbidden: [0, 1, 3, 6, 7, 8, 9, 10, 11, 12],
    inputOnly: [34, 35, 36, 37, 38, 39],
    adc1: [32, 33, 34, 35, 36, 37, 38, 39],
    buses: { 21: "i2c", 22: "i2c", 18: "spi.sck", 19: "spi.miso", 23: "spi.mosi", 17: "uart", 16: "uart", 4: "de" },
  },
  "esp32s3-devkitc": {
    exists: (p) => (p >= 0 && p <= 21) || (p >= 26 && p <= 48),
    forbidden: [0, 19, 20, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 43, 44, 45],
    inputOnly: [],
    adc1: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    buses: { 8: "i2c", 9: "i2c", 12: "spi.sck", 13: "spi.miso", 11: "spi.mosi", 17: "uart", 18: "uart", 21: "de" },
  },
};

type Need = "adc" | "in" | "out" | "spi.sck" | "spi.miso";
interface Assigned { key: string; pin: number; need: Need; share?: string }

/** True when the model lets `a` stand on its own (board only). */
function modelAllows(board: string, a: Assigned): boolean {
  const m = MODEL[board];
  if (!m.exists(a.pin) || m.forbidden.includes(a.pin)) return false;
  const bus = m.buses[a.pin];
  if (bus !== undefined && bus !== a.need) return false;
  if (a.need === "adc") return m.adc1.includes(a.pin);
  if (a.need === "out" || a.need === "spi.sck") return !m.inputOnly.includes(a.pin);
  return true;
}

/** True when `a` and `b` may not share their GPIO. */
const clash = (a: Assigned, b: Assigned) => a.pin === b.pin && (a.share === undefined || a.share !== b.share);

/** A random node: 1-3 channels of the pin types, 0-2 actuators (some with a feedback contact), pins 0..48. */
function randomNode(random: () => number, spi: { sck: number; miso: number }): { commands: [string, string][]; assigned: Assigned[] } {
  const pin = () => String(random() < 0.2 ? randomInt(random, 49) : [2, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 18, 19, 21, 25, 26, 27, 32, 33, 34, 39, 40, 41, 42][randomInt(random, 26)]);
  const commands: [string, string][] = [];
  const assigned: Assigned[] = [];
  for (let i = 0; i < 1 + randomInt(random, 3); i++) {
    const type = ["digital", "pulse", "analog", "max31855"][randomInt(random, 4)];
    commands.push([`ch.c${i}.type`, type]);
    if (type === "max31855") {
      const [select, sck, miso] = [pin(), random() < 0.5 ? String(spi.sck) : pin(), random() < 0.5 ? String(spi.miso) : pin()];
      commands.push([`ch.c${i}.select`, select], [`ch.c${i}.sck`, sck], [`ch.c${i}.miso`, miso]);
      assigned.push({ key: `ch.c${i}.select`, pin: Number(select), need: "out", share: `max31855@${select}` },
        { key: `ch.c${i}.sck`, pin: Number(sck), need: "spi.sck", share: "spi.sck" }, { key: `ch.c${i}.miso`, pin: Number(miso), need: "spi.miso", share: "spi.miso" });
    } else {
      const p = pin();
      commands.push([`ch.c${i}.pin`, p]);
      assigned.push({ key: `ch.c${i}.pin`, pin: Number(p), need: type === "analog" ? "adc" : "in", share: `${type}@${p}` });
    }
  }
  for (let i = 0; i < randomInt(random, 3); i++) {
    const p = pin();
    commands.push([`act.a${i}.type`, random() < 0.5 ? "relay" : "pwm"], [`act.a${i}.pin`, p]);
    assigned.push({ key: `act.a${i}.pin`, pin: Number(p), need: "out" });
    if (random() < 0.4) {
      const f = pin();
      commands.push([`act.a${i}.feedback_pin`, f]);
      assigned.push({ key: `act.a${i}.feedback_pin`, pin: Number(f), need: "in" });
    }
  }
  return { commands, assigned };
}

const PIN_KEY = /\b(?:ch|act)\.[a-z0-9_]+\.(?:pin|select|sck|miso|feedback_pin)\b/g;

test("seeded random pin assignments: save refuses exactly the keys the independent model refuses, on both boards, and writes nothing then", (t) => {
  const random = seededRandom(1101);
  let refused = 0;
  let saved = 0;
  for (let run = 0; run < 400; run++) {
    const board = BOARDS[run % BOARDS.length];
    const { commands, assigned } = randomNode(random, board.spi);
    const storage = new MemoryStorage();
    const config = new ConfigService(storage, "node-1");
    config.saveRules = (r, problems) => checkBoardPins(r, board, problems);
    for (const [k, v] of commands) config.set(k, v);
    const expected = new Set<string>();
    for (const a of assigned) {
      if (!modelAllows(board.name, a)) expected.add(a.key);
      for (const b of assigned) if (b !== a && clash(a, b)) expected.add(a.key);
    }
    const before = storage.keys().length;
    let named = new Set<string>();
    try {
      config.save();
      saved++;
    } catch (error) {
      t.true(error instanceof ConfigRuleError, String(error));
      named = new Set((error as Error).message.match(PIN_KEY) ?? []);
      t.is(storage.keys().length, before, "a refused save writes nothing");
      if (named.size > 0) refused++;
    }
    t.deepEqual([...named].sort(), [...expected].sort(), `run ${run} on ${board.name}: ${commands.map(([k, v]) => `${k}=${v}`).join(" ")}`);
  }
  t.true(refused > 100 && saved > 30, `${refused} refused, ${saved} saved: both outcomes exercised`);
});

test("seeded random pin assignments: set refuses a pin exactly when the model refuses it on the board or it clashes with one already staged", (t) => {
  const random = seededRandom(1102);
  let refusedSets = 0;
  for (let run = 0; run < 400; run++) {
    const board = BOARDS[run % BOARDS.length];
    const { commands, assigned } = randomNode(random, board.spi);
    const { config } = boardConfig(board);
    const staged: Assigned[] = [];
    for (const [k, v] of commands) {
      const a = assigned.find((x) => x.key === k);
      if (k.endsWith(".type")) {
        config.set(k, v);
        // A new MAX31855's default pins (select 5, SPI 18/19) are staged with it.
        const name = k.split(".")[1];
        const defaults: Record<string, number> = { digital: 27, pulse: 14, analog: 34 };
        if (v in defaults) staged.push({ key: `ch.${name}.pin`, pin: defaults[v], need: v === "analog" ? "adc" : "in", share: `${v}@${defaults[v]}` });
        if (v === "max31855") staged.push({ key: `ch.${name}.select`, pin: 5, need: "out", share: "max31855@5" }, { key: `ch.${name}.sck`, pin: 18, need: "spi.sck", share: "spi.sck" }, { key: `ch.${name}.miso`, pin: 19, need: "spi.miso", share: "spi.miso" });
        continue;
      }
      const others = staged.filter((s) => s.key !== a!.key);
      const expectRefused = !modelAllows(board.name, a!) || others.some((s) => clash(a!, s));
      let refusedNow = false;
      try {
        config.set(k, v);
      } catch (error) {
        t.true(error instanceof ConfigRuleError, String(error));
        t.true((error as Error).message.startsWith(`${k}: `), (error as Error).message);
        refusedNow = true;
        refusedSets++;
      }
      t.is(refusedNow, expectRefused, `run ${run} on ${board.name}: set ${k} ${v} after ${staged.map((s) => `${s.key}=${s.pin}`).join(" ")}`);
      if (!refusedNow) {
        const index = staged.findIndex((s) => s.key === k);
        if (index >= 0) staged.splice(index, 1);
        staged.push(a!);
      }
    }
  }
  t.true(refusedSets > 100, `${refusedSets} sets refused`);
});
