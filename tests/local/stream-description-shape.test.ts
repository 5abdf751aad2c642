// DescribeDeliveryStream's answer for a local stream: the declared inputs in the API's shape, with Firehose's
// values for the unset ones.
import * as assert from "node:assert/strict";
import { DECLARED_TYPES, DeclaredStack, declareStack } from "../../local/declared-stack";
import { declaredStreams } from "../../local/declared-stream";
import { streamDescription } from "../../local/stream-description";
import { settingsOf } from "../support/stacks";

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CREATED = new Date("2026-01-02T03:04:05.500Z");
const SECONDS = CREATED.getTime() / 1000;

/** The description of the stack's first local stream after `edit` changed the declared streams' inputs. */
function describeAfter(stack: DeclaredStack, edit: (inputs: Inputs) => void = () => undefined): Inputs {
  const resources = stack.resources.map((r) => {
    if (r.type !== DECLARED_TYPES.stream) return r;
    const inputs = structuredClone(r.inputs) as Inputs;
    edit(inputs);
    return { ...r, inputs };
  });
  const [stream] = declaredStreams({ settings: stack.settings, resources }).streams;
  return streamDescription(stream, "local-bucket", CREATED);
}

const ROLE = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
const KMS = "arn:aws:kms:eu-west-1:123456789012:key/5d08ee31-addb-db88-5f26-6db917c9e8f7";

describe("local: DescribeDeliveryStream answers with the declared stream in the API's shape", function () {
  this.timeout(60_000);
  let dev: DeclaredStack;
  let prod: DeclaredStack;
  let iceberg: DeclaredStack;
  before(async () => {
    dev = await declareStack(settingsOf("dev"));
    prod = await declareStack(settingsOf("prod"));
    iceberg = await declareStack(settingsOf("iceberg"));
  });

  it("describes a Direct PUT stream to S3 field by field", () => {
    assert.deepEqual(describeAfter(dev), {
      DeliveryStreamName: "firehose-etl-dev-events",
      DeliveryStreamARN: "arn:aws:firehose:eu-west-1:123456789012:deliverystream/firehose-etl-dev-events",
      DeliveryStreamStatus: "ACTIVE",
      DeliveryStreamType: "DirectPut",
      VersionId: "1",
      CreateTimestamp: SECONDS,
      DeliveryStreamEncryptionConfiguration: {
        KeyARN: KMS,
        KeyType: "CUSTOMER_MANAGED_CMK",
        Status: "ENABLED",
      },
      Destinations: [
        {
          DestinationId: "destinationId-000000000001",
          ExtendedS3DestinationDescription: {
            RoleARN: ROLE("events-role-c7ccac9"),
            BucketARN: "arn:aws:s3:::local-bucket",
            Prefix: "data/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
            ErrorOutputPrefix:
              "errors/events/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
            BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 60 },
            CompressionFormat: "GZIP",
            EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: KMS } },
            CloudWatchLoggingOptions: {
              Enabled: true,
              LogGroupName: "/aws/kinesisfirehose/firehose-etl-dev-events",
              LogStreamName: "DestinationDelivery",
            },
            ProcessingConfiguration: {
              Enabled: true,
              Processors: [
                {
                  Type: "Lambda",
                  Parameters: [
                    {
                      ParameterName: "LambdaArn",
                      ParameterValue:
                        "arn:aws:lambda:eu-west-1:123456789012:function:firehose-etl-dev-transform",
                    },
                  ],
                },
              ],
            },
            S3BackupMode: "Disabled",
          },
        },
      ],
      HasMoreDestinations: false,
    });
  });

  it("shows Firehose's values for unset S3 inputs and leaves out the unset optional blocks", () => {
    const description = describeAfter(dev, (inputs) => {
      const c = inputs.extendedS3Configuration;
      for (const key of [
        "prefix",
        "errorOutputPrefix",
        "bufferingSize",
        "bufferingInterval",
        "compressionFormat",
        "kmsKeyArn",
        "cloudwatchLoggingOptions",
      ])
        delete c[key];
      c.s3BackupMode = "Enabled";
      delete inputs.serverSideEncryption;
    });
    assert.equal("DeliveryStreamEncryptionConfiguration" in description, false);
    assert.deepEqual(description.Destinations[0].ExtendedS3DestinationDescription, {
      RoleARN: ROLE("events-role-c7ccac9"),
      BucketARN: "arn:aws:s3:::local-bucket",
      BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
      CompressionFormat: "UNCOMPRESSED",
      EncryptionConfiguration: { NoEncryptionConfig: "NoEncryption" },
      ProcessingConfiguration:
        description.Destinations[0].ExtendedS3DestinationDescription.ProcessingConfiguration,
      S3BackupMode: "Enabled",
    });
  });

  it("shapes nested lists and keeps null values", () => {
    const description = describeAfter(dev, (inputs) => {
      inputs.extendedS3Configuration.cloudwatchLoggingOptions = {
        enabled: false,
        logGroupName: null,
        tags: [{ k: 1 }],
      };
    });
    assert.deepEqual(description.Destinations[0].ExtendedS3DestinationDescription.CloudWatchLoggingOptions, {
      Enabled: false,
      LogGroupName: null,
      Tags: [{ K: 1 }],
    });
  });

  it("shows AWS-owned encryption when the stream is encrypted without a key type, and none when disabled", () => {
    const owned = describeAfter(dev, (inputs) => (inputs.serverSideEncryption = { enabled: true }));
    assert.deepEqual(owned.DeliveryStreamEncryptionConfiguration, {
      KeyARN: undefined,
      KeyType: "AWS_OWNED_CMK",
      Status: "ENABLED",
    });
    const disabled = describeAfter(dev, (inputs) => (inputs.serverSideEncryption.enabled = false));
    assert.equal("DeliveryStreamEncryptionConfiguration" in disabled, false);
  });

  it("describes a Kinesis-sourced stream with Parquet conversion and dynamic partitioning", () => {
    const description = describeAfter(prod);
    assert.equal(description.DeliveryStreamType, "KinesisStreamAsSource");
    assert.deepEqual(description.Source, {
      KinesisStreamSourceDescription: {
        KinesisStreamARN: "arn:aws:kinesis:eu-west-1:123456789012:stream/firehose-etl-prod-source",
        RoleARN: ROLE("lake-role-42ccab9"),
        DeliveryStartTimestamp: SECONDS,
      },
    });
    assert.equal("DeliveryStreamEncryptionConfiguration" in description, false);
    const s3 = description.Destinations[0].ExtendedS3DestinationDescription;
    assert.deepEqual(s3.DynamicPartitioningConfiguration, {
      Enabled: true,
      RetryOptions: { DurationInSeconds: 300 },
    });
    assert.deepEqual(s3.DataFormatConversionConfiguration, {
      Enabled: true,
      InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
      OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: "SNAPPY" } } },
      SchemaConfiguration: {
        VersionId: "LATEST",
        DatabaseName: "firehose_etl_prod",
        Region: "eu-west-1",
        RoleARN: ROLE("lake-role-42ccab9"),
        TableName: "events",
      },
    });
    assert.deepEqual(
      s3.ProcessingConfiguration.Processors.map((p: Inputs) => p.Type),
      ["Lambda", "MetadataExtraction"],
    );
  });

  it("shows dynamic partitioning as declared, disabled unless enabled is true, with its retry", () => {
    const description = describeAfter(prod, (inputs) => {
      if (inputs.extendedS3Configuration)
        inputs.extendedS3Configuration.dynamicPartitioningConfiguration = { retryDuration: 42 };
    });
    assert.deepEqual(
      description.Destinations[0].ExtendedS3DestinationDescription.DynamicPartitioningConfiguration,
      {
        Enabled: false,
        RetryOptions: { DurationInSeconds: 42 },
      },
    );
  });

  it("keeps a declared schema version", () => {
    const description = describeAfter(prod, (inputs) => {
      const schema = inputs.extendedS3Configuration?.dataFormatConversionConfiguration.schemaConfiguration;
      if (schema) schema.versionId = "7";
    });
    assert.equal(
      description.Destinations[0].ExtendedS3DestinationDescription.DataFormatConversionConfiguration
        .SchemaConfiguration.VersionId,
      "7",
    );
  });

  it("describes an Iceberg stream with its tables, catalog and S3 backup configuration", () => {
    const description = describeAfter(iceberg);
    assert.deepEqual(Object.keys(description.Destinations[0]), [
      "DestinationId",
      "IcebergDestinationDescription",
    ]);
    const { ProcessingConfiguration, ...rest } = description.Destinations[0].IcebergDestinationDescription;
    assert.deepEqual(
      ProcessingConfiguration.Processors.map((p: Inputs) => p.Type),
      ["Lambda", "MetadataExtraction"],
    );
    assert.deepEqual(rest, {
      DestinationTableConfigurationList: [
        {
          DestinationDatabaseName: "firehose_etl_iceberg",
          DestinationTableName: "events",
          UniqueKeys: ["event_id"],
        },
      ],
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 300 },
      CloudWatchLoggingOptions: {
        Enabled: true,
        LogGroupName: "/aws/kinesisfirehose/firehose-etl-iceberg-events",
        LogStreamName: "DestinationDelivery",
      },
      S3BackupMode: "FailedDataOnly",
      RetryOptions: { DurationInSeconds: 300 },
      RoleARN: ROLE("events-role-c7ccac9"),
      AppendOnly: false,
      CatalogConfiguration: { CatalogARN: "arn:aws:glue:eu-west-1:123456789012:catalog" },
      S3DestinationDescription: {
        RoleARN: ROLE("events-role-c7ccac9"),
        BucketARN: "arn:aws:s3:::local-bucket",
        Prefix: "backup/events/",
        ErrorOutputPrefix:
          "errors/events/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
        BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 300 },
        CompressionFormat: "GZIP",
        EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: KMS } },
        CloudWatchLoggingOptions: {
          Enabled: true,
          LogGroupName: "/aws/kinesisfirehose/firehose-etl-iceberg-events",
          LogStreamName: "BackupDelivery",
        },
      },
    });
  });

  it("shows an Iceberg stream's defaults and leaves out its unset optional blocks", () => {
    const description = describeAfter(iceberg, (inputs) => {
      const c = inputs.icebergConfiguration;
      c.appendOnly = true;
      delete c.s3BackupMode;
      delete c.retryDuration;
      delete c.cloudwatchLoggingOptions;
      delete c.destinationTableConfigurations[0].uniqueKeys;
    });
    const d = description.Destinations[0].IcebergDestinationDescription;
    assert.deepEqual(d.DestinationTableConfigurationList, [
      { DestinationDatabaseName: "firehose_etl_iceberg", DestinationTableName: "events" },
    ]);
    assert.equal(d.S3BackupMode, "FailedDataOnly");
    assert.equal(d.AppendOnly, true);
    assert.equal("RetryOptions" in d, false);
    assert.equal("CloudWatchLoggingOptions" in d, false);
    assert.equal("ProcessingConfiguration" in d, true);
  });
});
