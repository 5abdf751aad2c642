// The pitfalls users actually hit, found from a pipeline's settings and usage, each with the change that fixes it:
// small records and Firehose's 5 KB rounding, small objects (Parquet under 64 MiB, many objects per partition),
// too many active partitions, an OpenSearch domain sized far beyond its ingest, Redshift base capacity idle.
import { MIB, PipelineContext, activePartitions, gbOf } from "./pipeline-context";
import { HOURS_PER_MONTH } from "./meter";
import { FIREHOSE_BILLING_INCREMENT, billedRecordBytes, firehoseMeters } from "./meters/firehose";
import { destinationMeters } from "./meters/destinations";
import { BUFFER_LIMITS } from "../config/settings";

export interface Finding {
  readonly pipeline: string;
  readonly title: string;
  readonly detail: string;
}

/** Athena and Spark read Parquet well from about 64 MiB per object up (the threshold). */
export const MIN_PARQUET_OBJECT_BYTES = 64 * MIB;
/** More objects than one per 15 minutes (Firehose's longest interval) per partition and day are small files. */
export const MAX_OBJECTS_PER_PARTITION_PER_DAY = 96;
/** Firehose's default limit of active partitions per stream. */
export const MAX_ACTIVE_PARTITIONS = 500;
/** Redshift Serverless bills each query at least 60 seconds of capacity (Redshift management guide). */
export const REDSHIFT_MIN_BILLED_SECONDS = 60;
/** OpenSearch sizing guidance: source data × (1 + replicas) × 1.45 of storage; one replica assumed. */
const OPENSEARCH_STORAGE_FACTOR = 2 * 1.45;
/** A domain whose volumes would hold more than this many days of ingest is flagged as oversized. */
const OPENSEARCH_MAX_DAYS = 90;

const usd = (n: number) => `$${n.toFixed(2)}`;
const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;

export function findingsOf(ctx: PipelineContext): Finding[] {
  const found: Omit<Finding, "pipeline">[] = [
    ...roundingFinding(ctx),
    ...partitionLimitFinding(ctx),
    ...objectSizeFindings(ctx),
    ...openSearchFinding(ctx),
    ...redshiftFinding(ctx),
  ];
  return found.map((f) => ({ pipeline: ctx.pipeline.name, ...f }));
}

function roundingFinding(ctx: PipelineContext): Omit<Finding, "pipeline">[] {
  const bytes = ctx.usage.recordBytes;
  const billed = billedRecordBytes(bytes);
  if (ctx.recordsPerMonth === 0 || billed < 1.5 * bytes) return [];
  const perRecord = Math.floor(FIREHOSE_BILLING_INCREMENT / bytes);
  const packed = {
    ...ctx,
    recordsPerMonth: ctx.recordsPerMonth / perRecord,
    usage: { ...ctx.usage, recordBytes: bytes * perRecord },
  };
  const rounded = ["firehose-ingestion", "format-conversion", "vpc-delivery-gb"];
  const cost = (c: PipelineContext) =>
    firehoseMeters(c)
      .filter((m) => rounded.includes(m.meter))
      .reduce((sum, m) => sum + m.usd, 0);
  const saving = cost(ctx) - cost(packed);
  const dest = ctx.pipeline.destination;
  const how =
    dest.type === "s3" && dest.partitioning
      ? "and set destination.deaggregation (JSON or DELIMITED) so Firehose splits them again"
      : "and split them again downstream (Firehose's de-aggregation needs dynamic partitioning)";
  return [
    {
      title: "5 KB rounding",
      detail:
        `records of ${bytes} bytes are billed as ${billed}: ${gbOf(ctx.recordsPerMonth * billed).toFixed(1)} GB billed ` +
        `for ${gbOf(ctx.bytesPerMonth).toFixed(1)} GB sent. Packing ${perRecord} records per Firehose record ${how} ` +
        `saves ${usd(saving)}/month.`,
    },
  ];
}

function partitionLimitFinding(ctx: PipelineContext): Omit<Finding, "pipeline">[] {
  const partitions = activePartitions(ctx.pipeline, ctx.usage);
  if (partitions <= MAX_ACTIVE_PARTITIONS) return [];
  return [
    {
      title: "too many active partitions",
      detail: `${partitions} active partitions exceed Firehose's limit of ${MAX_ACTIVE_PARTITIONS} per stream: records beyond it go to the error prefix. Partition by fewer or lower-cardinality keys.`,
    },
  ];
}

function objectSizeFindings(ctx: PipelineContext): Omit<Finding, "pipeline">[] {
  const model = ctx.objects;
  const dest = ctx.pipeline.destination;
  if (!model || model.perHour === 0) return [];
  const findings: Omit<Finding, "pipeline">[] = [];
  const perPartitionPerDay = (model.perHour * ctx.usage.hoursActive) / model.partitions;
  const inputPerSecond = ctx.bytesPerMonth / (ctx.activeHoursPerMonth * 3600) / model.partitions;
  const [, maxSizeMiB] = BUFFER_LIMITS.s3.sizeMiB;
  const [, maxInterval] = BUFFER_LIMITS.s3.intervalSeconds;
  if (dest.type === "s3" && dest.format === "parquet" && model.meanBytes < MIN_PARQUET_OBJECT_BYTES) {
    const neededInput = MIN_PARQUET_OBJECT_BYTES / model.bytesWrittenRatio;
    const neededInterval = Math.ceil(neededInput / inputPerSecond);
    const fix =
      neededInput > maxSizeMiB * MIB
        ? `even a full ${maxSizeMiB} MiB buffer gives ${mib(maxSizeMiB * MIB * model.bytesWrittenRatio)} objects at this compression ratio (${model.bytesWrittenRatio}); use fewer partitions or compact the objects after delivery`
        : neededInterval > maxInterval
          ? `at ${mib(inputPerSecond)}/s per partition a buffer fills only ${mib(inputPerSecond * maxInterval)} in ${maxInterval} s; use fewer partitions (at most ${Math.floor(((ctx.bytesPerMonth / (ctx.activeHoursPerMonth * 3600)) * maxInterval) / neededInput)}) or compact after delivery`
          : `set buffer to { sizeMiB: ${maxSizeMiB}, intervalSeconds: ${Math.max(neededInterval, dest.buffer.intervalSeconds)} } (needs ${mib(neededInput)} per partition before conversion)`;
    findings.push({
      title: "small Parquet objects",
      detail: `objects average ${mib(model.meanBytes)} (under ${mib(MIN_PARQUET_OBJECT_BYTES)}) with ${model.partitions} active partitions and buffer ${dest.buffer.sizeMiB} MiB / ${dest.buffer.intervalSeconds} s: ${fix}.`,
    });
  }
  if (perPartitionPerDay > MAX_OBJECTS_PER_PARTITION_PER_DAY && model.flushedBy === "interval") {
    findings.push({
      title: "many small objects",
      detail: `${perPartitionPerDay.toFixed(0)} objects per partition per day of ${mib(model.meanBytes)} each, flushed by the ${ctx.pipeline.destination.buffer.intervalSeconds} s interval: set intervalSeconds to ${maxInterval} for ${MAX_OBJECTS_PER_PARTITION_PER_DAY} per day (fewer S3 PUTs${dest.type === "s3" && dest.partitioning ? " and dynamic-partitioning object charges" : ""}).`,
    });
  }
  return findings;
}

function openSearchFinding(ctx: PipelineContext): Omit<Finding, "pipeline">[] {
  const dest = ctx.pipeline.destination;
  if (dest.type !== "opensearch") return [];
  const gbPerDay = gbOf(ctx.bytesPerMonth) / (HOURS_PER_MONTH / 24);
  const capacityGb = dest.instanceCount * dest.volumeSizeGiB;
  const days = gbPerDay > 0 ? capacityGb / (gbPerDay * OPENSEARCH_STORAGE_FACTOR) : Infinity;
  if (days <= OPENSEARCH_MAX_DAYS) return [];
  const monthly = destinationMeters(ctx).reduce((sum, m) => sum + m.usd, 0);
  return [
    {
      title: "OpenSearch sized beyond the ingest rate",
      detail: `${dest.instanceCount} × ${dest.instanceType} with ${dest.volumeSizeGiB} GiB each (${usd(monthly)}/month) holds ${Number.isFinite(days) ? days.toFixed(0) : "unlimited"} days of this ingest (${gbPerDay.toFixed(2)} GB/day × ${OPENSEARCH_STORAGE_FACTOR} for a replica and overhead); size the volumes or the instance count to the retention you keep.`,
    },
  ];
}

function redshiftFinding(ctx: PipelineContext): Omit<Finding, "pipeline">[] {
  const dest = ctx.pipeline.destination;
  if (dest.type !== "redshift" || dest.warehouse !== "serverless" || !ctx.objects) return [];
  // Firehose runs one COPY per staging object; each wakes the warehouse for at least a minute.
  const copyHoursPerDay =
    Math.min(1, (ctx.objects.perHour * REDSHIFT_MIN_BILLED_SECONDS) / 3600) * ctx.usage.hoursActive;
  if (copyHoursPerDay >= ctx.usage.hoursActive / 2) return [];
  return [
    {
      title: "Redshift base capacity idle most of the day",
      detail: `${dest.baseCapacityRpu} RPU for ${ctx.usage.hoursActive} h/day, but Firehose's ${ctx.objects.perHour.toFixed(0)} COPYs an hour (each billed at least ${REDSHIFT_MIN_BILLED_SECONDS} s) keep it busy ${copyHoursPerDay.toFixed(1)} h/day: if nothing else queries it, pass --hours-active ${copyHoursPerDay.toFixed(1)} (or a usage file) to price that, and raise buffer.intervalSeconds to ${BUFFER_LIMITS.s3.intervalSeconds[1]} for fewer COPYs.`,
    },
  ];
}
