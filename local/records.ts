// The records a local delivery stream carries from the endpoint to the lake.

/**
 * A record's data as PutRecordBatch carries it: base64 text, passed on to the transformation event as it is
 * rather than decoded and encoded again, and the size of the bytes it stands for.
 */
export interface RecordData {
  /** Canonical base64: what encoding the bytes gives. */
  readonly base64: string;
  readonly bytes: number;
}

/** A record the endpoint accepted: its id, its data as the producer sent it and when it arrived. */
export interface AcceptedRecord {
  readonly recordId: string;
  readonly data: RecordData;
  readonly arrivalMs: number;
  /** The journal segment that keeps the record until it is in the lake (0: none), and its line there. */
  readonly segment: number;
  readonly line: number;
}

/** The values of `!{firehose:error-output-type}` the local run produces. */
/** `iceberg-failed`: the local run's name for records an Iceberg table could not take (replay/failures.ts). */
export type ErrorOutputType =
  "processing-failed" | "partitioning-failed" | "format-conversion-failed" | "iceberg-failed";

/** A record on its way to the error prefix. */
export interface FailedRecord {
  readonly errorOutputType: ErrorOutputType;
  readonly arrivalMs: number;
  /** The bytes the error document carries in `rawData`. */
  readonly rawData: Buffer;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly attemptsMade: number;
  /** When Firehose gave up on the record (`attemptEndingTimestamp`). */
  readonly attemptEndingMs: number;
  /** The journal segment and line that keep the record until its error document is in the lake. */
  readonly segment: number;
  readonly line: number;
}
