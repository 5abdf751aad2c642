import { FirehoseTransformationResultRecord } from "aws-lambda";

/** Lambda's synchronous response limit (6 MB). The runtime's real cut-off is 100 bytes higher. */
export const LAMBDA_RESPONSE_LIMIT_BYTES = 6 * 1024 * 1024;

/** `{"records":[` and `]}`; entries are separated by one comma each. */
export const RESPONSE_ENVELOPE_BYTES = '{"records":[]}'.length;

const PLAIN_JSON_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** `"recordId":` and the comma after the member, without the id. */
const RECORD_ID_MEMBER_BYTES = '"recordId":,'.length;

/** UTF-8 bytes of a string as JSON.stringify writes it, quotes included. */
export function jsonStringBytes(value: string): number {
  // Stryker disable next-line StringLiteral: Node.js reads an empty encoding as UTF-8, the default
  return PLAIN_JSON_STRING.test(value) ? value.length + 2 : Buffer.byteLength(JSON.stringify(value), "utf8");
}

/**
 * Bytes of `"recordId":<id>,` in an entry. Computed once per record: it is the only part of an entry whose size
 * depends on input. An id JSON cannot hold (undefined in a malformed event) is left out by JSON.stringify.
 */
export function recordIdMemberBytes(recordId: unknown): number {
  // Stryker disable next-line StringLiteral: a fast path, the general one below counts the same
  if (typeof recordId === "string") return RECORD_ID_MEMBER_BYTES + jsonStringBytes(recordId);
  const text = JSON.stringify(recordId) as string | undefined;
  // Stryker disable next-line StringLiteral: Node.js reads an empty encoding as UTF-8, the default
  return text === undefined ? 0 : RECORD_ID_MEMBER_BYTES + Buffer.byteLength(text, "utf8");
}

/**
 * Bytes `,"metadata":{"partitionKeys":{...}}` adds to an entry. Names and values need no JSON escaping by
 * construction (names are validated identifiers, values are escaped to `[A-Za-z0-9_.%-]`), so lengths are bytes.
 */
export function metadataBytes(partitionKeys: { readonly [name: string]: string }): number {
  let bytes = ',"metadata":{"partitionKeys":{}}'.length;
  let separators = -1;
  for (const name in partitionKeys) {
    bytes += name.length + partitionKeys[name].length + '"":""'.length;
    separators++;
  }
  return bytes + Math.max(0, separators);
}

/**
 * UTF-8 bytes of one response entry as the Lambda runtime serialises it (JSON.stringify, keys in the order
 * recordId, result, data, metadata), without building the JSON text.
 */
export function entryBytes(
  entry: FirehoseTransformationResultRecord,
  idMemberBytes: number = recordIdMemberBytes(entry.recordId),
): number {
  let bytes = '{"result":""}'.length + idMemberBytes + entry.result.length;
  // data is base64: ASCII that JSON needs no escapes for.
  if (entry.data !== undefined) bytes += ',"data":""'.length + entry.data.length;
  if (entry.metadata !== undefined) bytes += metadataBytes(entry.metadata.partitionKeys);
  return bytes;
}

/** Bytes of the whole response given the sum of its entries' bytes. */
export function responseBytes(entryCount: number, entriesBytes: number): number {
  return RESPONSE_ENVELOPE_BYTES + Math.max(0, entryCount - 1) + entriesBytes;
}
