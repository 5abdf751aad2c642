// Where an S3 pipeline writes: its data and error prefixes, the keys it partitions by, and the Glue partition
// columns (with Athena projection) that read them back. The program, the Glue table and the local run all use
// this one derivation, so the layout a user sees locally is the layout `pulumi up` deploys.
import { PartitioningSettings, S3DestinationSettings } from "./settings";

export const DATA_ROOT = "data/";
export const ERROR_ROOT = "errors/";
/** Objects Firehose stages for Redshift's COPY: `staging/<pipeline>/`. */
export const STAGING_ROOT = "staging/";
/** Records OpenSearch or an HTTP endpoint did not take (or all records): `backup/<pipeline>/`. */
export const BACKUP_ROOT = "backup/";

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

const TIME_PARTS = [
  { name: "year", pattern: "yyyy", projection: { type: "integer", range: "2020,2100" } },
  { name: "month", pattern: "MM", projection: { type: "integer", range: "1,12", digits: 2 } },
  { name: "day", pattern: "dd", projection: { type: "integer", range: "1,31", digits: 2 } },
  { name: "hour", pattern: "HH", projection: { type: "integer", range: "0,23", digits: 2 } },
] as const;

function timeParts(granularity: "day" | "hour") {
  return granularity === "hour" ? TIME_PARTS : TIME_PARTS.slice(0, 3);
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

/** Reads the partition columns back from the prefix's `name=` segments, so an overridden prefix works too. */
function partitionColumnsOf(prefix: string, part: PartitioningSettings | undefined): PartitionColumn[] {
  const columns: PartitionColumn[] = [];
  for (const match of prefix.matchAll(/(?:^|\/)([a-z_][a-z0-9_]*)=!\{([A-Za-z]+):([^}]+)\}/g)) {
    const [, name, namespace, value] = match;
    const time = TIME_PARTS.find((t) => t.name === name);
    const field = part?.fields.find((f) => f.name === name);
    const projection: Projection =
      time && (namespace === "timestamp" ? value === time.pattern : true)
        ? { ...time.projection }
        : field?.values
          ? { type: "enum", values: field.values }
          : { type: "injected" };
    columns.push({ name, projection });
  }
  return columns;
}

/** Athena's `storage.location.template`: the table location with `${column}` for each partition segment. */
export function locationTemplate(bucket: string, layout: S3Layout): string {
  let template = `s3://${bucket}/${layout.prefix}`;
  for (const column of layout.partitionColumns) {
    template = template.replace(
      new RegExp(`${column.name}=!\\{[^}]+\\}`),
      `${column.name}=\${${column.name}}`,
    );
  }
  return template;
}

/** The table's location: the fixed part of the data prefix, before its first expression. */
export function tableRoot(layout: S3Layout): string {
  const fixed = layout.prefix.split("!{")[0];
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
