import * as assert from "node:assert/strict";
import fc from "fast-check";
import { base64Line } from "../../lambda/transform/json-line";

describe("base64Line", () => {
  it("is the base64 of the text's UTF-8 bytes and a newline, for any text and any sequence", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary", maxLength: 300 }), { maxLength: 20 }), (texts) => {
        for (const text of texts) assert.equal(base64Line(text), Buffer.from(`${text}\n`).toString("base64"));
      }),
    );
  });

  it("handles texts larger than its scratch buffer, and smaller ones after them", () => {
    for (const text of ["é".repeat(100_000), "x", "€".repeat(30_000)]) {
      assert.equal(base64Line(text), Buffer.from(`${text}\n`).toString("base64"));
    }
  });
});
