// DescribeDeliveryStream's answer for a local stream: the declared stream's inputs in the API's shape, unset
// inputs shown with the values Firehose takes for them.
import { DESTINATION_BUFFER_LIMITS } from "../policy/rules/firehose-limits";
import { DeclaredStream } from "./declared-stream";
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
  stream: DeclaredStream,
  bucket: string,
  createdAt: Date,
): Record<string, unknown> {
  const inputs = stream.inputs as Inputs;
  const created = createdAt.getTime() / 1000;
  const destination =
    inputs.destination === "iceberg"
      ? { IcebergDestinationDescription: icebergDescription(stream, bucket) }
      : { ExtendedS3DestinationDescription: s3Description(stream, bucket) };
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
    Destinations: [{ DestinationId: "destinationId-000000000001", ...destination }],
    HasMoreDestinations: false,
  };
}

/** An S3 configuration block (the destination's own, or an Iceberg stream's backup) in the API's shape. */
function s3ConfigurationDescription(c: Inputs, bucket: string): Record<string, unknown> {
  return {
    RoleARN: c.roleArn,
    BucketARN: `arn:aws:s3:::${bucket}`,
    ...(c.prefix !== undefined ? { Prefix: c.prefix } : {}),
    ...(c.errorOutputPrefix !== undefined ? { ErrorOutputPrefix: c.errorOutputPrefix } : {}),
    BufferingHints: {
      SizeInMBs: c.bufferingSize ?? DESTINATION_BUFFER_LIMITS.extended_s3.defaultSizeMiB,
      IntervalInSeconds: c.bufferingInterval ?? DESTINATION_BUFFER_LIMITS.extended_s3.defaultIntervalSeconds,
    },
    CompressionFormat: c.compressionFormat ?? "UNCOMPRESSED",
    EncryptionConfiguration: c.kmsKeyArn
      ? { KMSEncryptionConfig: { AWSKMSKeyARN: c.kmsKeyArn } }
      : { NoEncryptionConfig: "NoEncryption" },
    ...(c.cloudwatchLoggingOptions ? { CloudWatchLoggingOptions: apiShape(c.cloudwatchLoggingOptions) } : {}),
  };
}

function icebergDescription(stream: DeclaredStream, bucket: string): Record<string, unknown> {
  const c = (stream.inputs as Inputs).icebergConfiguration as Inputs;
  return {
    DestinationTableConfigurationList: ((c.destinationTableConfigurations ?? []) as Inputs[]).map((t) => ({
      DestinationDatabaseName: t.databaseName,
      DestinationTableName: t.tableName,
      ...(t.uniqueKeys ? { UniqueKeys: t.uniqueKeys } : {}),
    })),
    BufferingHints: { SizeInMBs: stream.buffer.sizeMiB, IntervalInSeconds: stream.buffer.intervalSeconds },
    ...(c.cloudwatchLoggingOptions ? { CloudWatchLoggingOptions: apiShape(c.cloudwatchLoggingOptions) } : {}),
    ...(c.processingConfiguration ? { ProcessingConfiguration: apiShape(c.processingConfiguration) } : {}),
    S3BackupMode: c.s3BackupMode ?? "FailedDataOnly",
    ...(c.retryDuration !== undefined ? { RetryOptions: { DurationInSeconds: c.retryDuration } } : {}),
    RoleARN: c.roleArn,
    AppendOnly: c.appendOnly === true,
    CatalogConfiguration: { CatalogARN: c.catalogArn },
    S3DestinationDescription: s3ConfigurationDescription(c.s3Configuration as Inputs, bucket),
  };
}

function s3Description(stream: DeclaredStream, bucket: string): Record<string, unknown> {
  const inputs = stream.inputs as Inputs;
  const c = inputs.extendedS3Configuration as Inputs;
  const conversion = c.dataFormatConversionConfiguration as Inputs | undefined;
  return {
    ...s3ConfigurationDescription(c, bucket),
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
}
