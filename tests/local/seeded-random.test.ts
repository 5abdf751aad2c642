import * as assert from "node:assert/strict";
import { seededRandom } from "../../local/seeded-random";

function first(seed: number, count: number): number[] {
  const next = seededRandom(seed);
  return Array.from({ length: count }, () => next());
}

describe("local: seeded random numbers", () => {
  it("gives mulberry32's sequence for a seed", () => {
    assert.deepEqual(first(1, 3), [0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    assert.deepEqual(first(0, 2), [0.26642920868471265, 0.0003297457005828619]);
  });

  it("gives the same sequence for the same seed, and another for another seed", () => {
    assert.deepEqual(first(42, 5), first(42, 5));
    assert.notDeepEqual(first(42, 5), first(43, 5));
  });

  it("reads the seed as an unsigned 32-bit integer", () => {
    assert.deepEqual(first(-1, 3), first(4294967295, 3));
    assert.deepEqual(first(2 ** 32 + 7, 3), first(7, 3));
  });

  it("stays in [0, 1)", () => {
    for (const value of first(7, 10_000)) assert.ok(value >= 0 && value < 1, String(value));
  });
});
