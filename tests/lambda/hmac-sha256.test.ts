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

  it("uses a key of exactly one block (64 bytes) as it is, without hashing it first", () => {
    const key = "b".repeat(64);
    assert.equal(hmacSha256Hex(key)("value"), reference(key, "value"));
    const multibyte = "é".repeat(32);
    assert.equal(hmacSha256Hex(multibyte)("value"), reference(multibyte, "value"));
  });

  it("hashes long values in full, ASCII or multibyte, before and after shorter ones", () => {
    const hmac = hmacSha256Hex("a key of sixteen bytes");
    const values = ["short", "x".repeat(86), "y".repeat(1000), "ü😀".repeat(700), "short", "z".repeat(5000)];
    for (const value of values) assert.equal(hmac(value), reference("a key of sixteen bytes", value), value);
  });

  it("costs each value two one-shot hashes of the runtime's crypto.hash, when it has one", () => {
    const calls: string[] = [];
    const hash = ((algorithm: string, data: crypto.BinaryLike, encoding?: crypto.BinaryToTextEncoding) => {
      calls.push(algorithm);
      return crypto.hash(algorithm, data, encoding);
    }) as typeof crypto.hash;
    const hmac = hmacSha256Hex("a key of sixteen bytes", { hash });
    assert.equal(hmac("one"), reference("a key of sixteen bytes", "one"));
    assert.equal(hmac("two"), reference("a key of sixteen bytes", "two"));
    assert.deepEqual(calls, ["sha256", "sha256", "sha256", "sha256"]);
  });
});
