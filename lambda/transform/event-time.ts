import { JsonValue } from "./json";

/** Numbers below this are epoch seconds, above it epoch milliseconds (1e11 s is the year 5138, 1e11 ms is 1973). */
const SECONDS_BELOW = 1e11;
/** `yyyy` is four digits: keep to years 0000-9999. */
const EARLIEST_MS = -62167219200000;
const LATEST_MS = 253402300799999;

const EPOCH_NUMBER = /^-?\d+(?:\.\d+)?$/;
/** ISO 8601 date or date-time; a missing zone means UTC. */
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?([Zz]|([+-])(\d{2})(?::?(\d{2}))?)?$/;

/** UTC date parts, zero-padded like the `yyyy`, `MM`, `dd`, `HH` patterns of Firehose's timestamp namespace. */
export interface TimeParts {
  readonly year: string;
  readonly month: string;
  readonly day: string;
  readonly hour: string;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

/** Parts of an epoch-milliseconds time, or undefined outside the years 0000-9999. */
export function timePartsOfMillis(ms: number): TimeParts | undefined {
  if (!(ms >= EARLIEST_MS && ms <= LATEST_MS)) return undefined;
  const date = new Date(ms);
  return {
    year: pad(date.getUTCFullYear(), 4),
    month: pad(date.getUTCMonth() + 1, 2),
    day: pad(date.getUTCDate(), 2),
    hour: pad(date.getUTCHours(), 2),
  };
}

function fromEpochNumber(value: number): TimeParts | undefined {
  return timePartsOfMillis(Math.abs(value) < SECONDS_BELOW ? value * 1000 : value);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** 0 for a month outside 1-12, so no day of it is valid. */
function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

function fromIso(match: RegExpExecArray): TimeParts | undefined {
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4] ?? 0);
  const minute = Number(match[5] ?? 0);
  const second = Number(match[6] ?? 0);
  const calendarValid =
    day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59;
  if (!calendarValid) return undefined;
  const sign = match[9];
  if (sign === undefined) {
    // UTC already: the parts are in the text, no date arithmetic needed.
    return { year: match[1], month: match[2], day: match[3], hour: match[4] ?? "00" };
  }
  const offsetHours = Number(match[10]);
  const offsetMinutes = Number(match[11] ?? 0);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, 0);
  const offsetMs = (sign === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return timePartsOfMillis(local.getTime() - offsetMs);
}

/**
 * UTC date parts of a record's normalised `ts`: epoch seconds or milliseconds (number or digit string), or an
 * ISO 8601 date or date-time (UTC when it has no zone). Undefined when `ts` is null, of another type, not a
 * valid calendar time, or outside the years 0000-9999.
 */
export function eventTimeParts(ts: JsonValue | undefined): TimeParts | undefined {
  if (typeof ts === "number") return fromEpochNumber(ts);
  if (typeof ts !== "string") return undefined;
  const match = ISO_DATE_TIME.exec(ts);
  if (match !== null) return fromIso(match);
  return EPOCH_NUMBER.test(ts) ? fromEpochNumber(Number(ts)) : undefined;
}
