import { firmwareRun, publishBytes, TELE_TOPIC } from "/work/wt/packs2/dist/test/bench/wire-bytes.js";
import { loadSkab } from "/work/wt/packs2/dist/test/bench/skab.js";
import { Decoder } from "/work/wt/packs2/node_modules/cbor-x/index.js";
const s = loadSkab("/work/shared/data/skab/anomaly-free.csv");
const run = firmwareRun(s.readings, { batchSize: 1000, maxAgeMs: 600000 });
const sizes = run.packs.map(p => p.byteLength);
console.log("packs", run.packs.length, "avg", sizes.reduce((a,b)=>a+b)/sizes.length, "min", Math.min(...sizes), "max", Math.max(...sizes));
const wire = run.packs.reduce((a,p)=>a+publishBytes(TELE_TOPIC,p,1,1),0);
console.log("wire", wire, "payload", sizes.reduce((a,b)=>a+b), "records", run.points.length);
const d = new Decoder({ mapsAsObjects: false, useRecords: false });
// histogram of record sizes: re-encode each record? estimate via field types
const hist = {}; let vb={}, tb={};
import { cborNumberSize } from "/work/wt/packs2/dist/modules/telemetry/cbor-number.js";
let groups=0;
for (const p of run.packs) { const recs = d.decode(p); for (const r of recs) { if (r.has(-2)) groups++; if (r.has(2)&&!r.has(0)) { const k=cborNumberSize(r.get(2)); vb[k]=(vb[k]||0)+1; const t=r.get(6); const kt = t===undefined?0:cborNumberSize(t); tb[kt]=(tb[kt]||0)+1; } } }
console.log("groups", groups, "v sizes", vb, "t sizes", tb);
console.log(d.decode(run.packs[5]).slice(0,12));
console.log("channels per pack", run.packs.slice(0,30).map(p=>d.decode(p).filter(r=>r.has(-2)).length).join(" "));
