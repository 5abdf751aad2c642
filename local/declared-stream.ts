// A declared FirehoseDeliveryStream's inputs, read into what the local run needs to imitate it: source, processors
// and their parameters, buffering hints, prefixes, compression or Parquet conversion (with the declared Glue
// table's columns), or the Iceberg tables it writes. Unset inputs take the values Firehose and the provider use
// (policy/rules/firehose-limits.ts).
import { DEAGGREGATION_PROCESSOR } from "../config/deaggregation";
import { glueTypeOfIceberg } from "../config/iceberg-types";
import { DeaggregationSettings } from "../config/settings";
import { StackResource } from "../offline/evaluate-stack";
import { activeProcessors, processingOf, Processor } from "../policy/rules/firehose-processors";
import { DESTINATION_BUFFER_LIMITS, LAMBDA_PROCESSOR_DEFAULTS } from "../policy/rules/firehose-limits";
import { DECLARED_TYPES, DeclaredStack, declaredOfType } from "./declared-stack";
import { ParquetCompression } from "./parquet-object";

/** The processors the local run implements, in the order it applies them. */
export const LOCAL_PROCESSOR_ORDER = [DEAGGREGATION_PROCESSOR, "Lambda", "MetadataExtraction"] as const;

export interface GlueTableName {
  readonly databaseName: string;
  readonly tableName: string;
}

/** An Iceberg table a stream writes: where its files go and the columns of its schema (as Glue types). */
export interface DeclaredIcebergTable {
  readonly database: string;
  readonly name: string;
  /** The key prefix of the table's location in the bucket (`iceberg/<table>/`). */
  readonly root: string;
  readonly columns: readonly { name: string; type: string }[];
  /** Set where the stream upserts: the row a record updates or deletes is the one with its key values. */
  readonly uniqueKeys?: readonly string[];
}

export type DeclaredOutput =
  | { readonly format: "json"; readonly compression: "GZIP" | "UNCOMPRESSED" }
  | {
      readonly format: "parquet";
      readonly compression: ParquetCompression;
      readonly table: GlueTableName;
      readonly columns: readonly { name: string; type: string }[];
    }
  | {
      readonly format: "iceberg";
      readonly appendOnly: boolean;
      readonly tables: readonly DeclaredIcebergTable[];
    };

/**
 * A declared stream to S3 or to Iceberg tables, as the local run runs it. For Iceberg, `prefix` is where the
 * local run puts the data files: `<table location>data/`, in an `op=<operation>/` folder when the stream
 * upserts (the table comes from the routing keys when records are routed).
 */
export interface DeclaredStream {
  readonly name: string;
  readonly arn: string;
  /** The stream's inputs, for DescribeDeliveryStream. */
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly sourceKinesisStreamArn?: string;
  /** Server-side encryption of Direct PUT records. */
  readonly encrypted: boolean;
  readonly deaggregation?: DeaggregationSettings;
  /** The Lambda processor's buffer and retries (its function: declared-stack.ts, localTransformOf). */
  readonly lambda: {
    readonly sizeMiB: number;
    readonly intervalSeconds: number;
    readonly retries: number;
  };
  readonly metadataExtractionQuery?: string;
  readonly prefix: string;
  readonly errorOutputPrefix: string;
  readonly buffer: { readonly sizeMiB: number; readonly intervalSeconds: number };
  readonly output: DeclaredOutput;
}

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The declared streams the local run runs (extended S3, Iceberg), and the others by name and destination. */
export function declaredStreams(stack: DeclaredStack): {
  streams: DeclaredStream[];
  skipped: { stream: string; destination: string }[];
} {
  const streams: DeclaredStream[] = [];
  const skipped: { stream: string; destination: string }[] = [];
  for (const resource of declaredOfType(stack, DECLARED_TYPES.stream)) {
    const inputs = resource.inputs as Inputs;
    if (inputs.destination === "extended_s3" || inputs.destination === "iceberg") {
      streams.push(streamOf(stack, resource));
    } else skipped.push({ stream: String(inputs.name), destination: String(inputs.destination) });
  }
  return { streams, skipped };
}

function streamOf(stack: DeclaredStack, resource: StackResource): DeclaredStream {
  const inputs = resource.inputs as Inputs;
  const name = String(inputs.name);
  const iceberg = inputs.destination === "iceberg";
  const blockPath = iceberg ? "icebergConfiguration" : "extendedS3Configuration";
  const config = inputs[blockPath] as Inputs;
  const where = `stream ${name}`;
  const processors = processorsOf(config, blockPath, where);
  const lambda = processors.get("Lambda");
  if (!lambda) throw new Error(`${where}: declares no Lambda processor; the local run runs the transform`);
  const parameter = (p: Processor, key: string) => {
    const value = p.parameters.get(key);
    return typeof value === "string" ? value : undefined;
  };
  const deaggregation = processors.get(DEAGGREGATION_PROCESSOR);
  const extraction = processors.get("MetadataExtraction");
  const limits = DESTINATION_BUFFER_LIMITS[iceberg ? "iceberg" : "extended_s3"];
  const metadataExtractionQuery = extraction && parameter(extraction, "MetadataExtractionQuery");
  const output = iceberg ? icebergOutputOf(stack, config, where) : outputOf(stack, config, where);
  const subRecordType = deaggregation && parameter(deaggregation, "SubRecordType");
  const delimiter = deaggregation && parameter(deaggregation, "Delimiter");
  return {
    name,
    arn: String(resource.state?.arn),
    inputs,
    sourceKinesisStreamArn: inputs.kinesisSourceConfiguration?.kinesisStreamArn,
    encrypted: inputs.serverSideEncryption?.enabled === true,
    deaggregation:
      subRecordType === "JSON" || subRecordType === "DELIMITED"
        ? {
            subRecordType,
            ...(delimiter ? { delimiter: Buffer.from(delimiter, "base64").toString("utf8") } : {}),
          }
        : undefined,
    lambda: {
      sizeMiB: Number(parameter(lambda, "BufferSizeInMBs") ?? LAMBDA_PROCESSOR_DEFAULTS.BufferSizeInMBs),
      intervalSeconds: Number(
        parameter(lambda, "BufferIntervalInSeconds") ?? LAMBDA_PROCESSOR_DEFAULTS.BufferIntervalInSeconds,
      ),
      retries: Number(parameter(lambda, "NumberOfRetries") ?? LAMBDA_PROCESSOR_DEFAULTS.NumberOfRetries),
    },
    metadataExtractionQuery,
    prefix:
      output.format === "iceberg"
        ? icebergDataPrefix(output, metadataExtractionQuery !== undefined, where)
        : (config.prefix ?? ""),
    // An Iceberg stream writes failed records with its S3 configuration (the lake's error prefix).
    errorOutputPrefix: (iceberg ? config.s3Configuration?.errorOutputPrefix : config.errorOutputPrefix) ?? "",
    buffer: {
      sizeMiB: config.bufferingSize ?? limits.defaultSizeMiB,
      intervalSeconds: config.bufferingInterval ?? limits.defaultIntervalSeconds,
    },
    output,
  };
}

/** The enabled processors by type; refused when the local run would apply them in another order or not at all. */
function processorsOf(config: Inputs, blockPath: string, where: string): Map<string, Processor> {
  const active = activeProcessors(processingOf(config, blockPath));
  // Stryker disable next-line ArrayDeclaration: inputs evaluated under the mocks are never unknown
  const list = Array.isArray(active) ? (active as readonly Processor[]) : [];
  const types = list.map((p) => String(p.type));
  const known = LOCAL_PROCESSOR_ORDER as readonly string[];
  const unknown = types.filter((t) => !known.includes(t));
  if (unknown.length > 0) {
    throw new Error(`${where}: processor ${unknown.join(", ")} is not run locally (${known.join(", ")} are)`);
  }
  const expected = known.filter((t) => types.includes(t));
  if (types.join() !== expected.join()) {
    throw new Error(
      `${where}: declares its processors in the order ${types.join(", ")}; the local run applies them as ` +
        `${expected.join(", ")}`,
    );
  }
  return new Map(list.map((p) => [String(p.type), p]));
}

function outputOf(stack: DeclaredStack, config: Inputs, where: string): DeclaredOutput {
  const conversion = config.dataFormatConversionConfiguration as Inputs | undefined;
  if (conversion && conversion.enabled !== false) {
    const schema = conversion.schemaConfiguration as Inputs;
    const table = { databaseName: String(schema.databaseName), tableName: String(schema.tableName) };
    const declared = declaredOfType(stack, DECLARED_TYPES.table).find(
      (t) => t.inputs.databaseName === table.databaseName && t.inputs.name === table.tableName,
    );
    if (!declared) {
      throw new Error(
        `${where}: converts with the Glue table ${table.databaseName}.${table.tableName}, not declared`,
      );
    }
    return {
      format: "parquet",
      compression: conversion.outputFormatConfiguration?.serializer?.parquetSerDe?.compression ?? "SNAPPY",
      table,
      columns: (declared.inputs as Inputs).storageDescriptor.columns,
    };
  }
  const compression = config.compressionFormat ?? "UNCOMPRESSED";
  if (compression !== "GZIP" && compression !== "UNCOMPRESSED") {
    throw new Error(
      `${where}: compressionFormat ${compression} is not simulated locally (GZIP and UNCOMPRESSED are)`,
    );
  }
  return { format: "json", compression };
}

/** Each table of the stream's destinationTableConfigurations, with its declared Glue Iceberg table. */
function icebergOutputOf(stack: DeclaredStack, config: Inputs, where: string): DeclaredOutput {
  const tables = ((config.destinationTableConfigurations ?? []) as Inputs[]).map(
    (t): DeclaredIcebergTable => {
      const declared = declaredOfType(stack, DECLARED_TYPES.table).find(
        (r) => r.inputs.databaseName === t.databaseName && r.inputs.name === t.tableName,
      );
      const table = declared?.inputs.openTableFormatInput?.icebergInput?.icebergTableInput as
        Inputs | undefined;
      if (!table) {
        throw new Error(
          `${where}: writes ${t.databaseName}.${t.tableName}, which is not a declared Iceberg table`,
        );
      }
      return {
        database: String(t.databaseName),
        name: String(t.tableName),
        root: String(table.location).replace(/^s3:\/\/[^/]+\//, ""),
        columns: (table.schema.fields as Inputs[]).map((f) => ({
          name: String(f.name),
          type: glueTypeOfIceberg(String(f.type)),
        })),
        ...(config.appendOnly !== true && t.uniqueKeys ? { uniqueKeys: t.uniqueKeys as string[] } : {}),
      };
    },
  );
  if (tables.length === 0) throw new Error(`${where}: names no destination table`);
  return { format: "iceberg", appendOnly: config.appendOnly === true, tables };
}

/**
 * Where the local run writes a stream's Iceberg data files: the table's location, or, when records are routed by
 * the MetadataExtraction processor, `<root>!{partitionKeyFromQuery:destinationTableName}/`, which needs every table
 * at `<root><table name>/`; then `data/`, and `op=<operation>/` for a stream that upserts.
 */
function icebergDataPrefix(
  output: Extract<DeclaredOutput, { format: "iceberg" }>,
  routed: boolean,
  where: string,
): string {
  const { tables } = output;
  const op = output.appendOnly ? "" : "op=!{partitionKeyFromQuery:operation}/";
  if (!routed) {
    if (tables.length > 1 || !output.appendOnly) {
      throw new Error(
        `${where}: an upserting stream or one with several tables needs routing keys from a query`,
      );
    }
    return `${tables[0].root}data/`;
  }
  const root = tables[0].root.slice(0, tables[0].root.length - tables[0].name.length - 1);
  const misplaced = tables.find((t) => t.root !== `${root}${t.name}/`);
  if (misplaced) {
    throw new Error(
      `${where}: the local run needs every routed table at <root>/<table name>/, got ${misplaced.root} for ${misplaced.name}`,
    );
  }
  return `${root}!{partitionKeyFromQuery:destinationTableName}/data/${op}`;
}
