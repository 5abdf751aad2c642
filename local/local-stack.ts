// A stack's delivery pipelines, run locally from the resources the Pulumi program declares for it
// (declared-stack.ts): one local stream per declared extended S3 stream, with its processors, buffers, prefixes
// and output, the transform bundle with the declared function's environment, and the lake table from the declared
// Glue table. Streams to OpenSearch, Redshift and HTTP endpoints are not simulated: they are listed as skipped,
// and do not exist locally.
import { createWriteStream, mkdirSync } from "node:fs";
import * as path from "node:path";
import { tableRoot } from "../config/layout";
import { partitionColumnsOf } from "../config/glue-projection";
import { PartitionColumn } from "../config/layout";
import { StackSettings } from "../config/settings";
import { splitter } from "./deaggregation";
import { DECLARED_TYPES, DeclaredStack, declaredOfType, localTransformOf } from "./declared-stack";
import { DeclaredIcebergTable, DeclaredStream, declaredStreams } from "./declared-stream";
import {
  FORMAT_CONVERSION_FAILURE,
  ICEBERG_FAILURE,
  LocalDeliveryStream,
  StreamOutput,
} from "./delivery-stream";
import { ACCOUNT_ID, StreamDirectory } from "./endpoint";
import { LocalKinesisSource } from "./kinesis-source";
import { LakeStore } from "./lake-store";
import { compileMetadataQuery } from "./metadata-extraction";
import { parquetColumnsOf } from "./parquet-object";
import { Prefix } from "./prefix";
import { streamDescription } from "./stream-description";
import { LOCAL_PII_HASH_KEY, loadTransformHandler } from "./transform-bundle";

const MIB = 1024 * 1024;

export interface LocalStackOptions {
  /** Root of the local lake (`./.lake`); the bucket is a directory in it. */
  readonly lakeDir: string;
  /** The built transform bundle. */
  readonly bundleFile: string;
  /** Multiplies every buffer interval (0.01 turns 60 s into 0.6 s). */
  readonly timeScale?: number;
  /** Key (or salt) for PII pseudonyms; defaults to $PII_HASH_KEY, then to a fixed local-only key. */
  readonly piiHashKey?: string;
  /** Direct PUT quota in MiB/s; unlimited when absent. */
  readonly putQuotaMiBPerSecond?: number;
  /** Journal acknowledged records until they are in the lake, and replay them at start. @default true */
  readonly journal?: boolean;
}

export interface SkippedStream {
  readonly stream: string;
  /** The declared `destination`: `opensearch`, `redshift`, `http_endpoint`, ... */
  readonly destination: string;
}

/** Where the lake table of the stack lives locally and how to read it. */
export interface LocalTable {
  readonly database: string;
  readonly name: string;
  /** Local directory of the table's location (the fixed part of the data prefix). */
  readonly root: string;
  /** The lake directory: where long key segments' originals are kept (lake-store.ts). */
  readonly lakeDir: string;
  /** The data prefix, with Firehose expressions: which keys under `root` Athena's projection reads. */
  readonly prefix: string;
  readonly format: "json" | "parquet";
  readonly columns: readonly { name: string; type: string }[];
  /** Hive-style partition columns of the prefix, with the projection Athena reads them through. */
  readonly partitionColumns: readonly PartitionColumn[];
}

export interface LocalStack extends StreamDirectory {
  readonly settings: StackSettings;
  readonly store: LakeStore;
  readonly streams: readonly LocalDeliveryStream[];
  /** The Kinesis data stream the delivery streams read (`source.type: kinesis`); producers put there. */
  readonly source?: LocalKinesisSource;
  readonly skipped: readonly SkippedStream[];
  readonly table?: LocalTable;
  readonly icebergTables: readonly LocalIcebergTable[];
  /** Where the transform's log lines (CloudWatch Logs in AWS) go. */
  readonly transformLog: string;
  /** Flushes every stream and closes the transform log. */
  close(): Promise<void>;
}

/** An Iceberg table a stream writes, located in the local lake: what `npm run query` shows as the table. */
export interface LocalIcebergTable extends Omit<DeclaredIcebergTable, "root"> {
  /** Local directory of the table's data files (`<location>data/`). */
  readonly dataDir: string;
}

/** The local bucket's name: the program lets Pulumi name the real one. */
export function localBucketName(settings: Pick<StackSettings, "project" | "stack">): string {
  return `${settings.project}-${settings.stack}-lake`;
}

/** The local run of a declared stack (declareStack evaluates the program for a stack's settings). */
export function createLocalStack(declared: DeclaredStack, options: LocalStackOptions): LocalStack {
  const { settings } = declared;
  const store = new LakeStore(path.resolve(options.lakeDir), localBucketName(settings));
  const logDir = path.join(store.lakeDir, ".logs");
  mkdirSync(logDir, { recursive: true });
  const logs = new Map<string, ReturnType<typeof createWriteStream>>();
  const logOf = (functionName: string) => {
    let log = logs.get(functionName);
    if (!log)
      logs.set(functionName, (log = createWriteStream(transformLogOf(store, functionName), { flags: "a" })));
    return log;
  };
  const scale = options.timeScale ?? 1;
  const createdAt = new Date();
  const table = localTableOf(declared, store.lakeDir);

  const { streams: planned, skipped } = declaredStreams(declared);
  const streams = planned.map((stream) => {
    const transform = localTransformOf(
      declared,
      stream.name,
      options.piiHashKey ?? process.env.PII_HASH_KEY ?? LOCAL_PII_HASH_KEY,
    );
    const log = logOf(transform.functionName);
    return new LocalDeliveryStream({
      name: stream.name,
      arn: stream.arn,
      region: settings.region,
      description: streamDescription(stream, store.bucket, createdAt),
      encrypted: stream.encrypted,
      sourceKinesisStreamArn: stream.sourceKinesisStreamArn,
      deaggregation: stream.deaggregation && {
        subRecordType: stream.deaggregation.subRecordType,
        split: splitter(stream.deaggregation),
      },
      transform: {
        handler: loadTransformHandler(options.bundleFile, transform.environment, (line) =>
          log.write(`${line}\n`),
        ),
        buffer: {
          sizeBytes: stream.lambda.sizeMiB * MIB,
          intervalMs: stream.lambda.intervalSeconds * 1000 * scale,
        },
        retries: stream.lambda.retries,
      },
      prefix: Prefix.compile(stream.prefix, "prefix"),
      errorOutputPrefix: Prefix.compile(stream.errorOutputPrefix, "errorOutputPrefix"),
      extractor: stream.metadataExtractionQuery
        ? compileMetadataQuery(stream.metadataExtractionQuery)
        : undefined,
      buffer: {
        sizeBytes: stream.buffer.sizeMiB * MIB,
        intervalMs: stream.buffer.intervalSeconds * 1000 * scale,
      },
      output: outputOf(stream),
      store,
      errorDocuments: {
        lambdaArn: transform.lambdaArn,
        ...(stream.output.format === "parquet"
          ? {
              dataCatalogTable: {
                catalogId: ACCOUNT_ID,
                ...stream.output.table,
                region: settings.region,
                versionId: "0",
              },
            }
          : {}),
      },
      putQuotaBytesPerSecond: options.putQuotaMiBPerSecond ? options.putQuotaMiBPerSecond * MIB : undefined,
      journal: options.journal ?? true,
    });
  });

  const byName = new Map(streams.map((s) => [s.name, s]));
  const sourceArn = planned.find((s) => s.sourceKinesisStreamArn)?.sourceKinesisStreamArn;
  const source =
    sourceArn === undefined
      ? undefined
      : new LocalKinesisSource(sourceArn.slice(sourceArn.indexOf("/") + 1), sourceArn, streams);
  return {
    settings,
    store,
    streams,
    source,
    findSource: (nameOrArn) =>
      source !== undefined && (nameOrArn === source.name || nameOrArn === source.arn) ? source : undefined,
    skipped,
    table,
    icebergTables: localIcebergTablesOf(declared, store.lakeDir),
    // The stack's one transform function (an empty stack has none, and no log).
    transformLog: transformLogOf(store, [...logs.keys()][0] ?? "transform"),
    names: () => [...byName.keys()],
    find: (name) => byName.get(name),
    close: async () => {
      await Promise.all(streams.map((s) => s.close()));
      await Promise.all([...logs.values()].map((log) => new Promise<void>((resolve) => log.end(resolve))));
    },
  };
}

/** The Iceberg tables the declared streams write, located in the local lake. */
export function localIcebergTablesOf(declared: DeclaredStack, lakeDir: string): LocalIcebergTable[] {
  const bucketDir = path.join(path.resolve(lakeDir), localBucketName(declared.settings));
  return declaredStreams(declared).streams.flatMap(({ output }) =>
    output.format === "iceberg"
      ? output.tables.map((t) => ({
          database: t.database,
          name: t.name,
          dataDir: path.join(bucketDir, t.root, "data"),
          columns: t.columns,
          ...(t.uniqueKeys ? { uniqueKeys: t.uniqueKeys } : {}),
        }))
      : [],
  );
}

function transformLogOf(store: LakeStore, functionName: string): string {
  return path.join(store.lakeDir, ".logs", `${functionName}.log`);
}

/**
 * The lake table, located in the local lake: the declared Glue table whose location is the fixed head of the
 * first S3 stream's prefix, with its declared columns and partition projection.
 */
export function localTableOf(declared: DeclaredStack, lakeDir: string): LocalTable | undefined {
  const stream = declaredStreams(declared).streams.find((s) => s.output.format !== "iceberg");
  if (!stream || stream.output.format === "iceberg") return undefined;
  const root = tableRoot(stream);
  const glue = declaredOfType(declared, DECLARED_TYPES.table).find((t) => {
    const location = t.inputs.storageDescriptor?.location;
    return typeof location === "string" && location.replace(/^s3:\/\/[^/]+\//, "") === root;
  });
  if (!glue) return undefined;
  const inputs = glue.inputs as {
    databaseName: string;
    name: string;
    parameters: Record<string, string>;
    partitionKeys?: { name: string }[];
    storageDescriptor: { columns: { name: string; type: string }[] };
  };
  const partitionColumns: PartitionColumn[] = partitionColumnsOf(
    inputs.partitionKeys ?? [],
    inputs.parameters,
  );
  return {
    database: inputs.databaseName,
    name: inputs.name,
    root: path.join(path.resolve(lakeDir), localBucketName(declared.settings), root),
    lakeDir: path.resolve(lakeDir),
    prefix: stream.prefix,
    format: stream.output.format,
    columns: inputs.storageDescriptor.columns.map(({ name, type }) => ({ name, type })),
    partitionColumns,
  };
}

function outputOf(stream: DeclaredStream): StreamOutput {
  const { output } = stream;
  switch (output.format) {
    case "parquet":
      return {
        format: "parquet",
        columns: parquetColumnsOf(output.columns),
        compression: output.compression,
        failure: FORMAT_CONVERSION_FAILURE,
        sequenced: false,
      };
    case "iceberg":
      return {
        format: "iceberg",
        // Firehose writes Iceberg data files as Parquet (the table's write.format.default) with its default codec.
        tables: output.tables.map((t) => ({
          dataRoot: `${t.root}data/`,
          columns: parquetColumnsOf(t.columns),
          compression: "SNAPPY",
          failure: ICEBERG_FAILURE,
          sequenced: true,
        })),
        errorCompression:
          (stream.inputs as { icebergConfiguration?: { s3Configuration?: { compressionFormat?: string } } })
            .icebergConfiguration?.s3Configuration?.compressionFormat === "GZIP"
            ? "GZIP"
            : "UNCOMPRESSED",
      };
    default:
      return { format: "json", compression: output.compression };
  }
}
