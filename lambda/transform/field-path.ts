import { hasOwn, isJsonObject, JsonObject, JsonValue } from "./json";

/**
 * A dotted path to a field inside nested objects, e.g. `user.email`. `valueAt` (drop rules) follows it exactly:
 * case-sensitive, through objects only. PII paths match more loosely (pii-paths.ts).
 */
export interface FieldPath {
  readonly path: string;
  readonly segments: readonly string[];
  /** The last segment: the name a pseudonym is prefixed with. */
  readonly name: string;
}

/**
 * Parses one dotted path from configuration. `__proto__` is rejected because assigning to it changes an object's
 * prototype instead of creating a field.
 */
export function parseFieldPath(path: string, variable: string): FieldPath {
  const segments = path.split(".");
  for (const segment of segments) {
    if (segment === "") {
      throw new Error(`${variable} has an empty segment in field path ${JSON.stringify(path)}`);
    }
    if (segment === "__proto__") {
      throw new Error(`${variable} may not use "__proto__" as a field name, got ${JSON.stringify(path)}`);
    }
  }
  return { path, segments, name: segments[segments.length - 1] };
}

/** The object that holds the path's last segment as an own key, or undefined when the path does not exist. */
export function parentOf(record: JsonObject, path: FieldPath): JsonObject | undefined {
  let current: JsonObject = record;
  for (let i = 0; i < path.segments.length - 1; i++) {
    const segment = path.segments[i];
    if (!hasOwn(current, segment)) return undefined;
    const next = current[segment];
    if (!isJsonObject(next)) return undefined;
    current = next;
  }
  return hasOwn(current, path.name) ? current : undefined;
}

/** The value at the path, or undefined when the path does not exist. */
export function valueAt(record: JsonObject, path: FieldPath): JsonValue | undefined {
  const parent = parentOf(record, path);
  return parent === undefined ? undefined : parent[path.name];
}
