// The transform Lambda that every delivery stream invokes: requests, GB-seconds, and the CloudWatch Logs its
// invocations write. Sources: the Lambda and CloudWatch pricing pages.
import { GB, HOURS_PER_MONTH, Meter, priced } from "../meter";
import { objectModel } from "../object-model";
import { PipelineContext } from "../pipeline-context";

/**
 * The handler's CPU time per record on one vCPU: 1 / 207,617 records/s, the README's transform benchmark
 * (`bench/transform.ts`, hmac-sha256 with repeating users, events of 250-300 bytes).
 */
export const TRANSFORM_MICROS_PER_RECORD = 1e6 / 207_617;
/** Lambda gives a function one full vCPU at 1,769 MB and a proportional share below (Lambda developer guide). */
export const FULL_VCPU_MB = 1769;
/** Firehose's Lambda processor buffer when the stack sets none: 1 MB or 60 s (Firehose developer guide). */
export const DEFAULT_PROCESSOR_BUFFER = { sizeMiB: 1, intervalSeconds: 60 };
/** Log bytes per invocation (Lambda's START/END/REPORT lines and the handler's summary line): an assumption. */
export const LOG_BYTES_PER_INVOCATION = 1024;

export function transformMeters(ctx: PipelineContext): Meter[] {
  const { table, stack } = ctx;
  const buffer = stack.transform.processorBuffer ?? DEFAULT_PROCESSOR_BUFFER;
  // The processor's buffer flushes like a one-partition S3 buffer: by size or by interval.
  const flushes = objectModel({
    bytesPerSecond: ctx.bytesPerMonth / (ctx.activeHoursPerMonth * 3600 || 1),
    buffer,
    partitions: 1,
    bytesWrittenRatio: 1,
  });
  const invocations = flushes.perHour * ctx.activeHoursPerMonth;
  const memoryMb = stack.transform.memoryMiB;
  const micros = ctx.usage.transformMicrosPerRecord ?? TRANSFORM_MICROS_PER_RECORD;
  const recordsPerInvocation = invocations > 0 ? ctx.recordsPerMonth / invocations : 0;
  // Duration is billed in whole milliseconds per invocation; below a full vCPU the handler runs slower.
  const msPerInvocation = Math.ceil(
    (recordsPerInvocation * micros * (FULL_VCPU_MB / Math.min(memoryMb, FULL_VCPU_MB))) / 1000,
  );
  const gbSeconds = invocations * (msPerInvocation / 1000) * (memoryMb / 1024);
  const logGb = (invocations * LOG_BYTES_PER_INVOCATION) / GB;
  const retentionMonths = Math.min(
    stack.transform.logRetentionDays / (HOURS_PER_MONTH / 24),
    ctx.storageMonth,
  );
  return [
    priced(table, "lambda-requests", "lambda-requests", invocations),
    priced(table, "lambda-gb-seconds", "lambda-gb-seconds", gbSeconds),
    priced(table, "cloudwatch-logs-ingestion", "cloudwatch-logs-ingestion", logGb),
    priced(table, "cloudwatch-logs-storage", "cloudwatch-logs-storage", logGb * retentionMonths),
  ];
}
