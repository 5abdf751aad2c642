import * as assert from "node:assert/strict";
import { jsonLength } from "../../local/json-length";

/** Runs `body` with JSON.stringify counting its calls; returns how many there were. */
function stringifyCalls(body: () => void): number {
  const original = JSON.stringify;
  let calls = 0;
  JSON.stringify = ((...args: Parameters<typeof original>) => {
    calls++;
    return original(...args);
  }) as typeof original;
  try {
    body();
  } finally {
    JSON.stringify = original;
  }
  return calls;
}

// The code units where the escaping rules change, alone and around surrogate pairs.
const UNITS = [
  0x00, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x5b, 0x5c, 0x5d, 0x7f,
  0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xffff,
];

describe("local: JSON length at each escaping boundary", () => {
  it("counts each boundary code unit alone, before and after text", () => {
    for (const unit of UNITS) {
      for (const s of [
        String.fromCharCode(unit),
        `a${String.fromCharCode(unit)}`,
        `${String.fromCharCode(unit)}a`,
      ]) {
        assert.equal(
          jsonLength(s),
          JSON.stringify(s).length,
          `U+${unit.toString(16)} in ${JSON.stringify(s)}`,
        );
      }
    }
  });

  it("counts every pair of boundary code units (surrogate pairs written as they are, lone ones escaped)", () => {
    for (const first of UNITS) {
      for (const second of UNITS) {
        const s = String.fromCharCode(first, second);
        assert.equal(
          jsonLength(s),
          JSON.stringify(s).length,
          `U+${first.toString(16)} U+${second.toString(16)}`,
        );
      }
    }
    assert.equal(jsonLength("\ud800\udc00"), 4);
    assert.equal(jsonLength("\ud800"), 8);
    assert.equal(jsonLength("\ud800\ud800\udc00"), 10);
  });

  it("counts objects: braces, quoted keys, colons and commas", () => {
    assert.equal(jsonLength({}), 2);
    assert.equal(jsonLength({ a: "" }), 8);
    assert.equal(jsonLength({ a: "b", cd: "e" }), 18);
    assert.equal(jsonLength({ a: { b: {} } }), 14);
    assert.equal(jsonLength(Object.create(null) as object), 2);
  });

  it("measures strings and plain objects of them without serialising them", () => {
    const values: unknown[] = [
      "",
      'a"b\\c\n',
      {},
      { k: "v" },
      { partitionKeys: { country: "DE", "\u0001": "\ud800" } },
      Object.assign(Object.create(null) as object, { k: "v" }),
    ];
    assert.equal(
      stringifyCalls(() => values.forEach((value) => jsonLength(value))),
      0,
    );
  });

  it("serialises anything else, members included", () => {
    for (const value of [
      1,
      null,
      true,
      [],
      ["a"],
      new Date(0),
      { n: 1 },
      { a: { b: null } },
      { a: "b", c: 2 },
    ]) {
      assert.equal(
        stringifyCalls(() => assert.equal(jsonLength(value), JSON.stringify(value).length)),
        2,
        JSON.stringify(value),
      );
    }
  });

  it("leaves out keys a plain object inherits, as JSON.stringify does", () => {
    Object.defineProperty(Object.prototype, "inherited", {
      value: "x",
      enumerable: true,
      configurable: true,
    });
    try {
      assert.equal(jsonLength({ a: "b" }), JSON.stringify({ a: "b" }).length);
    } finally {
      delete (Object.prototype as Record<string, unknown>).inherited;
    }
  });
});
