import { hasOwn, JsonObject, JsonValue } from "./json";
import { foldKey } from "./pii-paths";
import { pseudonymNameOf } from "./pseudonym";

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
  // A primitive is returned as it is: per record, structuredClone would serialise it for nothing.
  // Stryker disable next-line ConditionalExpression,LogicalOperator: copying a primitive too returns an equal value
  return typeof value === "object" && value !== null
    ? (JSON.parse(JSON.stringify(value)) as JsonValue)
    : value;
}

/** Upper case, except a `country` pseudonym (masked as configured or by the detector), whose hex must stay. */
function normalisedCountry(country: JsonValue | undefined, hexLength: number): JsonValue {
  if (typeof country !== "string") return UNKNOWN_COUNTRY;
  const pseudonymName = pseudonymNameOf(country, hexLength);
  return pseudonymName !== undefined && foldKey(pseudonymName) === "country"
    ? country
    : country.toUpperCase();
}

/**
 * Normalises a record in place. Configured defaults fill absent fields first, so a default `country` is
 * normalised like a sent one. Every other field is left as it is. Idempotent: a record normalised (and masked,
 * with pseudonyms of `hexLength` hex characters) comes out of it unchanged.
 */
export function normaliseRecord(
  record: JsonObject,
  defaults: readonly FieldDefault[],
  hexLength: number,
): void {
  for (const { field, value } of defaults) {
    if (!hasOwn(record, field)) record[field] = freshCopy(value);
  }
  record.country = normalisedCountry(hasOwn(record, "country") ? record.country : undefined, hexLength);

  const ts = hasOwn(record, "ts") ? record.ts : undefined;
  if (isEmpty(ts)) {
    const timestamp = hasOwn(record, "timestamp") ? record.timestamp : undefined;
    record.ts = isEmpty(timestamp) ? null : (timestamp as JsonValue);
  }

  if (!hasOwn(record, "event_version")) record.event_version = 1;
}
