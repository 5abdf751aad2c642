import * as assert from "node:assert/strict";
import fc from "fast-check";
import { jsonLength } from "../../local/json-length";

/** Any UTF-16 code unit, so escapes, surrogate pairs and lone surrogates all occur. */
const text = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });

describe("local: JSON length", () => {
  it("is JSON.stringify's length for partition key maps", () => {
    fc.assert(
      fc.property(fc.dictionary(text, text), (keys) => {
        const metadata = { partitionKeys: keys };
        assert.equal(jsonLength(metadata), JSON.stringify(metadata).length);
      }),
    );
  });

  it("is JSON.stringify's length for any JSON value, and for values it skips or converts", () => {
    const bare = Object.assign(Object.create(null) as object, { k: "v\u0001" });
    assert.equal(jsonLength(bare), JSON.stringify(bare).length);
    const odd = fc.constantFrom(
      undefined,
      null,
      new Date(0),
      [1, undefined],
      { a: undefined, b: "x" },
      { n: 1 },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          odd.filter((v) => v !== undefined),
          fc.dictionary(text, fc.oneof(text, odd)),
        ),
        (value) => {
          assert.equal(jsonLength(value), JSON.stringify(value).length);
        },
      ),
    );
  });
});
