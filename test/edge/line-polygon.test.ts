/** LinePolygon in a buffer of its own and at offsets of a shared one (as Compress keeps three): the same results, neighbours untouched. */
import test from "ava";
import { LinePolygon } from "../../modules/edge/line-polygon.js";
import { seededRandom } from "../helpers/seeded-random.js";

const CAP = LinePolygon.CAPACITY;

test("at offsets of a shared buffer a polygon clips, copies and answers exactly as one with its own buffer (seeded)", (t) => {
  const random = seededRandom(3);
  // [guard | a | guard | b | guard]
  const shared = new Float64Array(7 * CAP).fill(12345);
  const a = new LinePolygon(CAP, shared, CAP);
  const b = new LinePolygon(CAP, shared, 4 * CAP);
  const own = new LinePolygon();
  const ownCopy = new LinePolygon();
  let runs = 0;
  for (let run = 0; run < 200; run++) {
    const e = 0.1 + random();
    let y = random() * 10;
    a.start(y - e, y + e, 1, y - e, y + e);
    own.start(y - e, y + e, 1, y - e, y + e);
    for (let d = 2; d < 40; d++) {
      y += (random() - 0.5) * e;
      const fa = a.clipStrip(d, y - e, y + e, 1e-12) && a.size <= LinePolygon.MAX_VERTICES;
      const fo = own.clipStrip(d, y - e, y + e, 1e-12) && own.size <= LinePolygon.MAX_VERTICES;
      t.is(fa, fo);
      if (!fa) break;
      b.copy(a);
      ownCopy.copy(own);
      const w = y + (random() - 0.5) * e;
      t.deepEqual(b.reach(d + 1), ownCopy.reach(d + 1));
      t.deepEqual(b.through(d, w), ownCopy.through(d, w));
      t.deepEqual(b.widestThrough(d + 1, -Infinity, Infinity), ownCopy.widestThrough(d + 1, -Infinity, Infinity));
    }
    runs++;
  }
  t.is(runs, 200);
  for (const [from, to] of [[0, CAP], [3 * CAP, 4 * CAP], [6 * CAP, 7 * CAP]]) t.true(shared.subarray(from, to).every((x) => x === 12345), `guard [${from}, ${to}) untouched`);
});

test("a polygon that does not fit in the buffer it is given is a RangeError naming the numbers", (t) => {
  t.throws(() => new LinePolygon(CAP, new Float64Array(4 * CAP), 2 * CAP + 1), { instanceOf: RangeError, message: `LinePolygon: ${CAP} vertices at ${2 * CAP + 1} do not fit in ${4 * CAP} numbers` });
  t.notThrows(() => new LinePolygon(CAP, new Float64Array(4 * CAP), 2 * CAP));
});
