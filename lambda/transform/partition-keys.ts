import { eventTimeParts, TimeParts, timePartsOfMillis } from "./event-time";
import { hasOwn, JsonObject, JsonValue } from "./json";

export type PartitionTime = "none" | "day" | "hour";

/** The value Hive, Spark and Trino read as a NULL partition: used for absent, null, empty and non-scalar values. */
export const PARTITION_PLACEHOLDER = "__HIVE_DEFAULT_PARTITION__";

export const TIME_PARTITION_KEYS: Readonly<
  Record<Exclude<PartitionTime, "none">, readonly (keyof TimeParts)[]>
> = {
  day: ["year", "month", "day"],
  hour: ["year", "month", "day", "hour"],
};

const ONLY_DOTS = /^\.+$/;
/** A run of UTF-16 code units to escape; a surrogate pair is never split, both halves are in the run. */
const UNSAFE_RUN = /[^A-Za-z0-9_.-]+/g;

function percentEncoded(run: string): string {
  let encoded = "";
  // Buffer.from (UTF-8) replaces lone surrogates with U+FFFD instead of throwing as encodeURIComponent does.
  for (const byte of Buffer.from(run)) encoded += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  return encoded;
}

/**
 * Makes a value safe as one S3 key segment: letters, digits, `_`, `.` and `-` are kept, every other UTF-8 byte
 * becomes `%XX` (upper-case hex, as Hive escapes partition values). Dots are escaped too when the value is only
 * dots, so `.` and `..` never act as path segments in tools that map keys to directories. The mapping is
 * deterministic and injective.
 */
export function escapePartitionValue(value: string): string {
  if (value === "") return PARTITION_PLACEHOLDER;
  if (ONLY_DOTS.test(value)) return "%2E".repeat(value.length);
  return value.replace(UNSAFE_RUN, (run) => percentEncoded(run));
}

/** Strings, numbers and booleans become key values; anything else gets the placeholder. */
export function partitionValueOf(value: JsonValue | undefined): string {
  if (typeof value === "string") return escapePartitionValue(value);
  if (typeof value === "number" || typeof value === "boolean") return escapePartitionValue(String(value));
  return PARTITION_PLACEHOLDER;
}

export interface PartitionSettings {
  readonly fields: readonly string[];
  readonly time: PartitionTime;
}

export interface PartitionKeys {
  readonly keys: { [name: string]: string };
  /** True when `ts` could not be read and the date parts come from the record's arrival time. */
  readonly fromArrivalTime: boolean;
}

/**
 * The record's `metadata.partitionKeys`, or undefined when nothing is configured. Date parts come from the
 * normalised `ts` in UTC; when `ts` is null or unreadable they come from Firehose's approximate arrival time
 * (what `!{timestamp:...}` uses), and only if that is missing too from the placeholder.
 */
export function partitionKeysFor(
  record: JsonObject,
  settings: PartitionSettings,
  arrivalMs: unknown,
): PartitionKeys | undefined {
  if (settings.fields.length === 0 && settings.time === "none") return undefined;
  const keys: { [name: string]: string } = {};
  for (const field of settings.fields) {
    keys[field] = partitionValueOf(hasOwn(record, field) ? record[field] : undefined);
  }
  if (settings.time === "none") return { keys, fromArrivalTime: false };

  const eventParts = eventTimeParts(hasOwn(record, "ts") ? record.ts : undefined);
  const fromArrivalTime = eventParts === undefined;
  const parts = eventParts ?? (typeof arrivalMs === "number" ? timePartsOfMillis(arrivalMs) : undefined);
  for (const name of TIME_PARTITION_KEYS[settings.time]) {
    keys[name] = parts === undefined ? PARTITION_PLACEHOLDER : parts[name];
  }
  return { keys, fromArrivalTime };
}
