// What a replay reads: the failure types the stacks' streams write to the lake, and one failed record as read
// back from its object, with where it came from (the object and its line), so that progress can be recorded
// per record.

/**
 * Values of `!{firehose:error-output-type}` the stacks' error prefixes hold (developer guide), plus
 * `redshift-copy-failed`: our name for the manifests of staged objects Firehose could not COPY (it has no
 * error output type of its own).
 *
 * Every type but `redshift-copy-failed` is replayed by sending its records through the stream again. A
 * processing failure holds the record as the producer sent it; the others hold it after the transform
 * (conversion, jq partitioning, OpenSearch and HTTP delivery run on its output), which is safe to send again
 * because the transform is idempotent (tests/lambda/idempotence.test.ts): a pseudonym is never hashed twice.
 */
export const ERROR_TYPES = [
  "processing-failed",
  "partitioning-failed",
  "format-conversion-failed",
  "AmazonOpenSearchService-failed",
  "http-endpoint-failed",
  "iceberg-failed",
  "redshift-copy-failed",
] as const;

export type ErrorType = (typeof ERROR_TYPES)[number];

export function errorTypeOf(value: string): ErrorType {
  const found = ERROR_TYPES.find((t) => t === value);
  if (!found) {
    throw new Error(`--error-type must be one of ${ERROR_TYPES.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return found;
}

/** One failed record of an error document object. */
export interface FailedRecord {
  /** The lake object holding it. */
  readonly key: string;
  /** Its line in that object, from 0: with `key`, the record's identity across runs. */
  readonly line: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  /** `arrivalTimestamp`, epoch milliseconds, when present. */
  readonly arrivalMs?: number;
  /** The decoded `rawData`. */
  readonly data: Buffer;
}
