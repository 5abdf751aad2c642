import * as assert from "node:assert/strict";
import { createDigester, memoiseForBatch, pseudonymNameOf } from "../../lambda/transform/pseudonym";

describe("pseudonyms", () => {
  it("hmac-sha256 matches RFC 4231 test case 2, truncated to the configured length", () => {
    const full = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    assert.equal(
      createDigester({ mode: "hmac-sha256", key: "Jefe", hexLength: 64 })("what do ya want for nothing?"),
      full,
    );
    assert.equal(
      createDigester({ mode: "hmac-sha256", key: "Jefe", hexLength: 32 })("what do ya want for nothing?"),
      full.slice(0, 32),
    );
  });

  it("sha256-salt is the first 12 hex chars of SHA-256(value + salt)", () => {
    // SHA-256("abc") from FIPS 180-2: ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    assert.equal(createDigester({ mode: "sha256-salt", key: "c", hexLength: 12 })("ab"), "ba7816bf8f01");
  });

  it("a batch memo returns the same digests and computes each distinct value once", () => {
    const seen: string[] = [];
    const digest = memoiseForBatch((value) => {
      seen.push(value);
      return `d(${value})`;
    });
    assert.deepEqual(["a", "b", "a", "a", "b"].map(digest), ["d(a)", "d(b)", "d(a)", "d(a)", "d(b)"]);
    assert.deepEqual(seen, ["a", "b"]);
  });

  it("pseudonymNameOf reads <name>_hash_<hex> of exactly the configured length, lower-case hex only", () => {
    const hex = "0123456789abcdef";
    assert.equal(pseudonymNameOf(`email_hash_${hex}`, 16), "email");
    assert.equal(pseudonymNameOf(`a_hash_b_hash_${hex}`, 16), "a_hash_b");
    assert.equal(pseudonymNameOf(`a_hash_${hex}`, 16), "a", "a one-character name");
    for (const value of [
      `email_hash_${hex}`,
      `_hash_${hex}`,
      `email_hash_${hex.toUpperCase()}`,
      `emailhash_${hex}`,
      42,
    ]) {
      assert.equal(pseudonymNameOf(value, value === `email_hash_${hex}` ? 14 : 16), undefined, String(value));
    }
  });
});
