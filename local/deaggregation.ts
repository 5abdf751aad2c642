// Firehose's multi-record de-aggregation, before the transform: JSON splits a record into the JSON objects it
// holds one after another (`{..}{..}`, or one per line), DELIMITED splits it at each delimiter. At most 500
// records come out of one record.
import { MAX_SUB_RECORDS } from "../config/deaggregation";
import { DeaggregationSettings } from "../config/settings";

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** JSON's whitespace: space, tab, line feed, carriage return. */
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** The records `record` holds (views of it, in order), or why it cannot be split (a clause about "it"). */
export type Split = readonly Buffer[] | { readonly error: string };

export function splitter(settings: DeaggregationSettings): (record: Buffer) => Split {
  if (settings.subRecordType === "JSON") return splitJsonObjects;
  const delimiter = Buffer.from(settings.delimiter ?? "");
  // Config validation requires one; an empty delimiter would never advance.
  if (delimiter.length === 0)
    throw new Error("deaggregation.delimiter: DELIMITED needs a delimiter, got none");
  return (record) => splitDelimited(record, delimiter);
}

/**
 * The JSON objects of `record`, whitespace between them skipped. Only the objects' extent is found here (strings
 * and nesting respected); whether each is valid JSON is the transform's to judge. More lenient than Firehose in
 * one way: an object spread over several lines is split out whole, where AWS asks for one object per line.
 */
export function splitJsonObjects(record: Buffer): Split {
  const objects: Buffer[] = [];
  let at = 0;
  for (;;) {
    // Past the end, record[at] is undefined: no whitespace.
    while (WHITESPACE.has(record[at])) at++;
    if (at === record.length) break;
    if (record[at] !== OPEN_BRACE) {
      const why = record[at] === OPEN_BRACKET ? " (an array of objects is not split)" : "";
      return { error: `it is not a sequence of JSON objects: byte ${at} is not '{'${why}` };
    }
    const end = objectEnd(record, at);
    if (end === undefined) return { error: `the JSON object at byte ${at} is not closed` };
    objects.push(record.subarray(at, end));
    if (objects.length > MAX_SUB_RECORDS) return tooMany();
    at = end;
  }
  return objects.length > 0 ? objects : { error: "it holds no JSON object" };
}

/**
 * The index after the `}` closing the object that starts at `start`, or undefined when the record ends first.
 * Only braces outside strings count: brackets cannot close an object.
 */
function objectEnd(record: Buffer, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  // Stryker disable next-line EqualityOperator: record[record.length] is undefined, which matches no byte
  for (let i = start; i < record.length; i++) {
    const byte = record[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE) {
      depth++;
    } else if (byte === CLOSE_BRACE && --depth === 0) {
      return i + 1;
    }
  }
  return undefined;
}

/** The parts of `record` between delimiters; empty parts (a trailing delimiter, two in a row) are no records. */
export function splitDelimited(record: Buffer, delimiter: Buffer): Split {
  const parts: Buffer[] = [];
  let start = 0;
  for (;;) {
    const end = record.indexOf(delimiter, start);
    const part = record.subarray(start, end < 0 ? record.length : end);
    if (part.length > 0) parts.push(part);
    if (parts.length > MAX_SUB_RECORDS) return tooMany();
    if (end < 0) break;
    start = end + delimiter.length;
  }
  return parts.length > 0 ? parts : { error: "it holds nothing but delimiters" };
}

function tooMany(): Split {
  return { error: `it holds more than ${MAX_SUB_RECORDS} records, Firehose's cap on de-aggregation` };
}
