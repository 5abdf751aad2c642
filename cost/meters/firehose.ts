// Firehose's own meters: ingestion (tiered, each record rounded up to 5 KB for Direct PUT and Kinesis sources),
// format conversion (per GB ingested, same rounding), dynamic partitioning (per GB delivered, per 1,000 objects,
// per jq processing hour) and VPC delivery (per AZ-hour and per GB). Source: the Firehose pricing page.
import { Meter, priced } from "../meter";
import { PipelineContext, gbOf } from "../pipeline-context";

/** Firehose bills each record in 5 KB (5,120-byte) increments. */
export const FIREHOSE_BILLING_INCREMENT = 5120;

/**
 * jq processing hours per record when usage gives none: AWS's dynamic partitioning example assumes 70 JQ hours
 * for 100 records/s over a 30-day month (259,200,000 records).
 */
export const JQ_HOURS_PER_RECORD = 70 / 259_200_000;

/** A record's billed size: rounded up to the next 5 KB. */
export function billedRecordBytes(recordBytes: number): number {
  return Math.ceil(recordBytes / FIREHOSE_BILLING_INCREMENT) * FIREHOSE_BILLING_INCREMENT;
}

/** GB billed for ingestion: records × their rounded size. */
export function billedIngestionGb(ctx: PipelineContext): number {
  return gbOf(ctx.recordsPerMonth * billedRecordBytes(ctx.usage.recordBytes));
}

export function firehoseMeters(ctx: PipelineContext): Meter[] {
  const { table, pipeline } = ctx;
  const dest = pipeline.destination;
  const billedGb = billedIngestionGb(ctx);
  const meters = [priced(table, "firehose-ingestion", "firehose-ingestion", billedGb)];
  if (dest.type === "s3" && dest.format === "parquet") {
    meters.push(priced(table, "format-conversion", "firehose-format-conversion", billedGb));
  }
  if (dest.type === "s3" && dest.partitioning) {
    meters.push(
      priced(table, "dynamic-partitioning-gb", "firehose-dynamic-partitioning-gb", gbOf(ctx.bytesPerMonth)),
      priced(
        table,
        "dynamic-partitioning-objects",
        "firehose-dynamic-partitioning-objects",
        ctx.objectsPerMonth,
      ),
    );
    if (dest.partitioning.extractor === "inline") {
      const hours = ctx.usage.jqHoursPerMonth ?? ctx.recordsPerMonth * JQ_HOURS_PER_RECORD;
      meters.push(priced(table, "dynamic-partitioning-jq-hours", "firehose-jq-hours", hours));
    }
  }
  if (ctx.vpcSubnets > 0) {
    meters.push(
      priced(table, "vpc-delivery-az-hours", "firehose-vpc-az-hours", ctx.vpcSubnets * ctx.monthHours),
      priced(table, "vpc-delivery-gb", "firehose-vpc-gb", billedGb),
    );
  }
  return meters;
}
