// Where an S3 pipeline writes: its data and error prefixes, the keys it partitions by, and the Glue partition
// columns (with Athena projection) that read them back. The program, the Glue table and the local run all use
// this one derivation, so the layout a user sees locally is the layout `pulumi up` deploys.
import { TIME_PARTITION_KEYS } from "../lambda/transform/partition-keys";
import { parsePrefix, PrefixExpression, PrefixText } from "../policy/rules/prefix-expressions";
import { PartitioningSettings, S3DestinationSettings } from "./settings";

export const DATA_ROOT = "data/";
export const ERROR_ROOT = "errors/";
/** Objects Firehose stages for Redshift's COPY: `staging/<pipeline>/`. */
export const STAGING_ROOT = "staging/";
/** Records OpenSearch or an HTTP endpoint did not take (or all records): `backup/<pipeline>/`. */
export const BACKUP_ROOT = "backup/";
/** A replay's progress: one manifest per replayed object, `replay/<pipeline>/<source key>.json` (replay/). */
export const REPLAY_ROOT = "replay/";

/** How Athena projects one partition column's values (partition projection: no crawler needed). */
export type Projection =
  | { type: "integer"; range: string; digits?: number }
  | { type: "enum"; values: string[] }
  | { type: "injected" };

export interface PartitionColumn {
  readonly name: string;
  readonly projection: Projection;
}

export interface S3Layout {
  /** The data prefix, with Firehose expressions. */
  readonly prefix: string;
  readonly errorOutputPrefix: string;
  /** Hive-style `name=` segments of the prefix, in order: the Glue table's partition columns. */
  readonly partitionColumns: PartitionColumn[];
  /** Inline extraction: the jq query for Firehose's MetadataExtraction processor. */
  readonly metadataExtractionQuery?: string;
  /** Keys the transform Lambda must return in `metadata.partitionKeys`. */
  readonly lambdaPartitionKeys: string[];
}

/** The transform's time partition keys: the finest granularity names them all. */
type TimeKey = (typeof TIME_PARTITION_KEYS)["hour"][number];

/** How each time partition key (named by the transform, which also produces them) is written and projected. */
const TIME_PART: Readonly<Record<TimeKey, { pattern: string; projection: Projection }>> = {
  year: { pattern: "yyyy", projection: { type: "integer", range: "2020,2100" } },
  month: { pattern: "MM", projection: { type: "integer", range: "1,12", digits: 2 } },
  day: { pattern: "dd", projection: { type: "integer", range: "1,31", digits: 2 } },
  hour: { pattern: "HH", projection: { type: "integer", range: "0,23", digits: 2 } },
};

function timeParts(granularity: "day" | "hour") {
  return TIME_PARTITION_KEYS[granularity].map((name) => ({ name, ...TIME_PART[name] }));
}

/** The layout of the S3 pipeline `pipeline`; its errors go under `errors/<pipeline>/`, beside other pipelines' errors. */
export function s3Layout(dest: S3DestinationSettings, pipeline: string): S3Layout {
  const part = dest.partitioning;
  const derivedPrefix = DATA_ROOT + (part ? partitionedSegments(part) : arrivalTimeSegments("day"));
  const prefix = dest.prefix ?? derivedPrefix;
  return {
    prefix,
    errorOutputPrefix: dest.errorOutputPrefix ?? errorPrefixOf(pipeline),
    partitionColumns: partitionColumnsOf(prefix, part),
    metadataExtractionQuery:
      part?.extractor === "inline"
        ? `{${part.fields.map((f) => `${f.name}:.${f.name}`).join(",")}}`
        : undefined,
    lambdaPartitionKeys:
      part?.extractor === "lambda"
        ? [
            ...part.fields.map((f) => f.name),
            ...(part.time === "event" ? timeParts(part.granularity).map((t) => t.name) : []),
          ]
        : [],
  };
}

/** Where a pipeline's failed records go: never inside the table's location, one folder per failure type. */
export function errorPrefixOf(pipeline: string): string {
  return `${ERROR_ROOT}${pipeline}/!{firehose:error-output-type}/${arrivalTimeSegments("day")}`;
}

function arrivalTimeSegments(granularity: "day" | "hour"): string {
  return timeParts(granularity)
    .map((t) => `${t.name}=!{timestamp:${t.pattern}}/`)
    .join("");
}

function partitionedSegments(part: PartitioningSettings): string {
  const namespace = part.extractor === "inline" ? "partitionKeyFromQuery" : "partitionKeyFromLambda";
  const fields = part.fields.map((f) => `${f.name}=!{${namespace}:${f.name}}/`).join("");
  const time =
    part.time === "event"
      ? timeParts(part.granularity)
          .map((t) => `${t.name}=!{partitionKeyFromLambda:${t.name}}/`)
          .join("")
      : arrivalTimeSegments(part.granularity);
  return fields + time;
}

/** A Hive-style `name=` right before an expression: the text that names a partition column. */
const COLUMN_NAME = /(?:^|\/)([a-z_][a-z0-9_]*)=$/;

/** Each expression of the prefix's parts that a `name=` segment names, with that name, in order. */
function columnSegments(
  parts: readonly (PrefixText | PrefixExpression)[],
): { name: string; expression: PrefixExpression }[] {
  return parts.flatMap((part, i) => {
    const before = parts[i - 1];
    if (part.namespace === "text" || before?.namespace !== "text") return [];
    const name = COLUMN_NAME.exec(before.text)?.[1];
    return name === undefined ? [] : [{ name, expression: part }];
  });
}

/** Reads the partition columns back from the prefix's `name=` segments, so an overridden prefix works too. */
function partitionColumnsOf(prefix: string, part: PartitioningSettings | undefined): PartitionColumn[] {
  return columnSegments(parsePrefix(prefix).parts).map(({ name, expression }) => {
    const time = Object.hasOwn(TIME_PART, name) ? TIME_PART[name as TimeKey] : undefined;
    const field = part?.fields.find((f) => f.name === name);
    const projection: Projection =
      time && (expression.namespace === "timestamp" ? expression.value === time.pattern : true)
        ? { ...time.projection }
        : field?.values
          ? { type: "enum", values: field.values }
          : { type: "injected" };
    return { name, projection };
  });
}

/** Athena's `storage.location.template`: the table location with `${column}` for each partition segment. */
export function locationTemplate(bucket: string, layout: S3Layout): string {
  const columns = new Set(layout.partitionColumns.map((c) => c.name));
  const { parts } = parsePrefix(layout.prefix);
  const byExpression = new Map<PrefixText | PrefixExpression, string>(
    columnSegments(parts)
      .filter((s) => columns.has(s.name))
      .map((s) => [s.expression, s.name]),
  );
  const path = parts
    .map((part) => {
      const name = byExpression.get(part);
      return name === undefined ? part.text : `\${${name}}`;
    })
    .join("");
  return `s3://${bucket}/${path}`;
}

/** The table's location: the fixed part of the data prefix, before its first expression. */
export function tableRoot(layout: Pick<S3Layout, "prefix">): string {
  const fixed = parsePrefix(layout.prefix).literalHead;
  return fixed.slice(0, fixed.lastIndexOf("/") + 1);
}

/**
 * The Athena query that counts events per partition. Injected partition columns have no known values, so
 * Athena needs them pinned in a WHERE clause: the query names them with a placeholder to fill in.
 */
export function partitionCountQuery(database: string, table: string, layout: S3Layout): string {
  const columns = layout.partitionColumns.map((c) => c.name);
  const injected = layout.partitionColumns.filter((c) => c.projection.type === "injected");
  const select = columns.length > 0 ? `${columns.join(", ")}, count(*) AS events` : "count(*) AS events";
  const where =
    injected.length > 0 ? ` WHERE ${injected.map((c) => `${c.name} = '<${c.name}>'`).join(" AND ")}` : "";
  const group = columns.length > 0 ? ` GROUP BY ${columns.join(", ")} ORDER BY ${columns.join(", ")}` : "";
  return `SELECT ${select} FROM "${database}"."${table}"${where}${group}`;
}
