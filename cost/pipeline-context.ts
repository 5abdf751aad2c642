// What the meters of one pipeline need: its settings, its usage, and the traffic and objects derived from them.
import { PipelineSettings, StackSettings } from "../config/settings";
import { GB, HOURS_PER_MONTH } from "./meter";
import { ObjectModel, lakeOutputOf, objectModel, DEFAULT_BYTES_WRITTEN_RATIO } from "./object-model";
import { PriceTable } from "./price-table";
import { PipelineUsage } from "./usage";

export const MIB = 1024 * 1024;

export interface PipelineContext {
  readonly table: PriceTable;
  readonly stack: StackSettings;
  readonly pipeline: PipelineSettings;
  readonly usage: PipelineUsage;
  /** Subnets the delivery stream's VPC configuration declares (0 outside a VPC). */
  readonly vpcSubnets: number;
  /** Hours in the month priced (AWS's calculator: 730; its Firehose examples: 30 days, 720). */
  readonly monthHours: number;
  readonly activeHoursPerMonth: number;
  readonly recordsPerMonth: number;
  /** Bytes sent per month, as the producer sends them. */
  readonly bytesPerMonth: number;
  /** The objects it writes to the lake, if it writes any. */
  readonly objects?: ObjectModel & { readonly partitions: number; readonly bytesWrittenRatio: number };
  readonly objectsPerMonth: number;
  readonly bytesWrittenPerMonth: number;
  /** Month of running whose storage is priced. */
  readonly storageMonth: number;
}

/** Active partitions: `partitions` values for each partition field (time partitions are one at a time). */
export function activePartitions(pipeline: PipelineSettings, usage: PipelineUsage): number {
  const dest = pipeline.destination;
  if (dest.type !== "s3" || !dest.partitioning) return 1;
  return usage.partitions ** dest.partitioning.fields.length;
}

export function pipelineContext(
  table: PriceTable,
  stack: StackSettings,
  pipeline: PipelineSettings,
  usage: PipelineUsage,
  vpcSubnets: number,
  storageMonth: number,
): PipelineContext {
  const monthHours = HOURS_PER_MONTH;
  const activeHoursPerMonth = (usage.hoursActive / 24) * monthHours;
  const bytesPerSecond = usage.rateMiBps * MIB;
  const bytesPerMonth = bytesPerSecond * 3600 * activeHoursPerMonth;
  const output = lakeOutputOf(pipeline.destination);
  const base = {
    table,
    stack,
    pipeline,
    usage,
    vpcSubnets,
    monthHours,
    activeHoursPerMonth,
    recordsPerMonth: bytesPerMonth / usage.recordBytes,
    bytesPerMonth,
    storageMonth,
  };
  if (!output) return { ...base, objectsPerMonth: 0, bytesWrittenPerMonth: 0 };
  const partitions = output.partitioned ? activePartitions(pipeline, usage) : 1;
  const bytesWrittenRatio = usage.bytesWrittenRatio ?? DEFAULT_BYTES_WRITTEN_RATIO[output.format];
  const model = objectModel({
    bytesPerSecond,
    buffer: pipeline.destination.buffer,
    partitions,
    bytesWrittenRatio,
  });
  return {
    ...base,
    objects: { ...model, partitions, bytesWrittenRatio },
    objectsPerMonth: model.perHour * activeHoursPerMonth,
    bytesWrittenPerMonth: model.bytesPerHour * activeHoursPerMonth,
  };
}

/** GB (2^30 bytes) in `bytes`. */
export function gbOf(bytes: number): number {
  return bytes / GB;
}
