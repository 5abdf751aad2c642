// One delivery stream run locally: records accepted by the endpoint are buffered for the transform like
// Firehose's Lambda processor does, transformed, given their partition keys, buffered per partition and written
// to the local lake as Firehose would name and encode them. Failed records become error documents under the
// error prefix. Acknowledged means kept: each accepted record is journaled before PutRecordBatch answers, a lake
// write that fails is retried with backoff (its records stay buffered and journaled), a record that cannot be
// converted fails alone, and the journal's records are replayed when the stream starts again on the same lake.
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { Split } from "./deaggregation";
import { EndpointStream, PutEntry } from "./endpoint";
import { ErrorDocumentContext, errorDocumentLine } from "./error-document";
import { gzipObject } from "./gzip-object";
import { Journal } from "./journal";
import { LakeStore } from "./lake-store";
import { MetadataExtractor } from "./metadata-extraction";
import { BufferLimits, ObjectBuffer, ObjectBuffers } from "./object-buffers";
import { objectKey } from "./object-key";
import { ParquetColumn, ParquetCompression, rowOf, writeParquet } from "./parquet-object";
import { MissingPartitionKeyError, Prefix } from "./prefix";
import { PutQuota } from "./put-quota";
import { parseGlueType } from "../config/glue-type";
import { ArrivedRecord, RecordBytes } from "./record-bytes";
import { AcceptedRecord, ErrorOutputType, FailedRecord, RecordData } from "./records";
import { invokeTransform, TransformOutcome } from "./transform-invocation";
import { TransformHandler } from "./transform-bundle";

/** Writes in flight beyond this many (uncompressed) bytes make PutRecordBatch wait: backpressure. */
const MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;
/** Firehose's default quota of active partitions (open buffers) per stream with dynamic partitioning. */
export const ACTIVE_PARTITION_LIMIT = 500;
/**
 * Over the quota, records go to the error prefix. The guide documents the quota and the message; the code is the
 * one users report seeing (the guide names none).
 */
const ACTIVE_PARTITIONS_ERROR = {
  errorCode: "DynamicPartitioning.ActivePartitionsLimitExceeded",
  errorMessage: "The number of active partitions has exceeded the configured limit",
};

/** How a failed lake write is retried: Firehose retries S3 for up to 24 hours; the local run until it stops. */
export interface RetryPolicy {
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** After close() begins, how long failing writes keep being retried before their records are left undelivered. */
  readonly closeTimeoutMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { firstDelayMs: 100, maxDelayMs: 5000, closeTimeoutMs: 5000 };

/** Parquet files: one object per buffer (S3 with format conversion), or an Iceberg table's data files. */
export interface ParquetTarget {
  readonly columns: readonly ParquetColumn[];
  readonly compression: ParquetCompression;
  /** Where a record the columns cannot hold goes. */
  readonly failure: { readonly errorOutputType: ErrorOutputType; readonly errorCode: string };
  /** Add ICEBERG_SEQUENCE_COLUMN: each row's place in arrival order, for upserts' last-write-wins. */
  readonly sequenced: boolean;
}

export type StreamOutput =
  | { readonly format: "json"; readonly compression: "GZIP" | "UNCOMPRESSED" }
  | ({ readonly format: "parquet" } & ParquetTarget)
  | {
      readonly format: "iceberg";
      /** Each table's data files' key prefix (`<location>data/`) and how they are written. */
      readonly tables: readonly ({ readonly dataRoot: string } & ParquetTarget)[];
      /** The error documents' compression: the stream's S3 configuration's. */
      readonly errorCompression: "GZIP" | "UNCOMPRESSED";
    };

/** A record that Parquet conversion cannot hold (developer guide, format conversion error handling). */
export const FORMAT_CONVERSION_FAILURE = {
  errorOutputType: "format-conversion-failed",
  errorCode: "DataFormatConversion.MalformedData",
} as const;

/**
 * A record an Iceberg table's columns cannot hold. Firehose documents no error output type or code for it: the
 * folder follows the others' naming, the code is the local run's.
 */
export const ICEBERG_FAILURE = {
  errorOutputType: "iceberg-failed",
  errorCode: "Iceberg.SchemaMismatch",
} as const;

/**
 * A column of the local run's own in Iceberg data files: arrival time, journal segment and line, zero-padded, so
 * that its order is the order records were accepted in. Iceberg orders changes by snapshot; the local run, which
 * writes no snapshots, by this.
 */
export const ICEBERG_SEQUENCE_COLUMN = "_seq";

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
  /** Journal accepted records in the lake (`store.journalDir`) and replay them at start. @default false */
  readonly journal?: boolean;
  readonly retry?: RetryPolicy;
  /** @default ACTIVE_PARTITION_LIMIT */
  readonly activePartitionLimit?: number;
}

/** An object the stream wrote. */
export interface WrittenObject {
  readonly key: string;
  readonly kind: "data" | "error";
  readonly records: number;
  readonly bytes: number;
}

export interface StreamCounts {
  /** Records accepted, including those replayed from the journal of an earlier run. */
  readonly received: number;
  /** Bytes of the received records' data. */
  readonly receivedBytes: number;
  readonly throttled: number;
  /** Records de-aggregation added: the records it made, less the records it split. */
  readonly added: number;
  readonly dropped: number;
  readonly delivered: number;
  readonly failed: number;
  /** Accepted (or replayed from the journal), not yet in an object nor dropped: after close, undelivered. */
  readonly buffered: number;
  /** Failed records by `<error output type> <error code>`. */
  readonly failures: ReadonlyMap<string, number>;
}

export class LocalDeliveryStream implements EndpointStream {
  readonly name: string;
  readonly encrypted: boolean;
  readonly directPut: boolean;
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
  private readonly retry: RetryPolicy;
  /** Set by close(): failing writes give up after it. */
  private closeDeadline?: number;
  /** Wakes writes waiting to retry when close() begins. */
  private wake!: () => void;
  private readonly woken = new Promise<void>((resolve) => (this.wake = resolve));
  private readonly journal?: Journal;
  private readonly dynamicPartitioning: boolean;
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
    this.directPut = config.sourceKinesisStreamArn === undefined;
    this.dataBuffers = new ObjectBuffers(config.buffer, () => new RecordBytes(config.buffer.sizeBytes));
    this.errorBuffers = new ObjectBuffers(config.buffer, (): FailedRecord[] => []);
    this.keysFromQuery = config.prefix.partitionKeys("fromQuery");
    this.keysFromLambda = config.prefix.partitionKeys("fromLambda");
    this.dynamicPartitioning = this.keysFromQuery.length + this.keysFromLambda.length > 0;
    this.retry = config.retry ?? DEFAULT_RETRY;
    if (config.putQuotaBytesPerSecond) this.quota = new PutQuota(config.putQuotaBytesPerSecond);
    const shortest = Math.min(config.buffer.intervalMs, config.transform.buffer.intervalMs);
    this.timer = setInterval(() => this.tick(), Math.max(10, Math.min(1000, shortest / 10)));
    this.timer.unref();
    if (config.journal) {
      const { journal, replay } = Journal.open(config.store.lakeDir, config.store.journalDir(config.name));
      this.journal = journal;
      if (replay.length > 0) {
        console.error(
          `[${this.name}] replaying ${replay.length} records acknowledged before the last run stopped (journal ${journal.dir})`,
        );
      }
      for (const entry of replay) this.receive(entry.data, entry.arrivalMs, entry.segment, entry.line);
    }
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
    const accepted: RecordData[] = [];
    const refused: (PutEntry | undefined)[] = records.map((data) => {
      if (this.closing)
        return { ErrorCode: "ServiceUnavailableException", ErrorMessage: "The stream is shutting down." };
      if (this.quota && !this.quota.take(data.bytes)) {
        this.tally.throttled++;
        return { ErrorCode: "ServiceUnavailableException", ErrorMessage: "Slow down." };
      }
      accepted.push(data);
      return undefined;
    });
    const journaled = accepted.length > 0 ? this.journal?.append(accepted, arrivalMs) : undefined;
    let next = 0;
    let entries: PutEntry[] = refused.map(
      (entry) =>
        entry ?? {
          RecordId: this.receive(
            accepted[next],
            arrivalMs,
            journaled?.segment ?? 0,
            (journaled?.firstLine ?? 0) + next++,
          ),
        },
    );
    if (journaled) {
      try {
        await journaled.written;
      } catch (err) {
        // Not acknowledged, though kept in memory: the producer's retry may deliver them twice (at least once).
        console.error(`[${this.name}] JOURNAL WRITE FAILED (${this.journal?.dir}): ${String(err)}`);
        entries = entries.map((entry) =>
          "RecordId" in entry
            ? {
                ErrorCode: "ServiceUnavailableException",
                ErrorMessage: "The local journal could not be written.",
              }
            : entry,
        );
      }
    }
    if (this.pendingBytes >= this.config.transform.buffer.sizeBytes) {
      await this.serially(() => this.processPending(false));
    }
    while (this.inFlightBytes > MAX_IN_FLIGHT_BYTES) await Promise.race(this.writes);
    return entries;
  }

  /** Takes in one accepted (or replayed) record; returns its record id. */
  private receive(data: RecordData, arrivalMs: number, segment: number, line: number): string {
    const recordId = this.nextRecordId();
    this.tally.received++;
    this.tally.receivedBytes += data.bytes;
    const { deaggregation } = this.config;
    if (deaggregation) this.acceptPacked(data, arrivalMs, segment, line, deaggregation);
    else this.accept({ recordId, data, arrivalMs, segment, line });
    return recordId;
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
    segment: number,
    line: number,
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
        segment,
        line,
      });
      return;
    }
    this.tally.added += records.length - 1;
    this.journal?.split(segment, line, records.length);
    for (const record of records) {
      this.accept({
        recordId: this.nextRecordId(),
        data: { base64: record.toString("base64"), bytes: record.length },
        arrivalMs,
        segment,
        line,
      });
    }
  }

  /**
   * Flushes every buffer and waits for every write (retrying failed ones for `retry.closeTimeoutMs`); the stream
   * accepts nothing afterwards. Records still undelivered then stay in the journal and are reported.
   */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.timer);
    this.closeDeadline = Date.now() + this.retry.closeTimeoutMs;
    this.wake();
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
    await this.journal?.close();
    const { buffered } = this.counts();
    if (buffered > 0) {
      console.error(
        `[${this.name}] ${buffered} ACKNOWLEDGED RECORDS WERE NOT DELIVERED: ` +
          (this.journal
            ? `the journal ${this.journal.dir} keeps them; they are delivered when the local run starts again on this lake`
            : "they are lost (the stream has no journal)"),
      );
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
      if (outcome.result === "Dropped") {
        this.tally.dropped++;
        this.journal?.release(record.segment, record.line, 1);
      } else if (outcome.result === "Ok") ok.push({ record, outcome });
      else
        this.fail({
          errorOutputType: "processing-failed",
          arrivalMs: record.arrivalMs,
          rawData: Buffer.from(record.data.base64, "base64"),
          errorCode: outcome.errorCode,
          errorMessage: outcome.errorMessage,
          attemptsMade: outcome.attemptsMade,
          attemptEndingMs: Date.now(),
          segment: record.segment,
          line: record.line,
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
    if (
      this.dynamicPartitioning &&
      !this.dataBuffers.isOpen(partition) &&
      this.dataBuffers.openCount >= (this.config.activePartitionLimit ?? ACTIVE_PARTITION_LIMIT)
    ) {
      this.fail({
        errorOutputType: "partitioning-failed",
        arrivalMs: record.arrivalMs,
        rawData: data,
        ...ACTIVE_PARTITIONS_ERROR,
        attemptsMade: 1,
        attemptEndingMs: Date.now(),
        segment: record.segment,
        line: record.line,
      });
      return;
    }
    let full: ObjectBuffer<RecordBytes> | undefined;
    try {
      full = this.dataBuffers.add(
        partition,
        { data, arrivalMs: record.arrivalMs, segment: record.segment, line: record.line },
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
      segment: record.segment,
      line: record.line,
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
    if (output.format === "parquet") {
      this.deliverParquet(buffer, output);
      return;
    }
    if (output.format === "iceberg") {
      // The prefix was evaluated from the record's routing keys: it names the table.
      const table = output.tables.find((t) => buffer.prefix.startsWith(t.dataRoot));
      if (!table) throw new Error(`no Iceberg table's data files go under ${buffer.prefix}`);
      this.deliverParquet(buffer, table);
      return;
    }
    const body = buffer.items.body();
    const gzipped = output.compression === "GZIP";
    const key = objectKey(buffer.prefix, this.name, buffer.oldestArrivalMs, gzipped ? ".gz" : "");
    const bytes = gzipped ? gzipObject(body) : Promise.resolve(body);
    this.track(buffer.bytes, `${buffer.items.length} records to ${key}`, async () => {
      const object = await bytes;
      await this.config.store.put(key, object);
      this.record({ key, kind: "data", records: buffer.items.length, bytes: object.length });
      const { segments, lines } = buffer.items.journalPlaces();
      this.settle(segments, lines);
    });
  }

  private deliverParquet(buffer: ObjectBuffer<RecordBytes>, target: ParquetTarget): void {
    let rows: ParquetRow[] = [];
    for (const item of buffer.items.records()) {
      const row = rowOf(item.data, target.columns);
      if (row instanceof Error) this.failConversion(item, row.message, target);
      else
        rows.push({
          row: target.sequenced ? { ...row, [ICEBERG_SEQUENCE_COLUMN]: sequenceOf(item) } : row,
          item,
        });
    }
    const output = target.sequenced
      ? { ...target, columns: [...target.columns, { name: ICEBERG_SEQUENCE_COLUMN, type: SEQUENCE_TYPE }] }
      : target;
    // Stryker disable next-line ConditionalExpression: the write finds no row either and writes nothing
    if (rows.length === 0) return;
    const key = objectKey(buffer.prefix, this.name, buffer.oldestArrivalMs, ".parquet");
    this.track(buffer.bytes, `${rows.length} records to ${key}`, async () => {
      const { store } = this.config;
      const scratch = await store.scratchPath(".parquet");
      let size: number;
      try {
        const { converted, rejected } = await this.convert(rows, output, scratch);
        // Decided once: a retry after a failed move does not fail these records again.
        rows = converted;
        for (const { item, error } of rejected) this.failConversion(item, error.message, target);
        if (rows.length === 0) {
          await fs.rm(scratch, { force: true });
          return;
        }
        size = (await fs.stat(scratch)).size;
      } catch (err) {
        await fs.rm(scratch, { force: true });
        throw err;
      }
      await store.moveIn(scratch, key);
      this.record({ key, kind: "data", records: rows.length, bytes: size });
      this.settle(
        rows.map((r) => r.item.segment),
        rows.map((r) => r.item.line),
      );
    });
  }

  /**
   * Writes the rows DuckDB accepts to `outfile`. A value it rejects fails its own record only, as Firehose fails
   * records one by one: the rows are halved until each rejected one is found. Throws when a file cannot be written.
   */
  private async convert(
    rows: readonly ParquetRow[],
    output: ParquetTarget,
    outfile: string,
  ): Promise<{ converted: ParquetRow[]; rejected: { item: ArrivedRecord; error: Error }[] }> {
    const write = async (some: readonly ParquetRow[]) =>
      writeParquet(
        some.map((r) => r.row),
        output.columns,
        output.compression,
        outfile,
        await this.config.store.scratchPath(".json"),
      );
    const rejected: { item: ArrivedRecord; error: Error }[] = [];
    const sift = async (some: readonly ParquetRow[], error: Error): Promise<ParquetRow[]> => {
      if (some.length === 1) {
        rejected.push({ item: some[0].item, error });
        return [];
      }
      const kept: ParquetRow[] = [];
      const half = Math.ceil(some.length / 2);
      for (const part of [some.slice(0, half), some.slice(half)]) {
        const partError = await write(part);
        kept.push(...(partError ? await sift(part, partError) : part));
      }
      return kept;
    };
    const error = await write(rows);
    if (!error) return { converted: [...rows], rejected };
    const converted = await sift(rows, error);
    const again = converted.length > 0 ? await write(converted) : undefined;
    if (again)
      return {
        converted: [],
        rejected: [...rejected, ...converted.map((r) => ({ item: r.item, error: again }))],
      };
    return { converted, rejected };
  }

  private failConversion(item: ArrivedRecord, errorMessage: string, target: ParquetTarget): void {
    this.fail({
      ...target.failure,
      arrivalMs: item.arrivalMs,
      rawData: item.data,
      errorMessage,
      attemptsMade: 1,
      attemptEndingMs: Date.now(),
      segment: item.segment,
      line: item.line,
    });
  }

  private deliverErrors(buffer: ObjectBuffer<FailedRecord[]>): void {
    const body = Buffer.from(
      buffer.items.map((f) => errorDocumentLine(f, this.config.errorDocuments)).join(""),
    );
    const { output } = this.config;
    const gzipped =
      output.format === "json"
        ? output.compression === "GZIP"
        : output.format === "iceberg" && output.errorCompression === "GZIP";
    const key = objectKey(buffer.prefix, this.name, buffer.oldestArrivalMs, gzipped ? ".gz" : "");
    const bytes = gzipped ? gzipObject(body) : Promise.resolve(body);
    this.track(buffer.bytes, `${buffer.items.length} error documents to ${key}`, async () => {
      const object = await bytes;
      await this.config.store.put(key, object);
      this.record({ key, kind: "error", records: buffer.items.length, bytes: object.length });
      for (const failed of buffer.items) {
        const reason = `${failed.errorOutputType} ${failed.errorCode}`;
        this.failures.set(reason, (this.failures.get(reason) ?? 0) + 1);
      }
      this.settle(
        buffer.items.map((f) => f.segment),
        buffer.items.map((f) => f.line),
      );
    });
  }

  private record(object: WrittenObject): void {
    this.written.push(object);
    if (object.kind === "data") this.tally.delivered += object.records;
    else this.tally.failed += object.records;
  }

  /** Tells the journal that these records are in the lake: runs of consecutive lines, one call each. */
  private settle(segments: ArrayLike<number>, lines: ArrayLike<number>): void {
    if (!this.journal) return;
    let start = 0;
    for (let i = 1; i <= segments.length; i++) {
      if (i < segments.length && segments[i] === segments[start] && lines[i] === lines[i - 1] + 1) continue;
      this.journal.release(segments[start], lines[start], i - start);
      start = i;
    }
  }

  private track(bytes: number, what: string, write: () => Promise<void>): void {
    this.inFlightBytes += bytes;
    const done: Promise<void> = this.withRetries(what, write).finally(() => {
      this.inFlightBytes -= bytes;
      this.writes.delete(done);
    });
    this.writes.add(done);
  }

  /** Waits `ms`, or less if close() begins meanwhile (once it has, the whole `ms`). */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      if (this.closeDeadline !== undefined) return;
      void this.woken.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Runs `write` until it succeeds, waiting longer after each failure (up to `retry.maxDelayMs`), and gives up
   * only once close() has begun and its timeout would pass: the records then stay unsettled, in the journal.
   */
  private async withRetries(what: string, write: () => Promise<void>): Promise<void> {
    const { firstDelayMs, maxDelayMs } = this.retry;
    for (let attempt = 1, delay = firstDelayMs; ; attempt++, delay = Math.min(delay * 2, maxDelayMs)) {
      try {
        await write();
        if (attempt > 1) console.error(`[${this.name}] lake write succeeded at attempt ${attempt}: ${what}`);
        return;
      } catch (err) {
        const giveUp = this.closeDeadline !== undefined && Date.now() + delay > this.closeDeadline;
        console.error(
          `[${this.name}] LAKE WRITE FAILED (attempt ${attempt}): ${what}: ${err instanceof Error ? err.message : String(err)}; ` +
            (giveUp
              ? "giving up as the stream closes"
              : `retrying in ${delay} ms, the records stay buffered`),
        );
        if (giveUp) return;
        await this.pause(delay);
      }
    }
  }
}

/** A record read into the table's columns, on its way into a Parquet object. */
const SEQUENCE_TYPE = parseGlueType("string");

function sequenceOf(item: ArrivedRecord): string {
  return [item.arrivalMs, item.segment, item.line].map((n) => String(n).padStart(15, "0")).join(".");
}

interface ParquetRow {
  readonly row: Record<string, unknown>;
  readonly item: ArrivedRecord;
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
