import { FirehoseTransformationResult, FirehoseTransformationResultRecord } from "aws-lambda";
import { DecodeFailure } from "./decode";
import { PiiDetectedCounts } from "./pii-detect";
import { entryBytes, LAMBDA_RESPONSE_LIMIT_BYTES, recordIdMemberBytes, responseBytes } from "./response-size";
import { RecordOutcome, RecordPipeline, transformRecord } from "./transform-record";

export type FailureReason =
  DecodeFailure | "pii_detected" | "invalid_replay_envelope" | "response_size_limit" | "unexpected_error";

/** Counts for the batch's log line and metrics: no record contents. */
export interface BatchStats {
  records: number;
  ok: number;
  dropped: number;
  failed: number;
  failureReasons: Partial<Record<FailureReason, number>>;
  /** Ok records whose date partition came from the arrival time because `ts` was null or unreadable. */
  timeFromArrival: number;
  /** Values and keys the PII detector found, per enabled detector (0 included); empty when it is off. */
  piiDetected: PiiDetectedCounts;
  /** The first few ids of records failed by the response size limit. */
  overLimitRecordIds: string[];
  responseBytes: number;
}

export interface BatchOutput {
  readonly result: FirehoseTransformationResult;
  readonly stats: BatchStats;
}

export const LOGGED_RECORD_IDS = 10;

interface InputRecord {
  readonly recordId?: unknown;
  readonly data?: unknown;
  readonly approximateArrivalTimestamp?: unknown;
}

const NO_FIELDS: InputRecord = {};

function inputAt(records: readonly unknown[], index: number): InputRecord {
  const record = records[index];
  return typeof record === "object" && record !== null ? (record as InputRecord) : NO_FIELDS;
}

function failedEntry(recordId: unknown): FirehoseTransformationResultRecord {
  // No data: Firehose writes the original record to the error prefix, and the response stays small.
  return { recordId: recordId as string, result: "ProcessingFailed" };
}

/** `{"result":"ProcessingFailed"}`: what every entry takes at least, besides its recordId. */
const FAILED_ENTRY_BYTES_WITHOUT_ID = entryBytes(failedEntry(undefined), 0);

function entryFor(recordId: unknown, outcome: RecordOutcome): FirehoseTransformationResultRecord {
  switch (outcome.result) {
    case "Ok":
      return outcome.partition === undefined
        ? { recordId: recordId as string, result: "Ok", data: outcome.data }
        : {
            recordId: recordId as string,
            result: "Ok",
            data: outcome.data,
            metadata: { partitionKeys: outcome.partition.keys },
          };
    case "Dropped":
      return { recordId: recordId as string, result: "Dropped" };
    // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable, transformBatch answers failures first
    case "ProcessingFailed":
      return failedEntry(recordId);
  }
}

function countFailure(stats: BatchStats, reason: FailureReason): void {
  stats.failed++;
  stats.failureReasons[reason] = (stats.failureReasons[reason] ?? 0) + 1;
}

function safelyTransform(
  input: InputRecord,
  pipeline: RecordPipeline,
  detected: PiiDetectedCounts,
): RecordOutcome | undefined {
  try {
    return transformRecord(input.data, input.approximateArrivalTimestamp, pipeline, detected);
  } catch {
    // The error's message may quote record contents: only the fact is kept.
    return undefined;
  }
}

/**
 * Transforms a batch: exactly one entry per input record, same ids, same order. The response is kept within
 * `limitBytes` by accounting for every entry's exact serialised size, envelope included: space for a minimal
 * ProcessingFailed entry is reserved for every record up front, and an Ok record whose entry would not fit in
 * what is left is returned as ProcessingFailed instead (Firehose sends its original data to the error prefix).
 */
export function transformBatch(
  records: readonly unknown[],
  pipeline: RecordPipeline,
  limitBytes: number = LAMBDA_RESPONSE_LIMIT_BYTES,
): BatchOutput {
  const count = records.length;
  const idBytes = new Float64Array(count);
  let reservedBytes = 0;
  for (let i = 0; i < count; i++) {
    idBytes[i] = recordIdMemberBytes(inputAt(records, i).recordId);
    reservedBytes += idBytes[i] + FAILED_ENTRY_BYTES_WITHOUT_ID;
  }
  let usedBytes = responseBytes(count, reservedBytes);

  const stats: BatchStats = {
    records: count,
    ok: 0,
    dropped: 0,
    failed: 0,
    failureReasons: {},
    timeFromArrival: 0,
    piiDetected: Object.fromEntries(pipeline.options.piiDetect.detectors.map((name) => [name, 0])),
    overLimitRecordIds: [],
    responseBytes: 0,
  };
  // Stryker disable next-line ArrayDeclaration: every index is assigned below, so the preallocation only saves time
  const entries: FirehoseTransformationResultRecord[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const input = inputAt(records, i);
    const outcome = safelyTransform(input, pipeline, stats.piiDetected);
    if (outcome === undefined) {
      entries[i] = failedEntry(input.recordId);
      countFailure(stats, "unexpected_error");
      continue;
    }
    if (outcome.result === "ProcessingFailed") {
      entries[i] = failedEntry(input.recordId);
      countFailure(stats, outcome.reason);
      continue;
    }
    const entry = entryFor(input.recordId, outcome);
    const extraBytes = entryBytes(entry, idBytes[i]) - idBytes[i] - FAILED_ENTRY_BYTES_WITHOUT_ID;
    if (usedBytes + extraBytes > limitBytes) {
      entries[i] = failedEntry(input.recordId);
      countFailure(stats, "response_size_limit");
      if (stats.overLimitRecordIds.length < LOGGED_RECORD_IDS)
        stats.overLimitRecordIds.push(String(input.recordId));
      continue;
    }
    usedBytes += extraBytes;
    entries[i] = entry;
    if (outcome.result === "Dropped") {
      stats.dropped++;
    } else {
      stats.ok++;
      if (outcome.partition?.fromArrivalTime === true) stats.timeFromArrival++;
    }
  }
  stats.responseBytes = usedBytes;
  return { result: { records: entries }, stats };
}
