/** A value JSON.parse can return. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A JSON object as JSON.parse returns it: own, enumerable data properties only. */
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Own-property check: a record's `__proto__` or `constructor` key must never resolve to Object.prototype. */
export function hasOwn(record: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

/**
 * Sets an own data property. A record's own `__proto__` key (JSON.parse creates one) must not be assigned with
 * `=`, which would call Object.prototype's setter and silently keep the old value.
 */
export function setOwn(record: JsonObject, key: string, value: JsonValue): void {
  if (key === "__proto__") {
    Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    record[key] = value;
  }
}
