import { isJsonObject, JsonObject } from "./json";
import { losesNumberPrecision } from "./number-precision";

export type DecodeFailure =
  "missing_data" | "invalid_utf8" | "invalid_json" | "not_an_object" | "number_precision";

/** The record, or why it is not one (a string, so the common case allocates no wrapper). */
export type Decoded = JsonObject | DecodeFailure;

// fatal: invalid UTF-8 is an error instead of being replaced by U+FFFD. A leading BOM is skipped (WHATWG default).
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Reused for every record, so decoding allocates no Buffer per record. Base64 decodes to fewer bytes than chars. */
// Stryker disable next-line ArithmeticOperator: the first size only saves early reallocations; the buffer grows as needed.
let scratch = Buffer.allocUnsafe(64 * 1024);

/** Decodes a Firehose record's base64 `data` into a JSON object, strictly: any doubt is a failure with a reason. */
export function decodeRecordData(data: unknown): Decoded {
  if (typeof data !== "string") return "missing_data";
  let text: string;
  try {
    if (data.length > scratch.length) scratch = Buffer.allocUnsafe(data.length);
    text = utf8.decode(scratch.subarray(0, scratch.write(data, 0, "base64")));
  } catch {
    return "invalid_utf8";
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "invalid_json";
  }
  if (!isJsonObject(value)) return "not_an_object";
  if (losesNumberPrecision(value, text)) return "number_precision";
  return value;
}
