import * as crypto from "node:crypto";

/** SHA-256's block size: RFC 2104 pads the key to it. */
const BLOCK_BYTES = 64;
const DIGEST_BYTES = 32;

/**
 * HMAC-SHA256 (RFC 2104) of UTF-8 values under one key, as hex: identical to
 * `createHmac("sha256", key).update(value, "utf8").digest("hex")`. The key's inner and outer pads are computed
 * once and each value costs two one-shot `crypto.hash` calls, about a quarter cheaper than a createHmac object
 * per value (measured). Runtimes without `crypto.hash` (before Node.js 20.12) get createHmac.
 */
export function hmacSha256Hex(
  key: string,
  runtime: { readonly hash?: typeof crypto.hash } = crypto,
): (value: string) => string {
  const oneShot = runtime.hash;
  if (typeof oneShot !== "function") {
    return (value) => crypto.createHmac("sha256", key).update(value, "utf8").digest("hex");
  }
  // Stryker disable next-line StringLiteral: Node.js reads an empty encoding as UTF-8, the default
  let keyBytes = Buffer.from(key, "utf8");
  if (keyBytes.length > BLOCK_BYTES) keyBytes = crypto.createHash("sha256").update(keyBytes).digest();
  // inner = ipad followed by the value; outer = opad followed by the inner digest.
  let inner = Buffer.alloc(BLOCK_BYTES + 256, 0x36);
  const outer = Buffer.alloc(BLOCK_BYTES + DIGEST_BYTES, 0x5c);
  for (let i = 0; i < keyBytes.length; i++) {
    inner[i] ^= keyBytes[i];
    outer[i] ^= keyBytes[i];
  }
  return (value) => {
    // A UTF-16 code unit takes at most 3 UTF-8 bytes.
    // Growing a buffer that is already big enough hashes the same bytes. Never growing (the condition `false`) is
    // the BlockStatement mutant below, which the long-value tests catch.
    // Stryker disable next-line ConditionalExpression: growing when not needed changes no output
    if (BLOCK_BYTES + value.length * 3 > inner.length) {
      const grown = Buffer.allocUnsafe(BLOCK_BYTES + value.length * 3);
      inner.copy(grown, 0, 0, BLOCK_BYTES);
      inner = grown;
    }
    // Stryker disable next-line StringLiteral: Node.js reads an empty encoding as UTF-8, the default
    const length = inner.write(value, BLOCK_BYTES, "utf8");
    oneShot("sha256", inner.subarray(0, BLOCK_BYTES + length), "buffer").copy(outer, BLOCK_BYTES);
    return oneShot("sha256", outer, "hex");
  };
}
