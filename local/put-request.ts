// Reads PutRecord / PutRecordBatch requests and enforces Firehose's limits with the errors the service returns:
// at most 500 records and 4 MiB of data per batch, 1,000 KiB (1,024,000 bytes) per record before base64.
import { ApiError } from "./api-error";
import { RecordData } from "./records";

export const MAX_BATCH_RECORDS = 500;
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;
export const MAX_RECORD_BYTES = 1_024_000;

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,64}$/;

/** Reused for every record, so checking base64 allocates no Buffer per record. Base64 decodes to fewer bytes. */
// Stryker disable next-line ArithmeticOperator: the initial size only decides when the buffer first grows
let scratch = Buffer.allocUnsafe(64 * 1024);

/** The request's `DeliveryStreamName`, checked against the API model. */
export function deliveryStreamNameOf(input: Record<string, unknown>): string {
  const name = input.DeliveryStreamName;
  if (typeof name !== "string") {
    throw validation([
      `Value null at 'deliveryStreamName' failed to satisfy constraint: Member must not be null`,
    ]);
  }
  if (!STREAM_NAME.test(name)) {
    throw validation([
      `Value '${name}' at 'deliveryStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length between 1 and 64`,
    ]);
  }
  return name;
}

/** PutRecordBatch's records, checked; throws the service's errors for each limit. */
export function batchRecordsOf(input: Record<string, unknown>): RecordData[] {
  const records = input.Records;
  if (!Array.isArray(records)) {
    throw validation([`Value null at 'records' failed to satisfy constraint: Member must not be null`]);
  }
  const problems: string[] = [];
  if (records.length < 1 || records.length > MAX_BATCH_RECORDS) {
    problems.push(
      `Value '[${records.length} records]' at 'records' failed to satisfy constraint: Member must have length ${
        records.length === 0 ? "greater than or equal to 1" : `less than or equal to ${MAX_BATCH_RECORDS}`
      }`,
    );
  }
  const decoded = records.map((record, i) => decodeData(record, `records.${i + 1}.member.data`, problems));
  if (problems.length > 0) throw validation(problems);
  // Without problems, every record has data.
  const checked = decoded as RecordData[];
  const total = checked.reduce((sum, data) => sum + data.bytes, 0);
  if (total > MAX_BATCH_BYTES)
    throw new ApiError("InvalidArgumentException", "Records size exceeds 4 MB limit");
  return checked;
}

/** PutRecord's record, checked. */
export function singleRecordOf(input: Record<string, unknown>): RecordData {
  const problems: string[] = [];
  const data = decodeData(input.Record, "record.data", problems);
  if (problems.length > 0) throw validation(problems);
  // Without problems, the record has data.
  return data as RecordData;
}

function decodeData(record: unknown, at: string, problems: string[]): RecordData | undefined {
  const data = (record as { Data?: unknown } | null)?.Data;
  if (typeof data !== "string") {
    problems.push(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  const decoded = base64DataOf(data, at);
  const { bytes } = decoded;
  if (bytes > MAX_RECORD_BYTES) {
    // The service prints the Java buffer it received.
    problems.push(
      `Value 'java.nio.HeapByteBuffer[pos=0 lim=${bytes} cap=${bytes}]' at '${at}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_RECORD_BYTES}`,
    );
  }
  return decoded;
}

/**
 * A blob member's base64 text as record data (the AWS JSON protocols send blobs as base64), in canonical form;
 * throws the services' SerializationException for text that is not base64. Kinesis uses it too.
 */
export function base64DataOf(data: string, at: string): RecordData {
  // Stryker disable next-line EqualityOperator: growing at an equal size too changes only allocations
  if (data.length > scratch.length) scratch = Buffer.allocUnsafe(data.length);
  const bytes = scratch.write(data, 0, "base64");
  // Node skips characters that are not base64, so a short result means the text was not valid base64. A length
  // that is no multiple of 4 needs no check of its own: it makes the expected size a fraction, which no size is.
  const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  if (bytes !== (data.length / 4) * 3 - padding) {
    throw new ApiError("SerializationException", `Base64 encoded value at '${at}' is not valid base64`);
  }
  return { base64: isCanonical(data, bytes) ? data : scratch.toString("base64", 0, bytes), bytes };
}

/** Each base64 character's six bits, by character code. */
const SEXTETS = new Uint8Array(128);
[..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].forEach((c, i) => {
  SEXTETS[c.charCodeAt(0)] = i;
});

/**
 * Whether valid base64 `data` of `bytes` bytes is what encoding them gives. Node also reads the URL-safe
 * alphabet, and the character before the padding may set bits that padding drops; apart from those, every
 * group of four characters encodes its three bytes one way only. Checked without encoding (profiled: encoding
 * the last group took a third of checking a batch's records). Answering false where true is right only costs
 * encoding the bytes again, which gives the same text: the mutants disabled below are equivalent.
 */
// Stryker disable next-line BlockStatement: answers undefined, that is false (see above)
function isCanonical(data: string, bytes: number): boolean {
  // Stryker disable next-line ConditionalExpression,StringLiteral: see above
  if (data.includes("-") || data.includes("_")) return false;
  const padding = (3 - (bytes % 3)) % 3;
  // Stryker disable next-line ConditionalExpression,BooleanLiteral: see above
  if (padding === 0) return true;
  const dropped = padding === 1 ? 0b11 : 0b1111;
  // Stryker disable next-line ConditionalExpression: see above
  return (SEXTETS[data.charCodeAt(data.length - padding - 1)] & dropped) === 0;
}

function validation(problems: string[]): ApiError {
  const count = problems.length;
  return new ApiError(
    "ValidationException",
    `${count} validation error${count === 1 ? "" : "s"} detected: ${problems.join("; ")}`,
  );
}
