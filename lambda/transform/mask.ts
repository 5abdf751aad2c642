import { FieldPath, parentOf } from "./field-path";
import { JsonObject } from "./json";

/**
 * Replaces each configured field's value by `<name>_hash_<hex>`. Empty strings and null stay as they are. A value
 * that is not a string (number, boolean, object, array) is pseudonymised over its compact JSON text, so no value
 * of a PII field ever passes through unmasked.
 */
export function maskFields(
  record: JsonObject,
  paths: readonly FieldPath[],
  digest: (value: string) => string,
): void {
  for (const path of paths) {
    const parent = parentOf(record, path);
    if (parent === undefined) continue;
    const value = parent[path.name];
    if (value === null || value === "") continue;
    const text = typeof value === "string" ? value : JSON.stringify(value);
    parent[path.name] = `${path.name}_hash_${digest(text)}`;
  }
}
