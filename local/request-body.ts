// Request bodies as JSON. A batch of 500 records is about 180 KB, and a string over 128 KiB is a V8 large
// object, allocated and released per request: measured, making it took 190 µs of the 280 µs that reading a
// batch cost. The body PutRecordBatch usually sends is therefore read piece by piece into small strings.
import { isAscii } from "node:buffer";
import { ApiError } from "./api-error";

/** `{"DeliveryStreamName":"<name>","Records":[{"Data":"<base64>"},...]}`, as the AWS SDKs write it. */
const START = Buffer.from('{"DeliveryStreamName":"');
const RECORDS = Buffer.from('","Records":[');
const RECORD = Buffer.from('{"Data":"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
/** JSON forbids control characters in strings; the name is checked, record data is not (see below). */
const PRINTABLE = /^[\x20-\x7e]*$/;

/** The body's JSON object, or the service's SerializationException. */
export function jsonObjectOf(body: Buffer): Record<string, unknown> {
  let input: unknown;
  try {
    input = JSON.parse(body.length === 0 ? "{}" : body.toString("utf8"));
  } catch {
    throw new ApiError("SerializationException", "the request body is not valid JSON");
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ApiError("SerializationException", "the request body must be a JSON object");
  }
  return input as Record<string, unknown>;
}

/**
 * A PutRecordBatch body in the SDKs' layout, read without one string of it: what `JSON.parse` gives whenever
 * the body is valid JSON; `undefined` for any other body (read it with `jsonObjectOf`). Only ASCII bodies
 * without escapes qualify, so every string is its bytes as they are. Record data is not searched for control
 * characters: such data is not base64 either, so the caller must answer a rejected request with
 * `jsonObjectOf`'s error when the body is not valid JSON.
 */
export function usualPutRecordBatch(body: Buffer): Record<string, unknown> | undefined {
  if (!isAscii(body) || body.includes(BACKSLASH) || !startsWith(body, 0, START)) return undefined;
  let end = body.indexOf(QUOTE, START.length);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: startsWith(body, -1, RECORDS) fails too
  if (end < 0) return undefined;
  const name = body.toString("latin1", START.length, end);
  if (!PRINTABLE.test(name) || !startsWith(body, end, RECORDS)) return undefined;
  const records: { Data: string }[] = [];
  let at = end + RECORDS.length;
  for (;;) {
    if (!startsWith(body, at, RECORD)) return undefined;
    at += RECORD.length;
    end = body.indexOf(QUOTE, at);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: body[0], the next check's byte, is '{'
    if (end < 0) return undefined;
    if (body[end + 1] !== CLOSE_BRACE) return undefined;
    records.push({ Data: body.toString("latin1", at, end) });
    at = end + 2;
    if (body[at] === COMMA) {
      at++;
      continue;
    }
    const last = body[at] === CLOSE_BRACKET && body[at + 1] === CLOSE_BRACE && at + 2 === body.length;
    return last ? { DeliveryStreamName: name, Records: records } : undefined;
  }
}

/** Past its end, `body` has undefined bytes, which match none. */
function startsWith(body: Buffer, at: number, expected: Buffer): boolean {
  for (let i = 0; i < expected.length; i++) if (body[at + i] !== expected[i]) return false;
  return true;
}
