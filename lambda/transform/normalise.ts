import { hasOwn, JsonObject, JsonValue } from "./json";

/** Country used when a record's `country` is absent, null or not a string. */
export const UNKNOWN_COUNTRY = "ZZ";

/** A default for an absent top-level field. Objects and arrays are kept as JSON text and parsed per use. */
export interface FieldDefault {
  readonly field: string;
  readonly value: JsonValue;
}

function isEmpty(value: JsonValue | undefined): boolean {
  return value === undefined || value === null || value === "";
}

/** Each record gets its own copy, so masking one record's default can never change the next record's. */
function freshCopy(value: JsonValue): JsonValue {
  return typeof value === "object" && value !== null
    ? (JSON.parse(JSON.stringify(value)) as JsonValue)
    : value;
}

/**
 * Normalises a record in place. Configured defaults fill absent fields first, so a default `country` is
 * normalised like a sent one. Every other field is left as it is.
 */
export function normaliseRecord(record: JsonObject, defaults: readonly FieldDefault[]): void {
  for (const { field, value } of defaults) {
    if (!hasOwn(record, field)) record[field] = freshCopy(value);
  }
  const country = hasOwn(record, "country") ? record.country : undefined;
  record.country = typeof country === "string" ? country.toUpperCase() : UNKNOWN_COUNTRY;

  const ts = hasOwn(record, "ts") ? record.ts : undefined;
  if (isEmpty(ts)) {
    const timestamp = hasOwn(record, "timestamp") ? record.timestamp : undefined;
    record.ts = isEmpty(timestamp) ? null : (timestamp as JsonValue);
  }

  if (!hasOwn(record, "event_version")) record.event_version = 1;
}
