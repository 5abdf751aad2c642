import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import fc from "fast-check";
import { hmacSha256Hex } from "../../lambda/transform/hmac-sha256";

function reference(key: string, value: string): string {
  return crypto.createHmac("sha256", key).update(value, "utf8").digest("hex");
}

/** Any UTF-16 string, lone surrogates included (both sides encode them as U+FFFD). */
const anyString = (maxLength: number) =>
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength }).map((units) => String.fromCharCode(...units));

describe("hmacSha256Hex", () => {
  it("is byte-identical to createHmac for any key and any sequence of values", () => {
    fc.assert(
      fc.property(
        fc.oneof(anyString(100), fc.string({ unit: "binary", maxLength: 100 })),
        // Short values, and long ones that make the scratch buffer grow between calls.
        fc.array(fc.oneof(anyString(40), fc.string({ unit: "binary" }), anyString(400)), { maxLength: 20 }),
        (key, values) => {
          const hmac = hmacSha256Hex(key);
          for (const value of values) assert.equal(hmac(value), reference(key, value));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("hashes a key longer than the block first (RFC 2104)", () => {
    const key = "k".repeat(131);
    assert.equal(hmacSha256Hex(key)("value"), reference(key, "value"));
  });

  it("falls back to createHmac where crypto.hash does not exist", () => {
    const key = "a key of sixteen bytes";
    assert.equal(hmacSha256Hex(key, {})("value"), reference(key, "value"));
  });
});
