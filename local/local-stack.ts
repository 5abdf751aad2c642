// A stack's delivery pipelines, run locally from the same validated settings the Pulumi program deploys: one
// local stream per S3 pipeline (named as the program names it), the transform bundle configured through
// config/transform-environment.ts, the layout from config/layout.ts. OpenSearch, Redshift and HTTP endpoint
// pipelines are not simulated: they are listed as skipped, and their streams do not exist locally.
import { createWriteStream, mkdirSync } from "node:fs";
import * as path from "node:path";
import { PartitionColumn, s3Layout, tableRoot } from "../config/layout";
import { S3DestinationSettings, StackSettings } from "../config/settings";
import { transformEnvironment } from "../config/transform-environment";
import { sourceStreamNameOf, streamNameOf } from "../config/naming";
import { TransformFunction } from "../components/transform-function";
import { splitter } from "./deaggregation";
import { LocalDeliveryStream, StreamOutput } from "./delivery-stream";
import { ACCOUNT_ID, StreamDirectory } from "./endpoint";
import { LocalKinesisSource } from "./kinesis-source";
import { LakeStore } from "./lake-store";
import { compileMetadataQuery } from "./metadata-extraction";
import { parquetColumnsOf } from "./parquet-object";
import { Prefix } from "./prefix";
import { streamDescription } from "./stream-description";
import { LOCAL_PII_HASH_KEY, loadTransformHandler } from "./transform-bundle";

const MIB = 1024 * 1024;
/** Firehose's Lambda processor defaults (BufferSizeInMBs, BufferIntervalInSeconds, NumberOfRetries). */
const PROCESSOR_DEFAULTS = { sizeMiB: 1, intervalSeconds: 60, retries: 3 };

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

export interface SkippedPipeline {
  readonly pipeline: string;
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
  readonly skipped: readonly SkippedPipeline[];
  readonly table?: LocalTable;
  /** Where the transform's log lines (CloudWatch Logs in AWS) go. */
  readonly transformLog: string;
  /** Flushes every stream and closes the transform log. */
  close(): Promise<void>;
}

/** The local bucket's name: the program lets Pulumi name the real one. */
export function localBucketName(settings: Pick<StackSettings, "project" | "stack">): string {
  return `${settings.project}-${settings.stack}-lake`;
}

export function createLocalStack(settings: StackSettings, options: LocalStackOptions): LocalStack {
  const namePrefix = `${settings.project}-${settings.stack}`;
  const store = new LakeStore(path.resolve(options.lakeDir), localBucketName(settings));
  const functionName = TransformFunction.functionName(namePrefix);
  const lambdaArn = `arn:aws:lambda:${settings.region}:${ACCOUNT_ID}:function:${functionName}`;
  const logDir = path.join(store.lakeDir, ".logs");
  mkdirSync(logDir, { recursive: true });
  const transformLog = path.join(logDir, `${functionName}.log`);
  const log = createWriteStream(transformLog, { flags: "a" });
  const scale = options.timeScale ?? 1;
  const createdAt = new Date();

  const sourceName = sourceStreamNameOf(namePrefix);
  const sourceArn =
    settings.source.type === "kinesis"
      ? `arn:aws:kinesis:${settings.region}:${ACCOUNT_ID}:stream/${sourceName}`
      : undefined;
  const streams: LocalDeliveryStream[] = [];
  const skipped: SkippedPipeline[] = [];
  for (const pipeline of settings.pipelines) {
    const dest = pipeline.destination;
    if (dest.type !== "s3") {
      skipped.push({ pipeline: pipeline.name, destination: dest.type });
      continue;
    }
    const name = streamNameOf(settings, pipeline.name);
    const layout = s3Layout(dest, pipeline.name);
    const arn = `arn:aws:firehose:${settings.region}:${ACCOUNT_ID}:deliverystream/${name}`;
    const kinesisSourceArn = sourceArn;
    const keyArn = `arn:aws:kms:${settings.region}:${ACCOUNT_ID}:key/local`;
    const env = {
      ...transformEnvironment(settings.transform, dest.partitioning),
      PII_HASH_KEY: options.piiHashKey ?? process.env.PII_HASH_KEY ?? LOCAL_PII_HASH_KEY,
      AWS_LAMBDA_FUNCTION_NAME: functionName,
      AWS_REGION: settings.region,
    };
    const processor = settings.transform.processorBuffer ?? PROCESSOR_DEFAULTS;
    const described = { name, arn, bucket: store.bucket, lambdaArn, kinesisSourceArn, keyArn, createdAt };
    streams.push(
      new LocalDeliveryStream({
        name,
        arn,
        region: settings.region,
        description: streamDescription(described, settings, dest, layout),
        encrypted: kinesisSourceArn === undefined,
        sourceKinesisStreamArn: kinesisSourceArn,
        deaggregation: dest.deaggregation && {
          subRecordType: dest.deaggregation.subRecordType,
          split: splitter(dest.deaggregation),
        },
        transform: {
          handler: loadTransformHandler(options.bundleFile, env, (line) => log.write(`${line}\n`)),
          buffer: {
            sizeBytes: processor.sizeMiB * MIB,
            intervalMs: processor.intervalSeconds * 1000 * scale,
          },
          retries: settings.transform.retries ?? PROCESSOR_DEFAULTS.retries,
        },
        prefix: Prefix.compile(layout.prefix, "prefix"),
        errorOutputPrefix: Prefix.compile(layout.errorOutputPrefix, "errorOutputPrefix"),
        extractor: layout.metadataExtractionQuery
          ? compileMetadataQuery(layout.metadataExtractionQuery)
          : undefined,
        buffer: {
          sizeBytes: dest.buffer.sizeMiB * MIB,
          intervalMs: dest.buffer.intervalSeconds * 1000 * scale,
        },
        output: outputOf(dest, settings),
        store,
        errorDocuments: {
          lambdaArn,
          dataCatalogTable: {
            catalogId: ACCOUNT_ID,
            databaseName: settings.table.database,
            tableName: settings.table.name,
            region: settings.region,
            versionId: "0",
          },
        },
        putQuotaBytesPerSecond: options.putQuotaMiBPerSecond ? options.putQuotaMiBPerSecond * MIB : undefined,
        journal: options.journal ?? true,
      }),
    );
  }

  const byName = new Map(streams.map((s) => [s.name, s]));
  const source = sourceArn === undefined ? undefined : new LocalKinesisSource(sourceName, sourceArn, streams);
  return {
    settings,
    store,
    streams,
    source,
    findSource: (nameOrArn) =>
      source !== undefined && (nameOrArn === source.name || nameOrArn === source.arn) ? source : undefined,
    skipped,
    table: localTableOf(settings, store.lakeDir),
    transformLog,
    names: () => [...byName.keys()],
    find: (name) => byName.get(name),
    close: async () => {
      await Promise.all(streams.map((s) => s.close()));
      await new Promise<void>((resolve) => log.end(resolve));
    },
  };
}

/** The stack's lake table (written by its one S3 pipeline), located in the local lake. */
export function localTableOf(settings: StackSettings, lakeDir: string): LocalTable | undefined {
  const pipeline = settings.pipelines.find((p) => p.destination.type === "s3");
  if (!pipeline || pipeline.destination.type !== "s3") return undefined;
  const layout = s3Layout(pipeline.destination, pipeline.name);
  return {
    database: settings.table.database,
    name: settings.table.name,
    root: path.join(path.resolve(lakeDir), localBucketName(settings), tableRoot(layout)),
    lakeDir: path.resolve(lakeDir),
    prefix: layout.prefix,
    format: pipeline.destination.format,
    columns: settings.table.columns,
    partitionColumns: layout.partitionColumns,
  };
}

function outputOf(dest: S3DestinationSettings, settings: StackSettings): StreamOutput {
  if (dest.format === "parquet") {
    return {
      format: "parquet",
      columns: parquetColumnsOf(settings.table.columns),
      compression: dest.parquetCompression,
    };
  }
  if (dest.compression !== "GZIP" && dest.compression !== "UNCOMPRESSED") {
    throw new Error(
      `[compression] ${dest.compression} is not simulated locally (GZIP and UNCOMPRESSED are), got ${dest.compression}`,
    );
  }
  return { format: "json", compression: dest.compression };
}
