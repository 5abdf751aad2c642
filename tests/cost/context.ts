// Pipeline contexts for meter tests: a committed stack's pipeline with the traffic of a pricing example.
import { PipelineSettings } from "../../config/settings";
import { PipelineContext, pipelineContext } from "../../cost/pipeline-context";
import { loadPriceTable } from "../../cost/price-table";
import { PipelineUsage } from "../../cost/usage";
import { settingsOf } from "../support/stacks";

export const US_EAST_1 = loadPriceTable("us-east-1");

/** 30 days, as AWS's Firehose pricing examples count a month. */
export const EXAMPLE_MONTH_HOURS = 30 * 24;

/** A context for `destination` (an S3 pipeline of prod's by default) carrying `recordsPerSecond` records of `recordBytes`. */
export function exampleContext(
  recordsPerSecond: number,
  recordBytes: number,
  options: {
    destination?: PipelineSettings["destination"];
    vpcSubnets?: number;
    usage?: Partial<PipelineUsage>;
  } = {},
): PipelineContext {
  const stack = settingsOf("prod");
  const pipeline = {
    ...stack.pipelines[0],
    ...(options.destination ? { destination: options.destination } : {}),
  };
  const usage: PipelineUsage = {
    rateMiBps: (recordsPerSecond * recordBytes) / (1024 * 1024),
    recordBytes,
    partitions: 1,
    hoursActive: 24,
    ...options.usage,
  };
  const ctx = pipelineContext(US_EAST_1, stack, pipeline, usage, options.vpcSubnets ?? 0, 12);
  // Rescale the month to the examples' 30 days (the object model's per-hour figures are unchanged).
  const scale = EXAMPLE_MONTH_HOURS / ctx.monthHours;
  return {
    ...ctx,
    monthHours: EXAMPLE_MONTH_HOURS,
    activeHoursPerMonth: ctx.activeHoursPerMonth * scale,
    recordsPerMonth: ctx.recordsPerMonth * scale,
    bytesPerMonth: ctx.bytesPerMonth * scale,
    objectsPerMonth: ctx.objectsPerMonth * scale,
    bytesWrittenPerMonth: ctx.bytesWrittenPerMonth * scale,
  };
}
