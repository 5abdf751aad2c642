// Extended S3, the data lake: layout overrides, dynamic partitioning, de-aggregation and Parquet conversion.
import { z } from "zod";
import { DESTINATION_BUFFER_LIMITS } from "../../policy/rules/firehose-limits";
import { bufferSchema, glueName, issueReporter } from "./common";
import { defineDestination } from "./spec";

const partitionField = z.strictObject({
  /** Record field (top level) that becomes a partition key and a Glue partition column. */
  name: glueName,
  /** Known values: Athena projects them as an enum; without them the column is `injected` (queries must name it). */
  values: z.array(z.string().min(1)).min(1).optional(),
});

const partitioning = z.strictObject({
  /** Who extracts the keys: Firehose's inline jq parser (`inline`) or the transform Lambda (`lambda`). */
  extractor: z.enum(["inline", "lambda"]),
  fields: z.array(partitionField).max(50).default([]),
  /** Time partitions: from the arrival time (`!{timestamp:...}`) or the event's `ts` (Lambda keys only). */
  time: z.enum(["arrival", "event"]).default("arrival"),
  granularity: z.enum(["day", "hour"]).default("day"),
});

/**
 * Firehose's multi-record de-aggregation (the RecordDeAggregation processor), before the transform: a record
 * holding several JSON objects (`{..}{..}` or JSON Lines) or several `delimiter`-separated records becomes that
 * many records. Producers pack records this way because Firehose bills each record rounded up to 5 KB.
 */
const deaggregation = z.strictObject({
  subRecordType: z.enum(["JSON", "DELIMITED"]),
  /** The separator of DELIMITED records, as text (the stack passes it to Firehose base64-encoded). */
  delimiter: z.string().min(1).max(100).optional(),
});

const schema = z
  .strictObject({
    type: z.literal("s3"),
    buffer: bufferSchema(DESTINATION_BUFFER_LIMITS.extended_s3),
    compression: z.enum(["UNCOMPRESSED", "GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY"]).default("GZIP"),
    /** `json` writes JSON Lines; `parquet` converts against the Glue table (stream compression must be UNCOMPRESSED). */
    format: z.enum(["json", "parquet"]).default("json"),
    parquetCompression: z.enum(["SNAPPY", "GZIP", "UNCOMPRESSED"]).default("SNAPPY"),
    /** Dynamic partitioning (can only be chosen when the stream is created). */
    partitioning: partitioning.optional(),
    /** Split packed records before the transform; needs `partitioning` (a Firehose rule). */
    deaggregation: deaggregation.optional(),
    /** Overrides of the derived prefixes, for layouts that must match an existing lake. */
    prefix: z.string().min(1).max(1024).optional(),
    errorOutputPrefix: z.string().min(1).max(1024).optional(),
  })
  .superRefine((dest, ctx) => {
    const issue = issueReporter(ctx);
    const part = dest.partitioning;
    if (part?.time === "event" && part.extractor !== "lambda") {
      issue(
        ["partitioning", "time"],
        "event-time partitions need extractor 'lambda' (Firehose's inline parser cannot format dates)",
      );
    }
    if (part && part.fields.length === 0 && part.time === "arrival") {
      issue(
        ["partitioning", "fields"],
        "dynamic partitioning needs at least one partition field, or time 'event'",
      );
    }
    if (!dest.deaggregation) return;
    const { subRecordType, delimiter } = dest.deaggregation;
    if (!part) {
      issue(
        ["deaggregation"],
        "de-aggregation needs dynamic partitioning (Firehose: a RecordDeAggregation processor can only be present when Dynamic Partitioning is enabled); add partitioning",
      );
    }
    if (subRecordType === "DELIMITED" && delimiter === undefined) {
      issue(
        ["deaggregation", "delimiter"],
        "subRecordType DELIMITED needs a delimiter, such as '\\n' or '####'",
      );
    }
    if (subRecordType === "JSON" && delimiter !== undefined) {
      issue(
        ["deaggregation", "delimiter"],
        "subRecordType JSON splits at JSON object boundaries and takes no delimiter; remove it or use DELIMITED",
      );
    }
  });

export const s3Destination = defineDestination({
  schema,
  checkStack(pipelines, stack, report) {
    const columns = new Set(stack.table.columns.map((c) => c.name));
    for (const { index, destination } of pipelines) {
      destination.partitioning?.fields.forEach((f, j) => {
        if (columns.has(f.name)) {
          report(
            ["pipelines", index, "destination", "partitioning", "fields", j, "name"],
            `'${f.name}' is also a table column; a partition column must not repeat a data column`,
          );
        }
      });
    }
    if (pipelines.length > 1) {
      report(["pipelines"], `at most one s3 pipeline writes the lake table, got ${pipelines.length}`);
    }
  },
  recordFields: (dest) => (dest.partitioning?.fields ?? []).map((f) => f.name),
});
