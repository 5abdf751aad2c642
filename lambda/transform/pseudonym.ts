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

/** `<name>_hash_<hex>`; a value that is not a string is digested over its compact JSON text. */
export function pseudonymOf(name: string, value: JsonValue, digest: (value: string) => string): string {
  return `${name}_hash_${digest(typeof value === "string" ? value : JSON.stringify(value))}`;
}
