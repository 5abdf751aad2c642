// How a local stack is put together from the declared stack: each local stream gets the declared stream's buffers
// (scaled by timeScale), prefixes, output and transform; the stack gets the Kinesis source, the skipped streams,
// the lake table and the Iceberg tables.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { DECLARED_TYPES, DeclaredStack, declareStack, localTransformOf } from "../../local/declared-stack";
import { declaredStreams } from "../../local/declared-stream";
import {
  DeliveryStreamConfig,
  FORMAT_CONVERSION_FAILURE,
  ICEBERG_FAILURE,
  LocalDeliveryStream,
} from "../../local/delivery-stream";
import { ACCOUNT_ID } from "../../local/endpoint";
import {
  createLocalStack,
  LocalStack,
  LocalStackOptions,
  localBucketName,
  localIcebergTablesOf,
  localTableOf,
} from "../../local/local-stack";
import { parquetColumnsOf } from "../../local/parquet-object";
import { settingsOf } from "../support/stacks";
import { tempDir } from "../support/temp-dir";
import { LOCAL_PII_HASH_KEY } from "../../local/transform-bundle";
import { testBundle } from "./harness";

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const MIB = 1024 * 1024;

/** A copy of the declared stack with `edit` applied to the inputs of each resource of `type`. */
function edited(stack: DeclaredStack, type: string, edit: (inputs: Inputs) => void): DeclaredStack {
  const resources = stack.resources.map((r) => {
    if (r.type !== type) return r;
    const inputs = JSON.parse(JSON.stringify(r.inputs)) as Inputs;
    edit(inputs);
    return { ...r, inputs };
  });
  return { settings: stack.settings, resources };
}

/** What createLocalStack configured a stream with (the stream keeps it private: it is the wiring under test). */
function configOf(stream: LocalDeliveryStream): DeliveryStreamConfig {
  return (stream as unknown as { config: DeliveryStreamConfig }).config;
}

describe("local: a local stack is wired from the declared stack", function () {
  this.timeout(60_000);
  let dev: DeclaredStack;
  let prod: DeclaredStack;
  let iceberg: DeclaredStack;
  const open: LocalStack[] = [];
  before(async () => {
    dev = await declareStack(settingsOf("dev"));
    prod = await declareStack(settingsOf("prod"));
    iceberg = await declareStack(settingsOf("iceberg"));
  });
  after(async () => {
    await Promise.all(open.map((s) => s.close()));
  });

  function local(declared: DeclaredStack, options: Partial<LocalStackOptions> = {}) {
    const lakeDir = tempDir("local-stack");
    const stack = createLocalStack(declared, {
      lakeDir,
      bundleFile: testBundle(),
      journal: false,
      ...options,
    });
    open.push(stack);
    return { stack, lakeDir, config: configOf(stack.streams[0]) };
  }

  it("names the local bucket after the project and stack", () => {
    assert.equal(localBucketName({ project: "p", stack: "s" }), "p-s-lake");
  });

  it("gives a stream its declared buffers, scaled by timeScale, and its quota in bytes", () => {
    const { stack, lakeDir, config } = local(dev, { timeScale: 0.5, putQuotaMiBPerSecond: 2 });
    assert.equal(config.name, "firehose-etl-dev-events");
    assert.equal(
      config.arn,
      "arn:aws:firehose:eu-west-1:123456789012:deliverystream/firehose-etl-dev-events",
    );
    assert.equal(config.region, "eu-west-1");
    assert.equal(config.encrypted, true);
    assert.equal(config.sourceKinesisStreamArn, undefined);
    assert.equal(config.deaggregation, undefined);
    assert.equal(config.extractor, undefined);
    assert.deepEqual(config.transform.buffer, { sizeBytes: MIB, intervalMs: 30_000 });
    assert.equal(config.transform.retries, 3);
    assert.deepEqual(config.buffer, { sizeBytes: 5 * MIB, intervalMs: 30_000 });
    assert.equal(config.putQuotaBytesPerSecond, 2 * MIB);
    assert.equal(config.journal, false);
    assert.equal(
      config.prefix.template,
      "data/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
    );
    assert.equal(
      config.errorOutputPrefix.template,
      "errors/events/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
    );
    assert.deepEqual(config.output, { format: "json", compression: "GZIP" });
    assert.deepEqual(config.errorDocuments, {
      lambdaArn: "arn:aws:lambda:eu-west-1:123456789012:function:firehose-etl-dev-transform",
    });
    assert.equal(config.description.DeliveryStreamName, "firehose-etl-dev-events");
    assert.equal(
      (config.description.Destinations as Inputs[])[0].ExtendedS3DestinationDescription.BucketARN,
      "arn:aws:s3:::firehose-etl-dev-lake",
    );
    assert.equal(stack.source, undefined);
    assert.equal(stack.findSource("firehose-etl-dev-events"), undefined);
    assert.deepEqual(stack.skipped, []);
    assert.deepEqual(stack.icebergTables, []);
    assert.equal(
      stack.transformLog,
      path.join(path.resolve(lakeDir), ".logs", "firehose-etl-dev-transform.log"),
    );
    assert.deepEqual(stack.names(), ["firehose-etl-dev-events"]);
    assert.equal(stack.find("firehose-etl-dev-events"), stack.streams[0]);
    assert.equal(stack.find("other"), undefined);
    assert.equal(stack.store.bucket, "firehose-etl-dev-lake");
  });

  it("runs at real time, journals and has no quota by default", () => {
    const { config } = local(dev, { journal: undefined });
    assert.deepEqual(config.buffer, { sizeBytes: 5 * MIB, intervalMs: 60_000 });
    assert.deepEqual(config.transform.buffer, { sizeBytes: MIB, intervalMs: 60_000 });
    assert.equal(config.journal, true);
    assert.equal(config.putQuotaBytesPerSecond, undefined);
  });

  it("runs a stack that declares no stream with no streams, no table and the default log name", () => {
    const empty = {
      settings: dev.settings,
      resources: dev.resources.filter((r) => r.type !== DECLARED_TYPES.stream),
    };
    const lakeDir = tempDir("local-stack");
    const stack = createLocalStack(empty, { lakeDir, bundleFile: testBundle(), journal: false });
    open.push(stack);
    assert.deepEqual(stack.names(), []);
    assert.equal(stack.table, undefined);
    assert.equal(stack.source, undefined);
    assert.equal(stack.transformLog, path.join(path.resolve(lakeDir), ".logs", "transform.log"));
  });

  /** The email the stream's transform writes for one record, pseudonymised with the stack's PII key. */
  async function emailOf(options: Partial<LocalStackOptions>): Promise<string> {
    const { config } = local(dev, options);
    const data = Buffer.from(JSON.stringify({ event_id: "e1", action: "view", email: "jane@example.com" }));
    const result = (await config.transform.handler({
      invocationId: "i",
      deliveryStreamArn: config.arn,
      region: config.region,
      records: [
        { recordId: "r1", approximateArrivalTimestamp: Date.UTC(2026, 0, 2), data: data.toString("base64") },
      ],
    })) as { records: { data: string }[] };
    return (JSON.parse(Buffer.from(result.records[0].data, "base64").toString()) as { email: string }).email;
  }

  it("pseudonymises with the given PII key, else $PII_HASH_KEY, else the local-only key", async () => {
    const saved = process.env.PII_HASH_KEY;
    try {
      delete process.env.PII_HASH_KEY;
      const local = await emailOf({});
      assert.equal(local, await emailOf({ piiHashKey: LOCAL_PII_HASH_KEY }));
      assert.notEqual(local, await emailOf({ piiHashKey: "another-key-of-32-bytes-at-least" }));
      process.env.PII_HASH_KEY = "another-key-of-32-bytes-at-least";
      assert.equal(await emailOf({}), await emailOf({ piiHashKey: "another-key-of-32-bytes-at-least" }));
      assert.equal(await emailOf({ piiHashKey: LOCAL_PII_HASH_KEY }), local);
    } finally {
      if (saved === undefined) delete process.env.PII_HASH_KEY;
      else process.env.PII_HASH_KEY = saved;
    }
  });

  it("gives a stream its declared de-aggregation, with a splitter", () => {
    const declared = edited(dev, DECLARED_TYPES.stream, (inputs) =>
      inputs.extendedS3Configuration.processingConfiguration.processors.unshift({
        type: "RecordDeAggregation",
        parameters: [{ parameterName: "SubRecordType", parameterValue: "JSON" }],
      }),
    );
    const { config } = local(declared);
    assert.equal(config.deaggregation?.subRecordType, "JSON");
    assert.equal(typeof config.deaggregation?.split, "function");
  });

  it("reads a Kinesis source, finds it by name or ARN, and converts to Parquet with the declared table", () => {
    const { stack, config } = local(prod);
    const arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/firehose-etl-prod-source";
    assert.equal(stack.source?.name, "firehose-etl-prod-source");
    assert.equal(stack.source?.arn, arn);
    assert.equal(stack.findSource("firehose-etl-prod-source"), stack.source);
    assert.equal(stack.findSource(arn), stack.source);
    assert.equal(stack.findSource("firehose-etl-prod-lake"), undefined);
    assert.equal(config.sourceKinesisStreamArn, arn);
    assert.notEqual(config.extractor, undefined);
    assert.deepEqual(stack.skipped, [
      { stream: "firehose-etl-prod-warehouse", destination: "redshift" },
      { stream: "firehose-etl-prod-search", destination: "opensearch" },
    ]);
    const [declared] = declaredStreams(prod).streams;
    assert.ok(declared.output.format === "parquet");
    assert.deepEqual(config.output, {
      format: "parquet",
      columns: parquetColumnsOf(declared.output.columns),
      compression: "SNAPPY",
      failure: FORMAT_CONVERSION_FAILURE,
      sequenced: false,
    });
    assert.deepEqual(config.errorDocuments, {
      lambdaArn: "arn:aws:lambda:eu-west-1:123456789012:function:firehose-etl-prod-transform",
      dataCatalogTable: {
        catalogId: ACCOUNT_ID,
        databaseName: "firehose_etl_prod",
        tableName: "events",
        region: "eu-west-1",
        versionId: "0",
      },
    });
  });

  it("writes an Iceberg stream's tables as SNAPPY Parquet, and its errors as the S3 configuration compresses", () => {
    const { stack, lakeDir, config } = local(iceberg);
    const [declared] = declaredStreams(iceberg).streams;
    assert.ok(declared.output.format === "iceberg");
    assert.deepEqual(config.output, {
      format: "iceberg",
      tables: [
        {
          dataRoot: "iceberg/events/data/",
          columns: parquetColumnsOf(declared.output.tables[0].columns),
          compression: "SNAPPY",
          failure: ICEBERG_FAILURE,
          sequenced: true,
        },
      ],
      errorCompression: "GZIP",
    });
    assert.equal(stack.table, undefined);
    assert.deepEqual(stack.icebergTables, [
      {
        database: "firehose_etl_iceberg",
        name: "events",
        dataDir: path.join(path.resolve(lakeDir), "firehose-etl-iceberg-lake", "iceberg/events", "data"),
        columns: declared.output.tables[0].columns,
        uniqueKeys: ["event_id"],
      },
    ]);
    const uncompressed = edited(iceberg, DECLARED_TYPES.stream, (inputs) => {
      inputs.icebergConfiguration.s3Configuration.compressionFormat = "UNCOMPRESSED";
      inputs.icebergConfiguration.appendOnly = true;
    });
    const output = local(uncompressed).config.output;
    assert.equal(output.format === "iceberg" && output.errorCompression, "UNCOMPRESSED");
    assert.deepEqual(localIcebergTablesOf(uncompressed, lakeDir)[0].uniqueKeys, undefined);
    assert.equal("uniqueKeys" in localIcebergTablesOf(uncompressed, lakeDir)[0], false);
  });

  it("locates the lake table at the stream's prefix head, with the declared columns and projection", () => {
    const lakeDir = tempDir("local-stack");
    const table = localTableOf(dev, lakeDir);
    const glue = dev.resources.find((r) => r.type === DECLARED_TYPES.table)?.inputs as Inputs;
    assert.deepEqual(
      { ...table, partitionColumns: table?.partitionColumns.map((c) => c.name) },
      {
        database: "firehose_etl_dev",
        name: glue.name,
        root: path.join(path.resolve(lakeDir), "firehose-etl-dev-lake", "data/"),
        lakeDir: path.resolve(lakeDir),
        prefix: "data/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
        format: "json",
        columns: (glue.storageDescriptor.columns as Inputs[]).map(({ name, type }) => ({ name, type })),
        partitionColumns: ["year", "month", "day"],
      },
    );
    assert.equal(localTableOf(prod, lakeDir)?.format, "parquet");
    assert.equal(localTableOf(iceberg, lakeDir), undefined);
  });

  it("has no lake table when no declared Glue table is at the prefix head", () => {
    const lakeDir = tempDir("local-stack");
    const moved = edited(dev, DECLARED_TYPES.table, (inputs) => {
      inputs.storageDescriptor.location = "s3://bucket/elsewhere/";
    });
    assert.equal(localTableOf(moved, lakeDir), undefined);
    const unlocated = edited(dev, DECLARED_TYPES.table, (inputs) => delete inputs.storageDescriptor.location);
    assert.equal(localTableOf(unlocated, lakeDir), undefined);
    const unpartitioned = edited(dev, DECLARED_TYPES.table, (inputs) => delete inputs.partitionKeys);
    assert.deepEqual(localTableOf(unpartitioned, lakeDir)?.partitionColumns, []);
  });
});

describe("local: the declared stack and the transform a stream runs", function () {
  this.timeout(60_000);
  let dev: DeclaredStack;
  before(async () => {
    dev = await declareStack(settingsOf("dev"));
  });

  it("evaluates the same settings once", async () => {
    assert.equal(await declareStack(settingsOf("dev")), dev);
  });

  it("runs the transform with the declared variables, the local PII key, and Lambda's own variables", () => {
    const transform = localTransformOf(dev, "firehose-etl-dev-events", "local-key");
    assert.equal(transform.functionName, "firehose-etl-dev-transform");
    assert.equal(
      transform.lambdaArn,
      "arn:aws:lambda:eu-west-1:123456789012:function:firehose-etl-dev-transform",
    );
    assert.equal("PII_HASH_KEY_SECRET_ARN" in transform.environment, false);
    assert.deepEqual(
      {
        PII_HASH_KEY: transform.environment.PII_HASH_KEY,
        AWS_LAMBDA_FUNCTION_NAME: transform.environment.AWS_LAMBDA_FUNCTION_NAME,
        AWS_REGION: transform.environment.AWS_REGION,
        PII_FIELDS: transform.environment.PII_FIELDS,
      },
      {
        PII_HASH_KEY: "local-key",
        AWS_LAMBDA_FUNCTION_NAME: "firehose-etl-dev-transform",
        AWS_REGION: "eu-west-1",
        PII_FIELDS: "email",
      },
    );
  });

  it("runs a function without variables with Lambda's own and the PII key only", () => {
    const bare = edited(dev, DECLARED_TYPES.function, (inputs) => delete inputs.environment);
    assert.deepEqual(localTransformOf(bare, "firehose-etl-dev-events", "k").environment, {
      PII_HASH_KEY: "k",
      AWS_LAMBDA_FUNCTION_NAME: "firehose-etl-dev-transform",
      AWS_REGION: "eu-west-1",
    });
  });

  it("refuses an unknown stream, a stream with no Lambda processor and an undeclared function, naming them", () => {
    assert.throws(() => localTransformOf(dev, "nope", "k"), {
      message: 'no declared delivery stream is named "nope"',
    });
    const noLambda = edited(dev, DECLARED_TYPES.stream, (inputs) => {
      inputs.extendedS3Configuration.processingConfiguration.processors[0].type = "MetadataExtraction";
    });
    assert.throws(() => localTransformOf(noLambda, "firehose-etl-dev-events", "k"), {
      message: "stream firehose-etl-dev-events: declares no Lambda processor",
    });
    const disabled = edited(dev, DECLARED_TYPES.stream, (inputs) => {
      inputs.extendedS3Configuration.processingConfiguration.enabled = false;
    });
    assert.throws(() => localTransformOf(disabled, "firehose-etl-dev-events", "k"), {
      message: "stream firehose-etl-dev-events: declares no Lambda processor",
    });
    const renamed = edited(dev, DECLARED_TYPES.function, (inputs) => (inputs.name = "other"));
    assert.throws(() => localTransformOf(renamed, "firehose-etl-dev-events", "k"), {
      message:
        'stream firehose-etl-dev-events: no declared Lambda function is named "firehose-etl-dev-transform"',
    });
  });
});
