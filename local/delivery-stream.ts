// One delivery stream run locally: records accepted by the endpoint are buffered for the transform like
// Firehose's Lambda processor does, transformed, given their partition keys, buffered per partition and written
// to the local lake as Firehose would name and encode them. Failed records become error documents under the
// error prefix. Nothing is lost on close: every buffer is flushed and every write awaited.
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { Split } from "./deaggregation";
import { EndpointStream, PutEntry } from "./endpoint";
import { ErrorDocumentContext, errorDocumentLine } from "./error-document";
import { gzipObject } from "./gzip-object";
import { LakeStore } from "./lake-store";
import { MetadataExtractor } from "./metadata-extraction";
import { BufferLimits, ObjectBuffer, ObjectBuffers } from "./object-buffers";
import { objectKey } from "./object-key";
import { ParquetColumn, ParquetCompression, rowOf, writeParquet } from "./parquet-object";
import { MissingPartitionKeyError, Prefix } from "./prefix";
import { PutQuota } from "./put-quota";
import { ArrivedRecord, RecordBytes } from "./record-bytes";
import { AcceptedRecord, FailedRecord, RecordData } from "./records";
import { invokeTransform, TransformOutcome } from "./transform-invocation";
import { TransformHandler } from "./transform-bundle";

/** Writes in flight beyond this many (uncompressed) bytes make PutRecordBatch wait: backpressure. */
const MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;

export type StreamOutput =
  | { readonly format: "json"; readonly compression: "GZIP" | "UNCOMPRESSED" }
  | {
      readonly format: "parquet";
      readonly columns: readonly ParquetColumn[];
      readonly compression: ParquetCompression;
    };

export interface DeliveryStreamConfig {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  /** DescribeDeliveryStream's answer. */
  readonly description: Record<string, unknown>;
  readonly encrypted: boolean;
  readonly sourceKinesisStreamArn?: string;
  /** Multi-record de-aggregation, when the stream has it: what splits a record before the transform. */
  readonly deaggregation?: { readonly subRecordType: string; readonly split: (record: Buffer) => Split };
  readonly transform: {
    readonly handler: TransformHandler;
    readonly buffer: BufferLimits;
    readonly retries: number;
  };
  readonly prefix: Prefix;
  readonly errorOutputPrefix: Prefix;
  /** The inline parser, when the stream partitions with `partitionKeyFromQuery`. */
  readonly extractor?: MetadataExtractor;
  readonly buffer: BufferLimits;
  readonly output: StreamOutput;
  readonly store: LakeStore;
  readonly errorDocuments: ErrorDocumentContext;
  readonly putQuotaBytesPerSecond?: number;
}

/** An object the stream wrote. */
export interface WrittenObject {
  readonly key: string;
  readonly kind: "data" | "error";
  readonly records: number;
  readonly bytes: number;
}

export interface StreamCounts {
  readonly received: number;
  /** Bytes of the received records' data. */
  readonly receivedBytes: number;
  readonly throttled: number;
  /** Records de-aggregation added: the records it made, less the records it split. */
  readonly added: number;
  readonly dropped: number;
  readonly delivered: number;
  readonly failed: number;
  /** Accepted, not yet in an object nor dropped. */
  readonly buffered: number;
  /** Failed records by `<error output type> <error code>`. */
  readonly failures: ReadonlyMap<string, number>;
}

export class LocalDeliveryStream implements EndpointStream {
  readonly name: string;
  readonly encrypted: boolean;
  readonly written: WrittenObject[] = [];

  private pending: AcceptedRecord[] = [];
  private pendingBytes = 0;
  private pendingSince = 0;
  private readonly dataBuffers: ObjectBuffers<ArrivedRecord, RecordBytes>;
  private readonly errorBuffers: ObjectBuffers<FailedRecord, FailedRecord[]>;
  /** Processing steps run one at a time, in arrival order. */
  private chain: Promise<void> = Promise.resolve();
  private readonly writes = new Set<Promise<void>>();
  private inFlightBytes = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly quota?: PutQuota;
  private readonly idPrefix = BigInt(`0x${randomBytes(16).toString("hex")}`)
    .toString()
    .padStart(39, "0")
    .slice(0, 36);
  private sequence = 0;
  private closing = false;
  private readonly tally = {
    received: 0,
    receivedBytes: 0,
    throttled: 0,
    added: 0,
    dropped: 0,
    delivered: 0,
    failed: 0,
  };
  private readonly failures = new Map<string, number>();
  /** The partition keys the prefix uses: records with equal values share a buffer. */
  private readonly keysFromQuery: readonly string[];
  private readonly keysFromLambda: readonly string[];

  constructor(private readonly config: DeliveryStreamConfig) {
    this.name = config.name;
    this.encrypted = config.encrypted;
    this.dataBuffers = new ObjectBuffers(config.buffer, () => new RecordBytes(config.buffer.sizeBytes));
    this.errorBuffers = new ObjectBuffers(config.buffer, (): FailedRecord[] => []);
    this.keysFromQuery = config.prefix.partitionKeys("fromQuery");
    this.keysFromLambda = config.prefix.partitionKeys("fromLambda");
    if (config.putQuotaBytesPerSecond) this.quota = new PutQuota(config.putQuotaBytesPerSecond);
    const shortest = Math.min(config.buffer.intervalMs, config.transform.buffer.intervalMs);
    this.timer = setInterval(() => this.tick(), Math.max(10, Math.min(1000, shortest / 10)));
    this.timer.unref();
  }

  description(): Record<string, unknown> {
    return this.config.description;
  }

  counts(): StreamCounts {
    const { received, added, dropped, delivered, failed } = this.tally;
    return {
      ...this.tally,
      buffered: received + added - dropped - delivered - failed,
      failures: new Map(this.failures),
    };
  }

  async put(records: readonly RecordData[]): Promise<PutEntry[]> {
    const arrivalMs = Date.now();
    const { deaggregation } = this.config;
    const entries: PutEntry[] = records.map((data) => {
      if (this.closing)
        return { ErrorCode: "ServiceUnavailableException", ErrorMessage: "The stream is shutting down." };
      if (this.quota && !this.quota.take(data.bytes)) {
        this.tally.throttled++;
        return { ErrorCode: "ServiceUnavailableException", ErrorMessage: "Slow down." };
      }
      const recordId = this.nextRecordId();
      this.tally.received++;
      this.tally.receivedBytes += data.bytes;
      if (deaggregation) this.acceptPacked(data, arrivalMs, deaggregation);
      else this.accept({ recordId, data, arrivalMs });
      return { RecordId: recordId };
    });
    if (this.pendingBytes >= this.config.transform.buffer.sizeBytes) {
      await this.serially(() => this.processPending(false));
    }
    while (this.inFlightBytes > MAX_IN_FLIGHT_BYTES) await Promise.race(this.writes);
    return entries;
  }

  /** Firehose's record ids: 56 digits, unique per stream. */
  private nextRecordId(): string {
    return `${this.idPrefix}${String(++this.sequence).padStart(20, "0")}`;
  }

  /** Queues a record for the transform. */
  private accept(record: AcceptedRecord): void {
    if (this.pending.length === 0) this.pendingSince = Date.now();
    this.pending.push(record);
    this.pendingBytes += record.data.bytes;
  }

  /**
   * De-aggregates a record: each record it holds goes to the transform with an id of its own. One that cannot be
   * split goes to the error prefix whole, as a partitioning failure (Firehose documents no code of its own).
   */
  private acceptPacked(
    data: RecordData,
    arrivalMs: number,
    { subRecordType, split }: NonNullable<DeliveryStreamConfig["deaggregation"]>,
  ): void {
    const bytes = Buffer.from(data.base64, "base64");
    const records = split(bytes);
    if ("error" in records) {
      this.fail({
        errorOutputType: "partitioning-failed",
        arrivalMs,
        rawData: bytes,
        errorCode: "DynamicPartitioning.MetadataExtractionFailed",
        errorMessage: `The record could not be de-aggregated as ${subRecordType}: ${records.error}.`,
        attemptsMade: 1,
        attemptEndingMs: Date.now(),
      });
      return;
    }
    this.tally.added += records.length - 1;
    for (const record of records) {
      this.accept({
        recordId: this.nextRecordId(),
        data: { base64: record.toString("base64"), bytes: record.length },
        arrivalMs,
      });
    }
  }

  /** Flushes every buffer and waits for every write; the stream accepts nothing afterwards. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.timer);
    await this.serially(async () => {
      await this.processPending(true);
      for (const buffer of this.dataBuffers.takeDue(Date.now(), true)) this.deliverData(buffer);
      // Parquet conversion failures join the error buffers as the data buffers are delivered, so errors go last.
      for (const buffer of this.errorBuffers.takeDue(Date.now(), true)) this.deliverErrors(buffer);
    });
    // A Parquet write that fails fails its records, which opens error buffers again.
    while (this.writes.size > 0) {
      await Promise.all(this.writes);
      for (const buffer of this.errorBuffers.takeDue(Date.now(), true)) this.deliverErrors(buffer);
    }
  }

  private tick(): void {
    const now = Date.now();
    void this.serially(async () => {
      if (this.pending.length > 0 && now - this.pendingSince >= this.config.transform.buffer.intervalMs) {
        await this.processPending(true);
      }
      for (const buffer of this.dataBuffers.takeDue(now)) this.deliverData(buffer);
      for (const buffer of this.errorBuffers.takeDue(now)) this.deliverErrors(buffer);
    });
  }

  /** Runs `step` after the steps before it. A failing step is a bug in the local run: it is logged, not thrown. */
  private serially(step: () => Promise<void>): Promise<void> {
    this.chain = this.chain
      .then(step)
      .catch((err: unknown) => console.error(`[${this.name}] processing failed:`, err));
    return this.chain;
  }

  /** Invokes the transform on full processor buffers (and on what is left, when `all`). */
  private async processPending(all: boolean): Promise<void> {
    const limit = this.config.transform.buffer.sizeBytes;
    while (this.pending.length > 0 && (all || this.pendingBytes >= limit)) {
      let bytes = 0;
      let count = 0;
      while (
        count < this.pending.length &&
        (count === 0 || bytes + this.pending[count].data.bytes <= limit)
      ) {
        bytes += this.pending[count++].data.bytes;
      }
      const batch = this.pending.slice(0, count);
      this.pending = this.pending.slice(count);
      this.pendingBytes -= bytes;
      this.pendingSince = Date.now();
      await this.processBatch(batch);
    }
  }

  private async processBatch(batch: AcceptedRecord[]): Promise<void> {
    const { transform, extractor } = this.config;
    const outcomes = await invokeTransform(batch, {
      handler: transform.handler,
      streamArn: this.config.arn,
      region: this.config.region,
      retries: transform.retries,
      sourceKinesisStreamArn: this.config.sourceKinesisStreamArn,
    });
    const ok: { record: AcceptedRecord; outcome: Extract<TransformOutcome, { result: "Ok" }> }[] = [];
    outcomes.forEach((outcome, i) => {
      const record = batch[i];
      if (outcome.result === "Dropped") this.tally.dropped++;
      else if (outcome.result === "Ok") ok.push({ record, outcome });
      else
        this.fail({
          errorOutputType: "processing-failed",
          arrivalMs: record.arrivalMs,
          rawData: Buffer.from(record.data.base64, "base64"),
          errorCode: outcome.errorCode,
          errorMessage: outcome.errorMessage,
          attemptsMade: outcome.attemptsMade,
          attemptEndingMs: Date.now(),
        });
    });
    const extracted = extractor
      ? await extractor
          .extract(ok.map((o) => o.outcome.data))
          .catch((err: unknown) =>
            ok.map(() => ({ ok: false as const, message: `jq failed: ${String(err)}` })),
          )
      : undefined;
    ok.forEach(({ record, outcome }, i) => {
      const fromQuery = extracted?.[i];
      if (fromQuery && !fromQuery.ok) {
        this.failPartitioning(record, outcome.data, fromQuery.message);
        return;
      }
      this.route(record, outcome.data, fromQuery?.keys, outcome.partitionKeys);
    });
  }

  private route(
    record: AcceptedRecord,
    data: Buffer,
    keysFromQuery: Readonly<Record<string, string>> | undefined,
    keysFromLambda: Readonly<Record<string, string>> | undefined,
  ): void {
    const { prefix } = this.config;
    // A buffer per combination of key values.
    const fromQuery = partitionOf(this.keysFromQuery, keysFromQuery, "partitionKeyFromQuery");
    const fromLambda = partitionOf(this.keysFromLambda, keysFromLambda, "partitionKeyFromLambda");
    const missing = typeof fromQuery === "string" ? fromLambda : fromQuery;
    if (typeof missing !== "string") {
      this.failPartitioning(record, data, missing.message);
      return;
    }
    const partition = `${fromQuery as string}${fromLambda as string}`;
    let full: ObjectBuffer<RecordBytes> | undefined;
    try {
      full = this.dataBuffers.add(
        partition,
        { data, arrivalMs: record.arrivalMs },
        data.length,
        record.arrivalMs,
        () => prefix.evaluate({ arrivalMs: record.arrivalMs, keysFromQuery, keysFromLambda }),
      );
    } catch (err) {
      // The evaluated prefix is over Firehose's 512 characters.
      this.failPartitioning(record, data, (err as Error).message);
      return;
    }
    if (full) this.deliverData(full);
  }

  /** Firehose's one documented code for partitioning failures; the message says what went wrong. */
  private failPartitioning(record: AcceptedRecord, data: Buffer, errorMessage: string): void {
    this.fail({
      errorOutputType: "partitioning-failed",
      arrivalMs: record.arrivalMs,
      rawData: data,
      errorCode: "DynamicPartitioning.MetadataExtractionFailed",
      errorMessage,
      attemptsMade: 1,
      attemptEndingMs: Date.now(),
    });
  }

  private fail(failed: FailedRecord): void {
    const full = this.errorBuffers.add(
      failed.errorOutputType,
      failed,
      failed.rawData.length,
      failed.arrivalMs,
      () =>
        this.config.errorOutputPrefix.evaluate({
          arrivalMs: failed.arrivalMs,
          errorOutputType: failed.errorOutputType,
        }),
    );
    if (full) this.deliverErrors(full);
  }

  private deliverData(buffer: ObjectBuffer<RecordBytes>): void {
    const { output } = this.config;
    if (output.format === "json") {
      const body = buffer.items.body();
      const gzipped = output.compression === "GZIP";
      const key = objectKey(buffer.prefix, this.name, buffer.oldestArrivalMs, gzipped ? ".gz" : "");
      this.track(buffer.bytes, async () => {
        const bytes = gzipped ? await gzipObject(body) : body;
        await this.config.store.put(key, bytes);
        this.record({ key, kind: "data", records: buffer.items.length, bytes: bytes.length });
      });
      return;
    }
    const rows: Record<string, unknown>[] = [];
    const converted: ArrivedRecord[] = [];
    for (const item of buffer.items.records()) {
      const row = rowOf(item.data, output.columns);
      if (row instanceof Error) {
        this.failConversion(item, row.message);
      } else {
        rows.push(row);
        converted.push(item);
      }
    }
    if (rows.length === 0) return;
    const key = objectKey(buffer.prefix, this.name, buffer.oldestArrivalMs, ".parquet");
    this.track(buffer.bytes, async () => {
      const { store } = this.config;
      const scratch = await store.scratchPath(".parquet");
      try {
        await writeParquet(
          rows,
          output.columns,
          output.compression,
          scratch,
          await store.scratchPath(".json"),
        );
      } catch (err) {
        // DuckDB refused a value the deserializer let through: the whole object fails conversion.
        for (const item of converted) this.failConversion(item, String(err));
        return;
      }
      const { size } = await fs.stat(scratch);
      await store.moveIn(scratch, key);
      this.record({ key, kind: "data", records: rows.length, bytes: size });
    });
  }

  private failConversion(item: ArrivedRecord, errorMessage: string): void {
    this.fail({
      errorOutputType: "format-conversion-failed",
      arrivalMs: item.arrivalMs,
      rawData: item.data,
      errorCode: "DataFormatConversion.MalformedData",
      errorMessage,
      attemptsMade: 1,
      attemptEndingMs: Date.now(),
    });
  }

  private deliverErrors(buffer: ObjectBuffer<FailedRecord[]>): void {
    const body = Buffer.from(
      buffer.items.map((f) => errorDocumentLine(f, this.config.errorDocuments)).join(""),
    );
    const gzipped = this.config.output.format === "json" && this.config.output.compression === "GZIP";
    const key = objectKey(buffer.prefix, this.name, buffer.oldestArrivalMs, gzipped ? ".gz" : "");
    this.track(buffer.bytes, async () => {
      const bytes = gzipped ? await gzipObject(body) : body;
      await this.config.store.put(key, bytes);
      this.record({ key, kind: "error", records: buffer.items.length, bytes: bytes.length });
      for (const failed of buffer.items) {
        const reason = `${failed.errorOutputType} ${failed.errorCode}`;
        this.failures.set(reason, (this.failures.get(reason) ?? 0) + 1);
      }
    });
  }

  private record(object: WrittenObject): void {
    this.written.push(object);
    if (object.kind === "data") this.tally.delivered += object.records;
    else this.tally.failed += object.records;
  }

  private track(bytes: number, write: () => Promise<void>): void {
    this.inFlightBytes += bytes;
    const done: Promise<void> = write()
      .catch((err: unknown) => console.error(`[${this.name}] writing an object failed:`, err))
      .finally(() => {
        this.inFlightBytes -= bytes;
        this.writes.delete(done);
      });
    this.writes.add(done);
  }
}

/**
 * The values of `names` in `keys`, each prefixed with its length to keep combinations apart (no array per
 * record, unlike a loop over both namespaces); the error for the first missing one.
 */
function partitionOf(
  names: readonly string[],
  keys: Readonly<Record<string, string>> | undefined,
  namespace: MissingPartitionKeyError["namespace"],
): string | MissingPartitionKeyError {
  let partition = "";
  for (const name of names) {
    const value = keys?.[name];
    if (!value) return new MissingPartitionKeyError(namespace, name);
    partition += `${value.length}:${value}`;
  }
  return partition;
}
