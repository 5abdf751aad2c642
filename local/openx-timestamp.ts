// How Firehose's OpenX JSON deserializer reads a `timestamp` column, as the developer guide lists it
// ("Convert input data format in Amazon Data Firehose", Choose the JSON deserializer:
// https://docs.aws.amazon.com/firehose/latest/dev/record-format-conversion.html):
//   yyyy-MM-dd'T'HH:mm:ss[.S]'Z' and yyyy-[M]M-[d]d HH:mm:ss[.S], each fraction up to 9 digits;
//   epoch seconds (1518033528), epoch milliseconds (1518033528123), floating point epoch seconds (1518033528.123).
// The guide does not say how seconds and milliseconds are told apart; the OpenX SerDe itself
// (rcongiu/Hive-JSON-Serde, ParsePrimitiveUtils.parseTimestamp) reads the value's text: with a '.' it is
// fractional seconds (milliseconds truncated), an integer of 13 or more characters ("1454612111000".length)
// is milliseconds, a shorter one seconds. A JSON number and a JSON string of the same digits read alike.

/** Hive's timestamp range: a value outside it is refused rather than wrapped or clamped. */
const MIN_MS = Date.parse("0001-01-01T00:00:00.000Z");
const MAX_MS = Date.parse("9999-12-31T23:59:59.999Z");
const MS_DIGITS = "1454612111000".length;

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;
const SPACED = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
const INTEGER = /^-?\d+$/;
const FRACTIONAL = /^-?(?:\d+\.\d*|\.\d+)$/;

/**
 * The instant `value` stands for, as `yyyy-MM-dd HH:mm:ss.ffffff` in UTC (microseconds: what Parquet
 * timestamps written by DuckDB hold), or the reason it is not one of the documented forms.
 */
export function openXTimestamp(value: number | string): string | Error {
  const text = typeof value === "number" ? String(value) : value.trim();
  if (INTEGER.test(text)) {
    const n = Number(text);
    return fromEpochMs(text.length >= MS_DIGITS ? n : n * 1000, text);
  }
  // A JSON number printed in exponent form (1e+21, 1.5e-7) is a number of seconds too.
  if (FRACTIONAL.test(text) || typeof value === "number") {
    return fromEpochMs(Math.trunc(Number(text) * 1000), text);
  }
  const match = ISO_UTC.exec(text) ?? SPACED.exec(text);
  if (!match) {
    return new Error(
      "not a timestamp (yyyy-MM-dd'T'HH:mm:ss[.S]'Z', yyyy-[M]M-[d]d HH:mm:ss[.S], or epoch seconds or milliseconds)",
    );
  }
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC, which reads years 0-99 as 1900-1999
  date.setUTCHours(hour, minute, second);
  // A day past the month's end rolls into another month, an hour past 23 into another day: the first two
  // checks refuse both. A minute or second past 59 may stay within the day.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || minute > 59 || second > 59) {
    return new Error("not a valid date and time");
  }
  return fromEpochMs(date.getTime(), text, (match[7] ?? "").padEnd(6, "0").slice(0, 6));
}

/** `ms` as text, with `micros` (6 digits) when the input had them; an error when out of range. */
function fromEpochMs(ms: number, text: string, micros?: string): string | Error {
  if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) {
    return new Error(`out of range: ${text} is outside 0001-01-01 to 9999-12-31`);
  }
  const iso = new Date(ms).toISOString(); // yyyy-MM-ddTHH:mm:ss.SSSZ
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${micros ?? `${iso.slice(20, 23)}000`}`;
}
