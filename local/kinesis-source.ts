// The Kinesis data stream a Kinesis-sourced stack's delivery streams read (prod's `source.type: kinesis`), so that
// producers of such a stack use the Kinesis API locally as they will on AWS: PutRecord and PutRecords, with the
// service's limits and errors, fanned out to every delivery stream that reads the stream. Firehose itself refuses
// Direct PUT to those delivery streams (endpoint.ts). One shard; no reads by consumers other than the streams.
import { ApiError } from "./api-error";
import { EndpointStream, PutEntry } from "./endpoint";
import { base64DataOf } from "./put-request";
import { RecordData } from "./records";

export const MAX_KINESIS_RECORDS = 500;
/** Data plus partition key, per record and per PutRecords call (Kinesis Data Streams API reference). */
export const MAX_KINESIS_RECORD_BYTES = 1024 * 1024;
export const MAX_KINESIS_REQUEST_BYTES = 5 * 1024 * 1024;
const SHARD_ID = "shardId-000000000000";

/** What PutRecords answers for one record. */
export type KinesisEntry =
  | { readonly SequenceNumber: string; readonly ShardId: string }
  | {
      readonly ErrorCode: "ProvisionedThroughputExceededException" | "InternalFailure";
      readonly ErrorMessage: string;
    };

export interface KinesisRecord {
  readonly data: RecordData;
  readonly partitionKey: string;
}

export class LocalKinesisSource {
  /** Sequence numbers grow with every record, as in a shard. */
  private sequence = 10n ** 20n;

  constructor(
    readonly name: string,
    readonly arn: string,
    private readonly readers: readonly EndpointStream[],
  ) {}

  /**
   * Puts records to the stream: every delivery stream that reads it takes them. A record one of them could not
   * take fails (the producer retries it, and a reader that took it may see it twice: at least once, as Kinesis
   * with a retrying producer).
   */
  async put(records: readonly KinesisRecord[]): Promise<KinesisEntry[]> {
    const taken = await Promise.all(this.readers.map((reader) => reader.put(records.map((r) => r.data))));
    return records.map((_, i): KinesisEntry => {
      const failed = taken
        .map((entries) => entries[i])
        .find((e): e is Extract<PutEntry, { ErrorCode: string }> => "ErrorCode" in e);
      if (failed) {
        return failed.ErrorCode === "ServiceUnavailableException"
          ? {
              ErrorCode: "ProvisionedThroughputExceededException",
              ErrorMessage: "Rate exceeded for shard " + SHARD_ID,
            }
          : { ErrorCode: "InternalFailure", ErrorMessage: failed.ErrorMessage };
      }
      this.sequence += 1n;
      return { SequenceNumber: this.sequence.toString(), ShardId: SHARD_ID };
    });
  }
}

/** A PutRecords request's records, checked as Kinesis checks them; throws the service's errors. */
export function kinesisRecordsOf(request: Record<string, unknown>): KinesisRecord[] {
  const records = request.Records;
  if (!Array.isArray(records) || records.length < 1 || records.length > MAX_KINESIS_RECORDS) {
    throw new ApiError(
      "ValidationException",
      `1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length between 1 and ${MAX_KINESIS_RECORDS}`,
    );
  }
  const parsed = records.map((record, i) =>
    kinesisRecordOf(record as Record<string, unknown>, `records.${i + 1}.member`),
  );
  const total = parsed.reduce((sum, r) => sum + r.data.bytes + Buffer.byteLength(r.partitionKey), 0);
  if (total > MAX_KINESIS_REQUEST_BYTES) {
    throw new ApiError("InvalidArgumentException", `Records size exceeds 5 MB limit, got ${total} bytes`);
  }
  return parsed;
}

/** One record (PutRecord's request, or one of PutRecords'), checked. */
export function kinesisRecordOf(record: Record<string, unknown>, at: string): KinesisRecord {
  const key = record.PartitionKey;
  if (typeof key !== "string" || key.length < 1 || key.length > 256) {
    throw new ApiError(
      "ValidationException",
      `1 validation error detected: Value '${String(key)}' at '${at}.partitionKey' failed to satisfy constraint: Member must have length between 1 and 256`,
    );
  }
  if (typeof record.Data !== "string") {
    throw new ApiError(
      "ValidationException",
      `1 validation error detected: Value null at '${at}.data' failed to satisfy constraint: Member must not be null`,
    );
  }
  const data = base64DataOf(record.Data, `${at}.data`);
  if (data.bytes + Buffer.byteLength(key) > MAX_KINESIS_RECORD_BYTES) {
    throw new ApiError(
      "ValidationException",
      `1 validation error detected: Value at '${at}.data' failed to satisfy constraint: Member must have length less than or equal to ${MAX_KINESIS_RECORD_BYTES}`,
    );
  }
  return { data, partitionKey: key };
}
