import { firmwareRun } from "/work/wt/packs2/dist/test/bench/wire-bytes.js";
import { loadSkab } from "/work/wt/packs2/dist/test/bench/skab.js";
import { decodeTelemetryPack } from "/work/wt/packs2/dist/modules/telemetry/telemetry-pack.js";
const s = loadSkab("/work/shared/data/skab/anomaly-free.csv");
const run = firmwareRun(s.readings, { batchSize: 1000, maxAgeMs: 600000 });
for (const p of run.packs.slice(0, 25)) { const d = decodeTelemetryPack(p); const c = {}; for (const r of d.readings) c[r.n]=(c[r.n]||0)+1; console.log(p.byteLength, Math.round(d.bt-1767225600), JSON.stringify(c)); }
