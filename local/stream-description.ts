// DescribeDeliveryStream's answer for a local stream: the declared stream's inputs in the API's shape, unset
// inputs shown with the values Firehose takes for them.
import { DeclaredS3Stream } from "./declared-stream";
import { STREAM_VERSION } from "./object-key";

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Input names whose API name is not the name with its first letter upper-cased. */
const API_NAMES: Readonly<Record<string, string>> = {
  roleArn: "RoleARN",
  kinesisStreamArn: "KinesisStreamARN",
  openXJsonSerDe: "OpenXJsonSerDe",
  parquetSerDe: "ParquetSerDe",
};

/** The provider's camelCase block in the API's PascalCase, recursively. */
function apiShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(apiShape);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      API_NAMES[key] ?? key[0].toUpperCase() + key.slice(1),
      apiShape(v),
    ]),
  );
}

/** `bucket`: the local bucket, which stands in for the declared one (named by Pulumi at deploy). */
export function streamDescription(
  stream: DeclaredS3Stream,
  bucket: string,
  createdAt: Date,
): Record<string, unknown> {
  const inputs = stream.inputs as Inputs;
  const c = inputs.extendedS3Configuration as Inputs;
  const created = createdAt.getTime() / 1000;
  const conversion = c.dataFormatConversionConfiguration as Inputs | undefined;
  const s3 = {
    RoleARN: c.roleArn,
    BucketARN: `arn:aws:s3:::${bucket}`,
    Prefix: stream.prefix,
    ErrorOutputPrefix: stream.errorOutputPrefix,
    BufferingHints: { SizeInMBs: stream.buffer.sizeMiB, IntervalInSeconds: stream.buffer.intervalSeconds },
    CompressionFormat: c.compressionFormat ?? "UNCOMPRESSED",
    EncryptionConfiguration: c.kmsKeyArn
      ? { KMSEncryptionConfig: { AWSKMSKeyARN: c.kmsKeyArn } }
      : { NoEncryptionConfig: "NoEncryption" },
    ...(c.cloudwatchLoggingOptions ? { CloudWatchLoggingOptions: apiShape(c.cloudwatchLoggingOptions) } : {}),
    ...(c.processingConfiguration ? { ProcessingConfiguration: apiShape(c.processingConfiguration) } : {}),
    S3BackupMode: c.s3BackupMode ?? "Disabled",
    ...(c.dynamicPartitioningConfiguration
      ? {
          DynamicPartitioningConfiguration: {
            Enabled: c.dynamicPartitioningConfiguration.enabled === true,
            RetryOptions: { DurationInSeconds: c.dynamicPartitioningConfiguration.retryDuration },
          },
        }
      : {}),
    ...(conversion
      ? {
          DataFormatConversionConfiguration: apiShape({
            ...conversion,
            schemaConfiguration: { versionId: "LATEST", ...conversion.schemaConfiguration },
          }),
        }
      : {}),
  };
  const source = inputs.kinesisSourceConfiguration as Inputs | undefined;
  const encryption = inputs.serverSideEncryption as Inputs | undefined;
  return {
    DeliveryStreamName: stream.name,
    DeliveryStreamARN: stream.arn,
    DeliveryStreamStatus: "ACTIVE",
    DeliveryStreamType: source ? "KinesisStreamAsSource" : "DirectPut",
    VersionId: String(STREAM_VERSION),
    CreateTimestamp: created,
    ...(source
      ? {
          Source: {
            KinesisStreamSourceDescription: {
              ...(apiShape(source) as object),
              DeliveryStartTimestamp: created,
            },
          },
        }
      : {}),
    ...(encryption?.enabled
      ? {
          DeliveryStreamEncryptionConfiguration: {
            KeyARN: encryption.keyArn,
            KeyType: encryption.keyType ?? "AWS_OWNED_CMK",
            Status: "ENABLED",
          },
        }
      : {}),
    Destinations: [{ DestinationId: "destinationId-000000000001", ExtendedS3DestinationDescription: s3 }],
    HasMoreDestinations: false,
  };
}
