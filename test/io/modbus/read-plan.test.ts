import test from "ava";
import { planReads, valuesOf, type ReadPoint } from "../../../modules/io/modbus/read-plan.js";

test("neighbouring reads of one unit and function merge into one request, bounded by 125 registers and 2000 coils", (t) => {
  const points: ReadPoint[] = [
    { unit: 1, fn: 4, address: 12, count: 2 },
    { unit: 1, fn: 4, address: 0, count: 2 },
    { unit: 1, fn: 4, address: 2, count: 2 },
    { unit: 2, fn: 4, address: 4, count: 2 },
    { unit: 1, fn: 3, address: 4, count: 1 },
    { unit: 1, fn: 4, address: 4, count: 2 },
  ];
  const plans = planReads(points);
  t.deepEqual(plans.map((p) => [p.request, p.members]), [
    [{ unit: 1, fn: 3, address: 4, count: 1 }, [4]],
    [{ unit: 1, fn: 4, address: 0, count: 6 }, [1, 2, 5]],
    [{ unit: 1, fn: 4, address: 12, count: 2 }, [0]],
    [{ unit: 2, fn: 4, address: 4, count: 2 }, [3]],
  ]);
  t.deepEqual(valuesOf(plans[1], points[5], [10, 11, 12, 13, 14, 15]), [14, 15]);
  t.is(planReads(points, 8).length, 3, "a hole of 8 registers is read across with maxGap 8");
  const many = Array.from({ length: 130 }, (_, i): ReadPoint => ({ unit: 1, fn: 3, address: i, count: 1 }));
  t.deepEqual(planReads(many).map((p) => p.request.count), [125, 5]);
  const coils = Array.from({ length: 2001 }, (_, i): ReadPoint => ({ unit: 1, fn: 1, address: i, count: 1 }));
  t.deepEqual(planReads(coils).map((p) => p.request.count), [2000, 1]);
});
