// The Kinesis data stream every delivery stream reads (`source.type: kinesis`). On-demand: stream-hours, GB in
// (each record rounded up to 1 KB), GB out (each delivery stream is one consumer reading everything) and
// retention beyond 24 hours; provisioned: shard-hours and PUT payload units (25 KB each). Source: the Kinesis
// Data Streams pricing page.
import { GB, HOURS_PER_MONTH, Meter, priced } from "../meter";
import { PipelineContext, gbOf } from "../pipeline-context";
import { PriceTable } from "../price-table";
import { SourceSettings } from "../../config/settings";

const DATA_IN_INCREMENT = 1024;
const PUT_PAYLOAD_UNIT = 25 * 1024;
const INCLUDED_RETENTION_HOURS = 24;
const EXTENDED_RETENTION_HOURS = 7 * 24;

/** What each delivery stream reads from the source stream. */
export function kinesisConsumerMeters(ctx: PipelineContext): Meter[] {
  const source = ctx.stack.source;
  if (source.type !== "kinesis" || source.shardCount !== undefined) return [];
  return [priced(ctx.table, "kinesis-data-out", "kinesis-data-out-gb", gbOf(ctx.bytesPerMonth))];
}

/** The source stream itself, once per stack: it carries the busiest pipeline's traffic. */
export function kinesisStreamMeters(
  table: PriceTable,
  source: SourceSettings,
  pipelines: PipelineContext[],
): Meter[] {
  if (source.type !== "kinesis") return [];
  const busiest = pipelines.reduce((a, b) => (b.bytesPerMonth > a.bytesPerMonth ? b : a));
  const records = busiest.recordsPerMonth;
  const recordBytes = busiest.usage.recordBytes;
  if (source.shardCount !== undefined) {
    const units = records * Math.ceil(recordBytes / PUT_PAYLOAD_UNIT);
    return [
      priced(table, "kinesis-shard-hours", "kinesis-shard-hours", source.shardCount * HOURS_PER_MONTH),
      priced(table, "kinesis-put-payload-units", "kinesis-put-payload-units", units),
    ];
  }
  const dataInBytes = records * Math.ceil(recordBytes / DATA_IN_INCREMENT) * DATA_IN_INCREMENT;
  const meters = [
    priced(table, "kinesis-stream-hours", "kinesis-stream-hours", HOURS_PER_MONTH),
    priced(table, "kinesis-data-in", "kinesis-data-in-gb", dataInBytes / GB),
  ];
  // Data kept beyond the included 24 hours, held on average all month: GB-months = GB/month × extra hours / month.
  const extended = Math.min(source.retentionHours, EXTENDED_RETENTION_HOURS) - INCLUDED_RETENTION_HOURS;
  const longTerm = Math.max(0, source.retentionHours - EXTENDED_RETENTION_HOURS);
  const gbMonth = (hours: number) => (gbOf(dataInBytes) * hours) / HOURS_PER_MONTH;
  if (extended > 0) {
    meters.push(
      priced(table, "kinesis-extended-retention", "kinesis-extended-retention-gb-months", gbMonth(extended)),
    );
  }
  if (longTerm > 0) {
    meters.push(
      priced(
        table,
        "kinesis-long-term-retention",
        "kinesis-long-term-retention-gb-months",
        gbMonth(longTerm),
      ),
    );
  }
  return meters;
}
