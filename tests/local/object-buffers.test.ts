import * as assert from "node:assert/strict";
import { ObjectBuffers } from "../../local/object-buffers";

const LIMITS = { sizeBytes: 100, intervalMs: 500 };

function buffers(): ObjectBuffers<string, string[]> {
  return new ObjectBuffers<string, string[]>(LIMITS, () => []);
}

describe("local: object buffers", () => {
  const realNow = Date.now;
  let clock = 0;
  beforeEach(() => {
    clock = 1_000_000;
    Date.now = () => clock;
  });
  afterEach(() => {
    Date.now = realNow;
  });

  it("opens one buffer per partition, fixing its prefix and oldest arrival at the first item", () => {
    const open = buffers();
    const prefixes: string[] = [];
    const prefixOf = (prefix: string) => () => {
      prefixes.push(prefix);
      return prefix;
    };
    assert.equal(open.openCount, 0);
    assert.equal(open.isOpen("a"), false);
    assert.equal(open.add("a", "a1", 10, 111, prefixOf("p/a/")), undefined);
    clock += 100;
    assert.equal(open.add("a", "a2", 20, 222, prefixOf("p/a-later/")), undefined);
    assert.equal(open.add("b", "b1", 30, 333, prefixOf("p/b/")), undefined);
    assert.deepEqual(prefixes, ["p/a/", "p/b/"]);
    assert.equal(open.openCount, 2);
    assert.equal(open.isOpen("a"), true);
    assert.equal(open.isOpen("b"), true);
    assert.equal(open.isOpen("c"), false);

    assert.deepEqual(open.takeDue(clock, true), [
      { prefix: "p/a/", oldestArrivalMs: 111, openedAt: 1_000_000, items: ["a1", "a2"], bytes: 30 },
      { prefix: "p/b/", oldestArrivalMs: 333, openedAt: 1_000_100, items: ["b1"], bytes: 30 },
    ]);
    assert.equal(open.openCount, 0);
  });

  it("closes and returns a buffer when it reaches the size hint, then opens a fresh one", () => {
    const open = buffers();
    assert.equal(
      open.add("a", "a1", 60, 1, () => "p/"),
      undefined,
    );
    assert.equal(
      open.add("a", "a2", 39, 2, () => "p/"),
      undefined,
    );
    assert.deepEqual(
      open.add("a", "a3", 1, 3, () => "p/"),
      {
        prefix: "p/",
        oldestArrivalMs: 1,
        openedAt: 1_000_000,
        items: ["a1", "a2", "a3"],
        bytes: 100,
      },
    );
    assert.equal(open.isOpen("a"), false);
    assert.equal(open.openCount, 0);

    assert.equal(
      open.add("a", "a4", 1, 4, () => "q/"),
      undefined,
    );
    assert.deepEqual(open.takeDue(clock, true), [
      { prefix: "q/", oldestArrivalMs: 4, openedAt: 1_000_000, items: ["a4"], bytes: 1 },
    ]);
  });

  it("returns an item bigger than the size hint at once, in a buffer of its own", () => {
    const open = buffers();
    const full = open.add("a", "big", 150, 1, () => "p/");
    assert.deepEqual(full?.items, ["big"]);
    assert.equal(open.openCount, 0);
  });

  it("leaves the partition closed and the item out when the prefix cannot be evaluated", () => {
    const open = buffers();
    assert.throws(
      () =>
        open.add("a", "a1", 10, 1, () => {
          throw new Error("no prefix");
        }),
      /^Error: no prefix$/,
    );
    assert.equal(open.isOpen("a"), false);
    assert.equal(open.openCount, 0);
    open.add("a", "a2", 10, 2, () => "p/");
    assert.deepEqual(
      open.takeDue(clock, true).map((b) => b.items),
      [["a2"]],
    );
  });

  it("takes the buffers open for at least the interval, leaving the younger ones open", () => {
    const open = buffers();
    open.add("old", "o1", 1, 1, () => "old/");
    clock += 200;
    open.add("young", "y1", 1, 2, () => "young/");
    assert.deepEqual(open.takeDue(1_000_499), []);
    assert.equal(open.openCount, 2);
    assert.deepEqual(
      open.takeDue(1_000_500).map((b) => b.prefix),
      ["old/"],
    );
    assert.equal(open.isOpen("old"), false);
    assert.equal(open.isOpen("young"), true);
    assert.deepEqual(open.takeDue(1_000_699), []);
    assert.deepEqual(
      open.takeDue(1_000_700).map((b) => b.prefix),
      ["young/"],
    );
    assert.equal(open.openCount, 0);
  });

  it("takes every open buffer when asked for all, however young", () => {
    const open = buffers();
    open.add("a", "a1", 1, 1, () => "a/");
    open.add("b", "b1", 1, 1, () => "b/");
    assert.deepEqual(
      open.takeDue(clock, true).map((b) => b.prefix),
      ["a/", "b/"],
    );
    assert.equal(open.openCount, 0);
    assert.deepEqual(open.takeDue(clock, true), []);
  });
});
