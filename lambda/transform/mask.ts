import { isJsonObject, JsonObject, JsonValue, setOwn } from "./json";
import { nodeForKey, PiiPathNode } from "./pii-paths";
import { pseudonymNameOf, pseudonymOf } from "./pseudonym";

/**
 * Replaces the value of every key a configured PII path matches (see pii-paths.ts) by
 * `<last segment>_hash_<hex>`, the segment as configured, so the output does not depend on the input's key case.
 * The key keeps its spelling: every case variant is masked, so none can carry the raw value. Empty strings and
 * null stay as they are. A value that is not a string (number, boolean, object, array) is pseudonymised over its
 * compact JSON text, so no value of a PII field ever passes through unmasked. Where one configured path is a
 * prefix of another (`user` and `user.email`), the shorter wins: the whole value is masked. A value that already
 * is this field's pseudonym (`<name>_hash_` and `hexLength` lower-case hex characters) stays as it is, so masking
 * a transformed record again changes nothing (replay sends transformed records through the transform again).
 */
export function maskFields(
  record: JsonObject,
  paths: PiiPathNode,
  digest: (value: string) => string,
  hexLength: number,
): void {
  // Stryker disable next-line EqualityOperator: a fast path; an empty tree matches no key.
  if (paths.children.size > 0) maskObject(record, paths, { digest, hexLength });
}

interface Masking {
  readonly digest: (value: string) => string;
  readonly hexLength: number;
}

function maskObject(object: JsonObject, node: PiiPathNode, masking: Masking): void {
  for (const key in object) {
    const child = nodeForKey(node, key);
    if (child === undefined) continue;
    const value = object[key];
    if (child.name === undefined) {
      maskWithin(value, child, masking);
    } else if (value !== null && value !== "" && pseudonymNameOf(value, masking.hexLength) !== child.name) {
      setOwn(object, key, pseudonymOf(child.name, value, masking.digest));
    }
  }
}

/** Continues a path into an object, or into every element of an array, arrays nested at any depth included. */
function maskWithin(value: JsonValue, node: PiiPathNode, masking: Masking): void {
  if (Array.isArray(value)) {
    for (const item of value) maskWithin(item, node, masking);
  } else if (isJsonObject(value)) {
    maskObject(value, node, masking);
  }
}
