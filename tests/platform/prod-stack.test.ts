import { strict as assert } from "assert";
import { EvaluatedStack, evaluateStack } from "../../offline/evaluate-stack";
import { TYPES, ofType, only, settingsOf, statementsOf } from "../support/stacks";

const REGION = "eu-west-1";

describe("prod stack (Pulumi.prod.yaml under mocks)", () => {
  let prod: EvaluatedStack;
  before(async () => {
    prod = await evaluateStack(settingsOf("prod"));
  });

  const keyArn = () => only(prod.resources, TYPES.key).state.arn as string;
  const source = () => only(prod.resources, TYPES.kinesis);
  const lakeStream = () => only(prod.resources, TYPES.stream, "lake-stream").inputs;

  it("builds one stream per pipeline, each reading the one encrypted Kinesis source (fan-out)", () => {
    const streams = ofType(prod.resources, TYPES.stream);
    assert.deepEqual(streams.map((s) => [s.inputs.name, s.inputs.destination]).sort(), [
      ["firehose-etl-prod-lake", "extended_s3"],
      ["firehose-etl-prod-search", "opensearch"],
      ["firehose-etl-prod-warehouse", "redshift"],
    ]);
    for (const stream of streams) {
      assert.equal(stream.inputs.kinesisSourceConfiguration.kinesisStreamArn, source().state.arn);
      // Server-side encryption is for Direct PUT only; the source stream's KMS encryption covers these.
      assert.equal(stream.inputs.serverSideEncryption, undefined);
    }
    assert.deepEqual(
      [source().inputs.encryptionType, source().inputs.kmsKeyId, source().inputs.streamModeDetails],
      ["KMS", keyArn(), { streamMode: "ON_DEMAND" }],
    );
  });

  it("partitions the lake by country inline and converts to Parquet against the Glue table", () => {
    const s3 = lakeStream().extendedS3Configuration;
    assert.equal(s3.bufferingSize, 128);
    assert.equal(s3.bufferingInterval, 300);
    assert.equal(s3.compressionFormat, "UNCOMPRESSED");
    assert.deepEqual(s3.dynamicPartitioningConfiguration, { enabled: true, retryDuration: 300 });
    assert.deepEqual(
      s3.processingConfiguration.processors.map((p: { type: string }) => p.type),
      ["Lambda", "MetadataExtraction"],
    );
    assert.deepEqual(s3.processingConfiguration.processors[1].parameters, [
      { parameterName: "MetadataExtractionQuery", parameterValue: "{country:.country}" },
      { parameterName: "JsonParsingEngine", parameterValue: "JQ-1.6" },
    ]);
    const table = only(prod.resources, TYPES.glueTable);
    assert.deepEqual(s3.dataFormatConversionConfiguration, {
      enabled: true,
      inputFormatConfiguration: { deserializer: { openXJsonSerDe: {} } },
      outputFormatConfiguration: { serializer: { parquetSerDe: { compression: "SNAPPY" } } },
      schemaConfiguration: {
        databaseName: "firehose_etl_prod",
        tableName: "events",
        roleArn: only(prod.resources, TYPES.role, "lake-role").state.arn,
        region: REGION,
      },
    });
    assert.equal(
      table.inputs.storageDescriptor.serDeInfo.serializationLibrary,
      "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
    );
    assert.equal(table.inputs.parameters["projection.country.type"], "enum");
  });

  it("lets the lake's delivery role read the source stream and the table schema, nothing wider", () => {
    const statements = statementsOf(only(prod.resources, TYPES.rolePolicy, "lake-role-policy").inputs.policy);
    const bySid = (sid: string) => statements.find((s) => s.Sid === sid);
    assert.deepEqual(bySid("ReadSourceStream")?.Resource, source().state.arn);
    assert.deepEqual(bySid("DecryptSourceStream")?.Condition, {
      StringEquals: { "kms:ViaService": `kinesis.${REGION}.amazonaws.com` },
    });
    const tableArn = only(prod.resources, TYPES.glueTable).state.arn;
    assert.deepEqual(bySid("ReadTableSchema")?.Resource, [
      `arn:aws:glue:${REGION}:123456789012:catalog`,
      `arn:aws:glue:${REGION}:123456789012:database/firehose_etl_prod`,
      tableArn,
    ]);
  });

  it("protects the stateful resources, and only those", () => {
    assert.deepEqual(
      prod.resources
        .filter((r) => r.protect)
        .map((r) => r.name)
        .sort(),
      [
        "lake-bucket",
        "lake-database",
        "lake-key",
        "lake-table",
        "search-domain",
        "source-stream",
        "warehouse-namespace",
        "warehouse-workgroup",
      ],
    );
  });

  it("transitions old data and keeps errors and Redshift staging 14 days", () => {
    const rules = only(prod.resources, TYPES.lifecycle).inputs.rules as {
      id: string;
      filter: { prefix?: string };
      expiration?: { days: number };
      transitions?: unknown[];
    }[];
    assert.deepEqual(rules.find((r) => r.id === "expire-errors")?.expiration, { days: 14 });
    const staging = rules.find((r) => r.id === "expire-redshift-staging");
    assert.deepEqual([staging?.filter, staging?.expiration], [{ prefix: "staging/" }, { days: 14 }]);
    const transition = rules.find((r) => r.id === "transition-data");
    assert.deepEqual(transition?.filter, { prefix: "data/" });
    assert.deepEqual(transition?.transitions, [{ days: 90, storageClass: "STANDARD_IA" }]);
  });

  it("lets the account use the key through every service the stack uses", () => {
    const use = statementsOf(only(prod.resources, TYPES.key).inputs.policy).find(
      (s) => s.Sid === "UseThroughStackServices",
    );
    assert.deepEqual(
      use?.Condition?.StringEquals["kms:ViaService"],
      ["es", "kinesis", "redshift", "redshift-data", "redshift-serverless", "s3", "secretsmanager"].map(
        (s) => `${s}.${REGION}.amazonaws.com`,
      ),
    );
  });

  it("alarms on conversion failures and partition limits, notifies on-call and draws a dashboard", () => {
    const names = ofType(prod.resources, TYPES.alarm).map((a) => a.name);
    for (const name of [
      "monitoring-lake-failed-conversion",
      "monitoring-lake-partition-count-exceeded",
      "monitoring-search-freshness",
      "monitoring-warehouse-delivery-success",
    ]) {
      assert.ok(names.includes(name), name);
    }
    assert.equal(
      only(prod.resources, TYPES.alarm, "monitoring-lake-throttled").inputs.metricName,
      "ThrottledGetRecords",
    );
    assert.deepEqual(
      ofType(prod.resources, "aws:sns/topicSubscription:TopicSubscription").map((s) => s.inputs.endpoint),
      ["data-platform-oncall@example.com"],
    );
    const dashboard = JSON.parse(only(prod.resources, TYPES.dashboard).inputs.dashboardBody);
    assert.equal(dashboard.widgets.length, 3 * 2 + 1);
  });
});
