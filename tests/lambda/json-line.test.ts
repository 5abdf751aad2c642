import * as assert from "node:assert/strict";
import fc from "fast-check";
import { base64Line } from "../../lambda/transform/json-line";
import { coldStart } from "../support/cold-start";

/** base64Line of a newly loaded module: its buffer not grown by earlier calls. */
const coldStartBase64Line = (): typeof base64Line =>
  coldStart<{ base64Line: typeof base64Line }>(require.resolve("../../lambda/transform/json-line"))
    .base64Line;

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
  it("from a cold start, encodes texts that fit its initial buffer exactly and texts that outgrow it", () => {
    const coldBase64Line = coldStartBase64Line();
    // 21845 three-byte characters and a newline fill the initial 64 KiB exactly; one more character outgrows it.
    for (const text of [
      "x",
      "€".repeat(21_845),
      "€".repeat(21_846),
      "€".repeat(30_000),
      "é".repeat(45_001),
      "x",
    ]) {
      assert.equal(coldBase64Line(text), Buffer.from(`${text}\n`).toString("base64"), `${text.length} chars`);
    }
  });
});
