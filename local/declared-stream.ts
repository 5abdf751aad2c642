// A declared FirehoseDeliveryStream's inputs, read into what the local run needs to imitate it: source, processors
// and their parameters, buffering hints, prefixes, compression or Parquet conversion (with the declared Glue
// table's columns). Unset inputs take the values Firehose and the provider use (policy/rules/firehose-limits.ts).
import { DEAGGREGATION_PROCESSOR } from "../config/deaggregation";
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

export type DeclaredOutput =
  | { readonly format: "json"; readonly compression: "GZIP" | "UNCOMPRESSED" }
  | {
      readonly format: "parquet";
      readonly compression: ParquetCompression;
      readonly table: GlueTableName;
      readonly columns: readonly { name: string; type: string }[];
    };

/** A declared extended S3 stream, as the local run runs it. */
export interface DeclaredS3Stream {
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

/** The declared streams the local run runs (extended S3), and the others by name and destination. */
export function declaredStreams(stack: DeclaredStack): {
  streams: DeclaredS3Stream[];
  skipped: { stream: string; destination: string }[];
} {
  const streams: DeclaredS3Stream[] = [];
  const skipped: { stream: string; destination: string }[] = [];
  for (const resource of declaredOfType(stack, DECLARED_TYPES.stream)) {
    const inputs = resource.inputs as Inputs;
    if (inputs.destination === "extended_s3") streams.push(s3StreamOf(stack, resource));
    else skipped.push({ stream: String(inputs.name), destination: String(inputs.destination) });
  }
  return { streams, skipped };
}

function s3StreamOf(stack: DeclaredStack, resource: StackResource): DeclaredS3Stream {
  const inputs = resource.inputs as Inputs;
  const name = String(inputs.name);
  const config = inputs.extendedS3Configuration as Inputs;
  const where = `stream ${name}`;
  const processors = processorsOf(config, where);
  const lambda = processors.get("Lambda");
  if (!lambda) throw new Error(`${where}: declares no Lambda processor; the local run runs the transform`);
  const parameter = (p: Processor, key: string) => {
    const value = p.parameters.get(key);
    return typeof value === "string" ? value : undefined;
  };
  const deaggregation = processors.get(DEAGGREGATION_PROCESSOR);
  const extraction = processors.get("MetadataExtraction");
  const limits = DESTINATION_BUFFER_LIMITS.extended_s3;
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
    metadataExtractionQuery: extraction && parameter(extraction, "MetadataExtractionQuery"),
    prefix: config.prefix ?? "",
    errorOutputPrefix: config.errorOutputPrefix ?? "",
    buffer: {
      sizeMiB: config.bufferingSize ?? limits.defaultSizeMiB,
      intervalSeconds: config.bufferingInterval ?? limits.defaultIntervalSeconds,
    },
    output: outputOf(stack, config, where),
  };
}

/** The enabled processors by type; refused when the local run would apply them in another order or not at all. */
function processorsOf(config: Inputs, where: string): Map<string, Processor> {
  const active = activeProcessors(processingOf(config, "extendedS3Configuration"));
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
