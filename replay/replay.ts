// One replay, over any lake and any sink: select the failed records of the chosen pipelines, error types and
// time window that no earlier replay has sent, report them (the dry run), and send them back into each
// pipeline's stream (or re-run COPY for Redshift), recording progress per source object as it goes.
import { ExecuteStatementCommandInput } from "@aws-sdk/client-redshift-data";
import { PipelineSettings, StackSettings } from "../config/settings";
import { streamNameOf } from "../config/naming";
import { readErrorObject } from "./error-object";
import { ErrorType, FailedRecord } from "./failures";
import { Lake } from "./lake";
import { digestOf, ProgressBook, SourceProgress } from "./progress";
import { copyStatementOf, readCopyManifest } from "./redshift-copy";
import {
  batchesOf,
  DEFAULT_RETRY,
  maxReplayRecordBytes,
  Outgoing,
  RateLimit,
  RecordSink,
  RetryPolicy,
  sendBatch,
} from "./sender";
import { inWindow, keyTimeMs, sourcesOf, TimeWindow } from "./sources";

export interface ReplayScope {
  readonly settings: StackSettings;
  readonly lake: Lake;
  /** Pipeline names; every pipeline when empty. */
  readonly pipelines: readonly string[];
  /** Every type a pipeline produces when empty. */
  readonly errorTypes: readonly ErrorType[];
  readonly window: TimeWindow;
  /**
   * Only this object of the selected sources: the state machine's worker replays one object per invocation.
   * Such a run does not look for records that failed again after an earlier replay (that would read every
   * manifest of the pipeline once per object), so it selects them again.
   */
  readonly objectKey?: string;
}

export interface PendingRecord {
  readonly pipeline: PipelineSettings;
  readonly errorType: ErrorType;
  readonly record: FailedRecord;
  readonly progress: SourceProgress;
}

export interface PendingCopy {
  readonly pipeline: PipelineSettings;
  readonly key: string;
  readonly progress: SourceProgress;
  readonly objects: number;
}

/** A dry-run row: one pipeline, error type and error code. */
export interface ReportRow {
  readonly pipeline: string;
  readonly errorType: ErrorType;
  readonly errorCode: string;
  records: number;
  bytes: number;
  oldestMs?: number;
  newestMs?: number;
  readonly samples: string[];
}

export interface Selection {
  /** Records to send, in lake order. */
  readonly records: PendingRecord[];
  readonly copies: PendingCopy[];
  /** Over 1,000 KiB: read, reported, not sent. */
  readonly skipped: { record: PendingRecord; reason: string }[];
  readonly rows: ReportRow[];
  /** Records an earlier replay sent and had acknowledged. */
  alreadySent: number;
  /** Records that failed again after a replay sent them: not selected again. */
  failedAgain: number;
  /** Objects or lines that could not be read: nothing of them is replayed. */
  readonly problems: string[];
}

export function pipelinesOf(settings: StackSettings, names: readonly string[]): PipelineSettings[] {
  if (names.length === 0) return [...settings.pipelines];
  return names.map((name) => {
    const found = settings.pipelines.find((p) => p.name === name);
    if (!found) {
      throw new Error(
        `--pipeline: stack ${settings.stack} has no pipeline ${JSON.stringify(name)} (it has ${settings.pipelines.map((p) => p.name).join(", ")})`,
      );
    }
    return found;
  });
}

export async function select(scope: ReplayScope): Promise<Selection> {
  const book = new ProgressBook(scope.lake);
  const maxBytes = maxReplayRecordBytes(scope.settings);
  const selection: Selection = {
    records: [],
    copies: [],
    skipped: [],
    rows: [],
    alreadySent: 0,
    failedAgain: 0,
    problems: [],
  };
  const rows = new Map<string, ReportRow>();
  const count = (pipeline: string, errorType: ErrorType, record: FailedRecord, timeMs?: number) => {
    const id = `${pipeline}\t${errorType}\t${record.errorCode}`;
    let row = rows.get(id);
    if (!row) {
      row = { pipeline, errorType, errorCode: record.errorCode, records: 0, bytes: 0, samples: [] };
      rows.set(id, row);
      selection.rows.push(row);
    }
    row.records++;
    row.bytes += record.data.length;
    if (timeMs !== undefined) {
      row.oldestMs = Math.min(row.oldestMs ?? timeMs, timeMs);
      row.newestMs = Math.max(row.newestMs ?? timeMs, timeMs);
    }
    if (row.samples.length < 3 && !row.samples.includes(record.errorMessage))
      row.samples.push(record.errorMessage);
  };

  for (const pipeline of pipelinesOf(scope.settings, scope.pipelines)) {
    const sent =
      scope.objectKey === undefined ? await book.sentDigests(pipeline.name) : new Map<string, number>();
    for (const source of sourcesOf(pipeline)) {
      if (scope.errorTypes.length > 0 && !scope.errorTypes.includes(source.errorType)) continue;
      const objects =
        scope.objectKey === undefined
          ? scope.lake.list(source.prefix)
          : scope.objectKey.startsWith(source.prefix)
            ? [{ key: scope.objectKey }]
            : [];
      for await (const object of objects) {
        if (!inWindow(object.key, scope.window)) continue;
        const body = await scope.lake.get(object.key);
        if (!body) continue; // expired between the listing and the read
        const progress = await book.load(pipeline.name, object.key);
        if (source.errorType === "redshift-copy-failed") {
          const manifest = readCopyManifest(object.key, body);
          if ("problem" in manifest) selection.problems.push(manifest.problem);
          else if (progress.isSent(0)) selection.alreadySent++;
          else selection.copies.push({ pipeline, key: object.key, progress, objects: manifest.urls.length });
          continue;
        }
        const read = readErrorObject(object.key, body);
        selection.problems.push(...read.problems);
        for (const record of read.records) {
          if (progress.isSent(record.line)) {
            selection.alreadySent++;
            continue;
          }
          const timeMs = record.arrivalMs ?? keyTimeMs(object.key);
          const sentAt = sent.get(digestOf(record.data));
          // The same bytes arriving after a replay sent them: that replay's record failed again.
          if (sentAt !== undefined && timeMs !== undefined && timeMs >= Math.floor(sentAt / 1000) * 1000) {
            selection.failedAgain++;
            continue;
          }
          count(pipeline.name, source.errorType, record, timeMs);
          const pending = { pipeline, errorType: source.errorType, record, progress };
          if (record.data.length > maxBytes) {
            selection.skipped.push({
              record: pending,
              reason:
                scope.settings.source.type === "kinesis"
                  ? `${record.data.length} bytes, over the ${maxBytes} that fit a Kinesis record once wrapped for replay`
                  : `${record.data.length} bytes, over PutRecordBatch's 1,000 KiB per record`,
            });
          } else selection.records.push(pending);
        }
      }
    }
  }
  return selection;
}

export interface Summary {
  selected: number;
  sent: number;
  skipped: number;
  failed: number;
  resentAfterCrash: number;
}

export interface ProgressTick {
  readonly records: number;
  readonly bytes: number;
  readonly totalRecords: number;
  readonly totalBytes: number;
}

export interface SendPlan {
  readonly sinkFor: (pipeline: PipelineSettings) => RecordSink;
  /** Runs one COPY and resolves when it finished. */
  readonly copy?: (input: ExecuteStatementCommandInput) => Promise<void>;
  readonly copyOptions?: { roleArn?: string; workgroup?: string };
  readonly rateBytesPerSecond?: number;
  readonly retry?: RetryPolicy;
  readonly signal?: AbortSignal;
  readonly onProgress?: (tick: ProgressTick) => void;
  /** A line for the operator (stderr). */
  readonly log: (line: string) => void;
}

export function summaryOf(selection: Selection): Summary {
  return {
    selected: selection.records.length + selection.copies.length,
    sent: 0,
    skipped: selection.skipped.length,
    failed: 0,
    resentAfterCrash: 0,
  };
}

export async function send(scope: ReplayScope, selection: Selection, plan: SendPlan): Promise<Summary> {
  const book = new ProgressBook(scope.lake);
  const summary = summaryOf(selection);
  for (const { record, reason } of selection.skipped) {
    plan.log(`skipped ${record.record.key} line ${record.record.line + 1}: ${reason}`);
  }
  const totalBytes = selection.records.reduce((n, r) => n + r.record.data.length, 0);
  let bytes = 0;
  const save = (items: readonly Outgoing<PendingRecord>[]) =>
    Promise.all([...new Set(items.map((i) => i.ref.progress))].map((p) => book.save(p)));

  for (const pipeline of pipelinesOf(scope.settings, scope.pipelines)) {
    const records = selection.records.filter((r) => r.pipeline === pipeline);
    if (records.length === 0) continue;
    const sink = plan.sinkFor(pipeline);
    const rate = new RateLimit(plan.rateBytesPerSecond);
    const outgoing = records.map((ref) => ({ data: ref.record.data, ref }));
    for (const batch of batchesOf(outgoing, rate.batchBytes)) {
      if (plan.signal?.aborted) break;
      for (const item of batch) item.ref.progress.startSending([item.ref.record.line]);
      await save(batch);
      await rate.take(batch.reduce((n, i) => n + i.data.length, 0));
      let failures;
      try {
        failures = await sendBatch(
          sink,
          batch,
          async (acked) => {
            const now = Date.now();
            for (const item of acked) {
              const { progress, record } = item.ref;
              if (progress.leftInFlight.has(record.line)) summary.resentAfterCrash++;
              progress.acknowledge(record.line, digestOf(record.data), now);
              summary.sent++;
              bytes += record.data.length;
            }
            await save(acked);
          },
          plan.retry ?? DEFAULT_RETRY,
        );
      } catch (err) {
        // The call was refused whole: nothing of what is still in flight was taken.
        for (const item of batch) item.ref.progress.release(item.ref.record.line);
        await save(batch);
        throw err;
      }
      for (const { record, reason } of failures) {
        record.ref.progress.release(record.ref.record.line);
        summary.failed++;
        plan.log(
          `not sent, will be selected again: ${record.ref.record.key} line ${record.ref.record.line + 1}: ${reason}`,
        );
      }
      await save(batch);
      plan.onProgress?.({ records: summary.sent, bytes, totalRecords: selection.records.length, totalBytes });
    }
  }

  for (const copy of selection.copies) {
    if (plan.signal?.aborted) break;
    const dest = copy.pipeline.destination;
    if (dest.type !== "redshift" || !plan.copy) continue;
    const input = copyStatementOf(
      scope.settings,
      copy.pipeline.name,
      dest,
      scope.lake.bucket,
      copy.key,
      plan.copyOptions,
    );
    try {
      await plan.copy(input);
    } catch (err) {
      summary.failed++;
      plan.log(
        `COPY of ${copy.key} failed, will be selected again: ${err instanceof Error ? err.message : String(err)}`,
      );
      continue;
    }
    copy.progress.acknowledge(0, copy.key, Date.now());
    await book.save(copy.progress);
    summary.sent++;
  }
  return summary;
}

/** The stream a pipeline's records go back into. */
export function streamOf(settings: StackSettings, pipeline: PipelineSettings): string {
  return streamNameOf(settings, pipeline.name);
}
