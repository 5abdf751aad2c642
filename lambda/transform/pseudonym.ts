import { createHash } from "node:crypto";
import { hmacSha256Hex } from "./hmac-sha256";
import { JsonValue } from "./json";

export type HashMode = "hmac-sha256" | "sha256-salt";

/** `sha256-salt` keeps the 12 hex chars (48 bits) that existing pipelines store, for continuity. */
export const SALTED_SHA256_HEX_LENGTH = 12;

export interface PseudonymSettings {
  readonly mode: HashMode;
  /** HMAC key (hmac-sha256) or salt (sha256-salt), used as its UTF-8 bytes. */
  readonly key: string;
  /** Hex characters kept from the digest. */
  readonly hexLength: number;
}

/** Returns the function that maps a value to its deterministic hex digest. */
export function createDigester(settings: PseudonymSettings): (value: string) => string {
  const { key, hexLength } = settings;
  if (settings.mode === "sha256-salt") {
    return (value) =>
      createHash("sha256")
        // Stryker disable next-line StringLiteral: utf8 is also the default encoding of a string.
        .update(value + key, "utf8")
        .digest("hex")
        .slice(0, hexLength);
  }
  const hmac = hmacSha256Hex(key);
  return (value) => hmac(value).slice(0, hexLength);
}

/**
 * Wraps a digester with a cache meant to live for one batch: the same user's events repeat within a batch, and
 * a Map lookup costs a fraction of an HMAC. Dropped with the batch, so no PII outlives the invocation.
 */
export function memoiseForBatch(digest: (value: string) => string): (value: string) => string {
  const digests = new Map<string, string>();
  return (value) => {
    let hex = digests.get(value);
    if (hex === undefined) {
      hex = digest(value);
      digests.set(value, hex);
    }
    return hex;
  };
}

const PSEUDONYM_INFIX = "_hash_";

/** `<name>_hash_<hex>`; a value that is not a string is digested over its compact JSON text. */
export function pseudonymOf(name: string, value: JsonValue, digest: (value: string) => string): string {
  return `${name}${PSEUDONYM_INFIX}${digest(typeof value === "string" ? value : JSON.stringify(value))}`;
}

const LOWER_HEX = /^[0-9a-f]*$/;

/**
 * The `<name>` of a value shaped as `pseudonymOf` makes it with digests of `hexLength` hex characters, or
 * undefined. What keeps the transform idempotent (a replayed record, already transformed, passes it unchanged):
 * masking and normalisation leave such a value alone instead of hashing or upper-casing it a second time.
 */
export function pseudonymNameOf(value: JsonValue, hexLength: number): string | undefined {
  if (typeof value !== "string") return undefined;
  const nameLength = value.length - hexLength - PSEUDONYM_INFIX.length;
  if (nameLength < 1 || !value.startsWith(PSEUDONYM_INFIX, nameLength)) return undefined;
  return LOWER_HEX.test(value.slice(nameLength + PSEUDONYM_INFIX.length))
    ? value.slice(0, nameLength)
    : undefined;
}
