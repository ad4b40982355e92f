/**
 * The firmware's memory inside the XS engine (xsnap), as the ESP32's fixed
 * XS heap sees it: the whole node (`startNode`, default config) booted on the
 * test platform in virtual time (test/xs/entries/footprint-node.ts), run
 * connected, then with the broker away, measured after a full garbage
 * collection at each checkpoint. Shared by `npm run bench` and the heap
 * budget test (test/xs/heap-budget.test.ts).
 *
 * What counts as the firmware's: live slots now − live slots once the
 * bundle is loaded (on the board the modules are preloaded into flash, so
 * what loading creates costs no RAM there) − the slots of the simulated
 * flash (a `MemoryStorage` in the guest's RAM here, flash on the board:
 * measured by holding a copy of it and taking the difference, about 10
 * slots a stored value). Slots are counted the same on the 64-bit host
 * (32 bytes each) and the 32-bit ESP32 (16 bytes each).
 *
 * Importing this file hardens the process's intrinsics (test/helpers/xs.ts).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runOnXS, type XsFootprint, type XsRun } from "./xs.js";

/** Bytes per XS slot on the 32-bit ESP32 (Moddable, documentation/tools/manifest.md, "creation"). */
export const SLOT_BYTES_ESP32 = 16;
/** Bytes per XS slot on the 64-bit host that measures. */
export const SLOT_BYTES_HOST = 32;
/**
 * Slots kept free beside the firmware's worst measured state for the TLS
 * handshake of `mqtts://`: Moddable's SecureSocket documentation asks for
 * "6 KB in the slot heap" (and 10 KB of chunks, 4 KB of stack, 2 KB of
 * system heap) while a handshake runs; 6 KB / 16 B = 384 slots.
 */
export const TLS_HANDSHAKE_SLOTS = 384;
/** Chunk bytes kept free for the TLS handshake (the same documentation: "10 KB in the chunk heap"). */
export const TLS_HANDSHAKE_CHUNK_BYTES = 10 * 1024;
/** The ESP32's storage hint (hosts/esp32 nvsCapacityBytes of the 0x86000 NVS partition): 123 outbox segments. */
export const ESP32_CAPACITY_BYTES = 516_000;

/** XS creation sizes the ESP32 build fixes (manifest.json, platforms.esp32.creation); undefined when unreadable. */
export function esp32Creation(): { slots: number; chunkBytes: number; stackSlots: number; growth: boolean } | undefined {
  try {
    const manifest = JSON.parse(readFileSync(fileURLToPath(new URL("../../../manifest.json", import.meta.url)), "utf8"));
    const creation = manifest.platforms.esp32.creation;
    const slots = Number(creation.heap.initial);
    const chunkBytes = Number(creation.chunk.initial);
    if (!(slots > 0 && chunkBytes > 0)) return undefined;
    return { slots, chunkBytes, stackSlots: Number(creation.stack), growth: Number(creation.heap.incremental) > 0 || Number(creation.chunk.incremental) > 0 };
  } catch {
    return undefined;
  }
}

/** One checkpoint of the run. */
export interface FootprintPoint {
  state: string;
  /** Live slots of the whole guest (harness, bundle, test platform, firmware, simulated flash). */
  slots: number;
  /** The firmware's running cost in slots (see the file's comment). */
  firmwareSlots: number;
  /** Slots the simulated flash takes in the guest (subtracted). */
  simFlashSlots: number;
  /** The firmware's chunks (strings, buffers, array items) ≈ snapshot − 32 B × slots, beside the loaded state, simulated flash subtracted; 64-bit sizes. */
  firmwareChunkBytes: number;
  /** Bytes stored in the simulated flash. */
  simFlashBytes: number;
  /** The console's outbox line. */
  outbox: string;
}

/** What `measureFootprint` found. */
export interface Footprint {
  /** The empty harness (no bundle). */
  baseline: XsFootprint;
  /** The bundle loaded, the node not booted. */
  loaded: XsFootprint;
  points: FootprintPoint[];
  /** Largest `firmwareSlots` over the points. */
  worstSlots: number;
  /** Largest `firmwareChunkBytes` over the points. */
  worstChunkBytes: number;
  /** With `cycles`: XS meter per channel-sample while connected (whole node), and the harness's own meter for the same virtual time with no node. */
  compute?: { perSample: number; harnessPerSample: number; samples: number };
}

/** Options of `measureFootprint`. */
export interface FootprintOptions {
  /** Cumulative minutes with the broker away at which to measure (after the connected part). */
  awayMinutes: readonly number[];
  /** The storage's capacity hint (the ESP32's: ESP32_CAPACITY_BYTES). */
  capacityBytes?: number;
  /** After the outage: a power cut and a reboot on the same flash (the outbox restored full), measured 60 s later, still offline; default false. */
  powerCut?: boolean;
  /** Connected sample cycles (1 s each at the default config) at which to measure, e.g. [1000, 10000]; default none. */
  cycles?: readonly number[];
  /** Per-step bound (default 300,000 ms). */
  timeoutMs?: number;
}

const ENTRY = "test/xs/entries/footprint-node.ts";
const BASELINE = "test/xs/entries/harness-probe.ts";
/** Virtual time per command: one long command would exceed xsnap's computation meter. */
const STEP_MS = 10_000;

/** Boots the firmware on XS and measures it (see `FootprintOptions`). */
export async function measureFootprint(options: FootprintOptions): Promise<Footprint> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const probe = await runOnXS(BASELINE);
  let baseline: XsFootprint;
  try {
    baseline = await probe.footprint();
  } finally {
    await probe.close();
  }
  const harnessPerStep = await harnessCompute(timeoutMs);
  const run = await runOnXS(ENTRY, { timeoutMs });
  try {
    const advance = async (ms: number) => {
      let compute = 0;
      for (let done = 0; done < ms; done += STEP_MS) {
        await run.command("run", Math.min(STEP_MS, ms - done));
        compute += run.lastCompute ?? Number.NaN;
      }
      return compute;
    };
    const loaded = await run.footprint();
    const points: FootprintPoint[] = [];
    const point = async (state: string) => {
      const p = await measurePoint(run, state, loaded);
      points.push(p);
      return p;
    };
    await run.command("boot", options.capacityBytes);
    await advance(60_000);
    await point("booted, connected, 60 s, all acknowledged");
    let compute: Footprint["compute"];
    let elapsed = 60;
    for (const cycles of options.cycles ?? []) {
      const samplesBefore = await run.command<number>("counter", "samples");
      const ms = (cycles - elapsed) * 1000;
      const meter = await advance(ms);
      elapsed = cycles;
      const samples = (await run.command<number>("counter", "samples")) - samplesBefore;
      compute = { perSample: meter / samples, harnessPerSample: (harnessPerStep * (ms / STEP_MS)) / samples, samples };
      await point(`connected, ${cycles} sample cycles`);
    }
    await run.command("broker-away");
    let done = 0;
    for (const minutes of options.awayMinutes) {
      await advance((minutes - done) * 60_000);
      done = minutes;
      await point(`then ${minutes < 60 ? `${minutes} min` : `${minutes / 60} h`} with the broker away`);
    }
    if (options.powerCut) {
      await run.command("power-cut");
      await advance(60_000);
      await point("then a power cut: rebooted on that flash, 60 s, still offline");
    }
    return { baseline, loaded, points, worstSlots: Math.max(...points.map((p) => p.firmwareSlots)), worstChunkBytes: Math.max(...points.map((p) => p.firmwareChunkBytes)), compute };
  } finally {
    await run.close();
  }
}

/** One checkpoint: the guest with and without a held copy of its simulated flash. */
export async function measurePoint(run: XsRun, state: string, loaded: XsFootprint): Promise<FootprintPoint> {
  const now = await run.footprint();
  await run.command("flash-copy", true);
  const withCopy = await run.footprint();
  await run.command("flash-copy", false);
  const flash = await run.command<{ bytes: number }>("flash");
  const outbox = await run.command<string>("outbox");
  const chunks = (f: XsFootprint) => f.snapshotBytes - SLOT_BYTES_HOST * f.slots;
  const simFlashSlots = withCopy.slots - now.slots;
  const simFlashChunks = chunks(withCopy) - chunks(now);
  return {
    state,
    slots: now.slots,
    firmwareSlots: now.slots - loaded.slots - simFlashSlots,
    simFlashSlots,
    firmwareChunkBytes: chunks(now) - chunks(loaded) - simFlashChunks,
    simFlashBytes: flash.bytes,
    outbox: outbox.replace(/ on flash|, torn \d+|, rejected \d+/g, ""),
  };
}

/** XS meter of one "run" step of the harness with no node booted (the playing broker, timers and settling alone). */
async function harnessCompute(timeoutMs: number): Promise<number> {
  const run = await runOnXS(ENTRY, { timeoutMs, name: "footprint-harness" });
  try {
    let total = 0;
    const steps = 10;
    for (let i = 0; i < steps; i++) {
      await run.command("run", STEP_MS);
      total += run.lastCompute ?? Number.NaN;
    }
    return total / steps;
  } finally {
    await run.close();
  }
}

/** Options of `measureConnectedFootprint`. */
export interface ConnectedFootprintOptions {
  /** The compact-pack node (test/helpers/compress-node.ts: 8 channels, compress(5 %), batch_size 1000, max_interval 600 s); false: the default config. */
  compress: boolean;
  /** With `compress`: how many of its channels (1-8, default 8). */
  channels?: number;
  /** Virtual seconds connected after the first 60 s (default 1,260: two full 600-s windows and a minute). */
  seconds?: number;
  /** A checkpoint every this many virtual seconds (default 10). */
  everyS?: number;
  /** Per-step bound (default 300,000 ms). */
  timeoutMs?: number;
}

/** What `measureConnectedFootprint` found. */
export interface ConnectedFootprint {
  points: FootprintPoint[];
  /** The checkpoint with the most firmware slots, and the one with the most firmware chunk bytes. */
  worstSlots: FootprintPoint;
  worstChunks: FootprintPoint;
  /** Telemetry packs made and channel samples taken over the run. */
  packs: number;
  samples: number;
}

/**
 * Boots the firmware on XS (the test platform, virtual time, a broker that
 * acknowledges every pack) and measures it after a full garbage collection
 * every `everyS` seconds while connected: the readings that wait for a pack
 * rise and fall between the checkpoints, so the worst one is close to the
 * worst state (within `everyS` of sampling).
 */
export async function measureConnectedFootprint(options: ConnectedFootprintOptions): Promise<ConnectedFootprint> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const seconds = options.seconds ?? 1260;
  const everyS = options.everyS ?? 10;
  const run = await runOnXS(ENTRY, { timeoutMs, name: options.compress ? "footprint-compress" : "footprint-default" });
  try {
    const loaded = await run.footprint();
    await run.command("boot", { compress: options.compress, channels: options.channels });
    await run.command("run", 60_000);
    const packsBefore = await run.command<number>("counter", "tele_packs");
    const samplesBefore = await run.command<number>("counter", "samples");
    const points: FootprintPoint[] = [];
    for (let s = everyS; s <= seconds; s += everyS) {
      await run.command("run", everyS * 1000);
      points.push(await measurePoint(run, `connected, ${60 + s} s`, loaded));
    }
    const packs = (await run.command<number>("counter", "tele_packs")) - packsBefore;
    const samples = (await run.command<number>("counter", "samples")) - samplesBefore;
    const worstSlots = points.reduce((a, b) => (b.firmwareSlots > a.firmwareSlots ? b : a));
    const worstChunks = points.reduce((a, b) => (b.firmwareChunkBytes > a.firmwareChunkBytes ? b : a));
    return { points, worstSlots, worstChunks, packs, samples };
  } finally {
    await run.close();
  }
}
