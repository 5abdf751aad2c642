import { PII_DETECTORS, PiiDetector } from "./pii-detect";
import { BatchStats } from "./transform-batch";

export const METRIC_NAMESPACE = "FirehoseEtl/Transform";

/** The metric counting what each PII detector found; published only for the detectors that are on. */
export const PII_DETECTED_METRICS: Readonly<Record<PiiDetector, string>> = {
  email: "PiiDetectedEmail",
  phone: "PiiDetectedPhone",
  card: "PiiDetectedCard",
};

/** Metric name and the stats count it publishes. */
const COUNT_METRICS: readonly (readonly [string, (stats: BatchStats) => number])[] = [
  ["RecordsIn", (stats) => stats.records],
  ["RecordsOk", (stats) => stats.ok],
  ["RecordsDropped", (stats) => stats.dropped],
  ["RecordsProcessingFailed", (stats) => stats.failed],
  ["RecordsOverResponseLimit", (stats) => stats.failureReasons.response_size_limit ?? 0],
];

export interface BatchLogContext {
  readonly functionName: string;
  readonly invocationId: string | undefined;
  readonly timestampMs: number;
  readonly durationMs: number;
}

/**
 * The batch's one log line: counts by result and failure reason, and what each enabled PII detector found, in
 * CloudWatch embedded metric format so the
 * counts also become metrics (namespace FirehoseEtl/Transform, dimension FunctionName). Written by hand rather
 * than with Powertools: it is one fixed JSON object per batch, and the bundle stays dependency-free.
 */
export function batchLogLine(stats: BatchStats, context: BatchLogContext): string {
  const detectors = PII_DETECTORS.filter((name) => stats.piiDetected[name] !== undefined);
  const line: Record<string, unknown> = {
    _aws: {
      Timestamp: context.timestampMs,
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [["FunctionName"]],
          Metrics: [
            ...COUNT_METRICS.map(([name]) => ({ Name: name, Unit: "Count" })),
            ...detectors.map((name) => ({ Name: PII_DETECTED_METRICS[name], Unit: "Count" })),
            { Name: "ResponseBytes", Unit: "Bytes" },
          ],
        },
      ],
    },
    level: "INFO",
    message: "Firehose batch transformed",
    FunctionName: context.functionName,
    invocationId: context.invocationId,
  };
  for (const [name, count] of COUNT_METRICS) line[name] = count(stats);
  for (const name of detectors) line[PII_DETECTED_METRICS[name]] = stats.piiDetected[name];
  line.ResponseBytes = stats.responseBytes;
  line.failureReasons = stats.failureReasons;
  line.timePartitionFromArrival = stats.timeFromArrival;
  line.durationMs = Math.round(context.durationMs * 1000) / 1000;
  return JSON.stringify(line);
}

/** A warning naming the records the response size limit failed (ids only). */
export function overLimitLogLine(stats: BatchStats, invocationId: string | undefined): string {
  return JSON.stringify({
    level: "WARN",
    message: "Records returned as ProcessingFailed to keep the response within Lambda's 6 MB limit",
    invocationId,
    count: stats.failureReasons.response_size_limit ?? 0,
    firstRecordIds: stats.overLimitRecordIds,
  });
}
