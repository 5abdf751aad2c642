// Sends records like a good Firehose producer: PutRecordBatch calls of at most 500 records and 4 MiB (and at
// most one second's worth at the rate limit), records over 1,000 KiB refused before sending (never
// truncated), only the entries a call reports as failed sent again, with exponential backoff and full jitter
// while the service throttles, and a rate limit in bytes per second.
import { FirehoseClient, PutRecordBatchCommand } from "@aws-sdk/client-firehose";
import { KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { randomUUID } from "node:crypto";
import { namePrefixOf, sourceStreamNameOf, streamNameOf } from "../config/naming";
import { StackSettings } from "../config/settings";
import { wrapForReplay } from "../lambda/transform/replay-envelope";
import {
  MAX_KINESIS_RECORD_BYTES,
  MAX_KINESIS_RECORDS,
  MAX_KINESIS_REQUEST_BYTES,
} from "../local/kinesis-source";
import { MAX_BATCH_BYTES, MAX_BATCH_RECORDS, MAX_RECORD_BYTES } from "../local/put-request";

/** One PutRecordBatch-like call: per record, undefined when accepted or the reason it was not. */
export interface RecordSink {
  readonly target: string;
  put(records: readonly Buffer[]): Promise<(string | undefined)[]>;
}

/** Call-level errors worth retrying: the service is busy or the network blinked. */
const RETRYABLE = new Set([
  "ServiceUnavailableException",
  "ThrottlingException",
  "LimitExceededException",
  "InternalFailure",
  "InternalServerError",
  "TimeoutError",
  "RequestTimeout",
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
]);

export function isRetryable(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $retryable?: unknown };
  return RETRYABLE.has(e.name ?? "") || RETRYABLE.has(e.code ?? "") || e.$retryable !== undefined;
}

export function firehoseSink(client: FirehoseClient, streamName: string): RecordSink {
  return {
    target: streamName,
    put: async (records) => {
      const out = await client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: streamName,
          Records: records.map((Data) => ({ Data })),
        }),
      );
      const responses = out.RequestResponses ?? [];
      return records.map((_, i) => {
        const r = responses[i];
        if (!r) return "no answer for this record";
        return r.ErrorCode ? `${r.ErrorCode}: ${r.ErrorMessage ?? ""}` : undefined;
      });
    },
  };
}

/** A partition key per record, as a producer spreading records over shards would: a UUID, counted by Kinesis. */
const PARTITION_KEY_BYTES = 36;
/** Room for the envelope's JSON around the record's base64 (key, a stream name of at most 64 characters). */
const ENVELOPE_OVERHEAD_BYTES = 128;

/**
 * The largest record a replay sends: PutRecordBatch's 1,000 KiB, or, into a Kinesis source, what still fits one
 * Kinesis record (1 MiB with its partition key) once wrapped in its envelope (base64: 4 bytes per 3).
 */
export function maxReplayRecordBytes(settings: Pick<StackSettings, "source">): number {
  if (settings.source.type !== "kinesis") return MAX_RECORD_BYTES;
  return Math.floor((MAX_KINESIS_RECORD_BYTES - PARTITION_KEY_BYTES - ENVELOPE_OVERHEAD_BYTES) / 4) * 3;
}

/**
 * Into a Kinesis-sourced stack: each record wrapped in an envelope for `deliveryStream` (the transform of every
 * other stream reading the source drops it), put to the source with PutRecords, in as many calls as Kinesis's
 * 500 records and 5 MiB per call need.
 */
export function kinesisSink(client: KinesisClient, sourceStream: string, deliveryStream: string): RecordSink {
  return {
    target: `${sourceStream} (for ${deliveryStream})`,
    put: async (records) => {
      const wrapped = records.map((r) => wrapForReplay(deliveryStream, r));
      const answers: (string | undefined)[] = [];
      for (let start = 0; start < wrapped.length;) {
        let end = start;
        let bytes = 0;
        while (
          end < wrapped.length &&
          end - start < MAX_KINESIS_RECORDS &&
          bytes + wrapped[end].length + PARTITION_KEY_BYTES <= MAX_KINESIS_REQUEST_BYTES
        ) {
          bytes += wrapped[end++].length + PARTITION_KEY_BYTES;
        }
        const out = await client.send(
          new PutRecordsCommand({
            StreamName: sourceStream,
            Records: wrapped.slice(start, end).map((Data) => ({ Data, PartitionKey: randomUUID() })),
          }),
        );
        for (let i = 0; i < end - start; i++) {
          const r = out.Records?.[i];
          answers.push(
            !r
              ? "no answer for this record"
              : r.ErrorCode
                ? `${r.ErrorCode}: ${r.ErrorMessage ?? ""}`
                : undefined,
          );
        }
        start = end;
      }
      return answers;
    },
  };
}

/**
 * Where a pipeline's records go back in: its delivery stream (Direct PUT), or, in a Kinesis-sourced stack, the
 * source, each record in an envelope for that pipeline's stream.
 */
export function pipelineSink(
  settings: Pick<StackSettings, "project" | "stack" | "source">,
  clients: { readonly firehose: FirehoseClient; readonly kinesis?: KinesisClient },
  pipeline: string,
): RecordSink {
  const stream = streamNameOf(settings, pipeline);
  if (settings.source.type !== "kinesis") return firehoseSink(clients.firehose, stream);
  if (!clients.kinesis)
    throw new Error(`stack ${settings.stack} reads a Kinesis source: a Kinesis client is needed`);
  return kinesisSink(clients.kinesis, sourceStreamNameOf(namePrefixOf(settings)), stream);
}

export interface Outgoing<T> {
  readonly data: Buffer;
  readonly ref: T;
}

/** Consecutive batches within the API's limits and `maxBytes`; larger records must be set aside first. */
export function* batchesOf<T>(
  records: Iterable<Outgoing<T>>,
  maxBytes = MAX_BATCH_BYTES,
): Generator<Outgoing<T>[]> {
  let batch: Outgoing<T>[] = [];
  let bytes = 0;
  for (const record of records) {
    if (batch.length > 0 && (batch.length === MAX_BATCH_RECORDS || bytes + record.data.length > maxBytes)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(record);
    bytes += record.data.length;
  }
  if (batch.length > 0) yield batch;
}

export interface RetryPolicy {
  readonly attempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 8,
  baseMs: 100,
  maxMs: 10_000,
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Full jitter: a random wait up to base × 2^attempt, capped. */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.floor(policy.random() * Math.min(policy.maxMs, policy.baseMs * 2 ** attempt));
}

/**
 * Sends one batch: after each call, `acknowledged` gets the records it took; records still failing after the
 * last attempt are returned with their last reason. A call-level error that retrying cannot fix is thrown.
 */
export async function sendBatch<T>(
  sink: RecordSink,
  batch: readonly Outgoing<T>[],
  acknowledged: (records: Outgoing<T>[]) => Promise<void>,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<{ record: Outgoing<T>; reason: string }[]> {
  let todo = batch.map((record) => ({ record, reason: "" }));
  for (let attempt = 0; attempt < policy.attempts && todo.length > 0; attempt++) {
    if (attempt > 0) await policy.sleep(backoffMs(policy, attempt));
    let answers: (string | undefined)[];
    try {
      answers = await sink.put(todo.map((t) => t.record.data));
    } catch (err) {
      if (!isRetryable(err)) throw new SendError(sink.target, err);
      todo = todo.map((t) => ({ ...t, reason: errorText(err) }));
      continue;
    }
    await acknowledged(todo.filter((_, i) => answers[i] === undefined).map((t) => t.record));
    todo = todo.flatMap((t, i) => {
      const reason = answers[i];
      return reason === undefined ? [] : [{ ...t, reason }];
    });
  }
  return todo;
}

export class SendError extends Error {
  constructor(target: string, cause: unknown) {
    super(`sending to ${target} failed: ${errorText(cause)}`);
  }
}

function errorText(err: unknown): string {
  const e = err as { name?: string; message?: string };
  return e.name && e.message ? `${e.name}: ${e.message}` : String(err);
}

/** Holds the average rate to `bytesPerSecond` by waiting before a call that would exceed it. */
export class RateLimit {
  private readonly startMs: number;
  private bytes = 0;

  constructor(
    private readonly bytesPerSecond: number | undefined,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = DEFAULT_RETRY.sleep,
  ) {
    this.startMs = now();
  }

  /** One second's worth of bytes, the largest batch that keeps the rate smooth (at least one record). */
  get batchBytes(): number {
    return this.bytesPerSecond === undefined
      ? MAX_BATCH_BYTES
      : Math.min(MAX_BATCH_BYTES, this.bytesPerSecond);
  }

  async take(bytes: number): Promise<void> {
    if (this.bytesPerSecond !== undefined) {
      const wait = this.startMs + (this.bytes / this.bytesPerSecond) * 1000 - this.now();
      if (wait > 0) await this.sleep(wait);
    }
    this.bytes += bytes;
  }
}
