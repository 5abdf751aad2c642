// DescribeDeliveryStream's answer for a local stream: what the stack's config deploys, in the API's shape.
import { DEAGGREGATION_PROCESSOR, deaggregationParameters } from "../config/deaggregation";
import { S3Layout } from "../config/layout";
import { S3DestinationSettings, StackSettings } from "../config/settings";
import { ACCOUNT_ID } from "./endpoint";
import { STREAM_VERSION } from "./object-key";

export interface DescribedStream {
  readonly name: string;
  readonly arn: string;
  readonly bucket: string;
  readonly lambdaArn: string;
  readonly kinesisSourceArn?: string;
  readonly keyArn: string;
  readonly createdAt: Date;
}

export function streamDescription(
  stream: DescribedStream,
  settings: StackSettings,
  dest: S3DestinationSettings,
  layout: S3Layout,
): Record<string, unknown> {
  const processor = settings.transform.processorBuffer;
  const roleArn = `arn:aws:iam::${ACCOUNT_ID}:role/${stream.name}-role`;
  const processors: Record<string, unknown>[] = [];
  if (dest.deaggregation) {
    processors.push({
      Type: DEAGGREGATION_PROCESSOR,
      Parameters: deaggregationParameters(dest.deaggregation).map((p) => ({
        ParameterName: p.name,
        ParameterValue: p.value,
      })),
    });
  }
  processors.push({
    Type: "Lambda",
    Parameters: [
      { ParameterName: "LambdaArn", ParameterValue: stream.lambdaArn },
      { ParameterName: "BufferSizeInMBs", ParameterValue: String(processor?.sizeMiB ?? 1) },
      {
        ParameterName: "BufferIntervalInSeconds",
        ParameterValue: String(processor?.intervalSeconds ?? 60),
      },
      { ParameterName: "NumberOfRetries", ParameterValue: String(settings.transform.retries ?? 3) },
    ],
  });
  if (layout.metadataExtractionQuery) {
    processors.push({
      Type: "MetadataExtraction",
      Parameters: [
        { ParameterName: "MetadataExtractionQuery", ParameterValue: layout.metadataExtractionQuery },
        { ParameterName: "JsonParsingEngine", ParameterValue: "JQ-1.6" },
      ],
    });
  }
  const s3 = {
    RoleARN: roleArn,
    BucketARN: `arn:aws:s3:::${stream.bucket}`,
    Prefix: layout.prefix,
    ErrorOutputPrefix: layout.errorOutputPrefix,
    BufferingHints: { SizeInMBs: dest.buffer.sizeMiB, IntervalInSeconds: dest.buffer.intervalSeconds },
    CompressionFormat: dest.compression,
    EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: stream.keyArn } },
    ProcessingConfiguration: { Enabled: true, Processors: processors },
    S3BackupMode: "Disabled",
    ...(dest.partitioning
      ? { DynamicPartitioningConfiguration: { Enabled: true, RetryOptions: { DurationInSeconds: 300 } } }
      : {}),
    ...(dest.format === "parquet"
      ? {
          DataFormatConversionConfiguration: {
            Enabled: true,
            SchemaConfiguration: {
              RoleARN: roleArn,
              DatabaseName: settings.table.database,
              TableName: settings.table.name,
              Region: settings.region,
              VersionId: "LATEST",
            },
            InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
            OutputFormatConfiguration: {
              Serializer: { ParquetSerDe: { Compression: dest.parquetCompression } },
            },
          },
        }
      : {}),
  };
  return {
    DeliveryStreamName: stream.name,
    DeliveryStreamARN: stream.arn,
    DeliveryStreamStatus: "ACTIVE",
    DeliveryStreamType: stream.kinesisSourceArn ? "KinesisStreamAsSource" : "DirectPut",
    VersionId: String(STREAM_VERSION),
    CreateTimestamp: stream.createdAt.getTime() / 1000,
    ...(stream.kinesisSourceArn
      ? {
          Source: {
            KinesisStreamSourceDescription: {
              KinesisStreamARN: stream.kinesisSourceArn,
              RoleARN: roleArn,
              DeliveryStartTimestamp: stream.createdAt.getTime() / 1000,
            },
          },
        }
      : {
          DeliveryStreamEncryptionConfiguration: {
            KeyARN: stream.keyArn,
            KeyType: "CUSTOMER_MANAGED_CMK",
            Status: "ENABLED",
          },
        }),
    Destinations: [{ DestinationId: "destinationId-000000000001", ExtendedS3DestinationDescription: s3 }],
    HasMoreDestinations: false,
  };
}
