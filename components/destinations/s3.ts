// Extended S3: the data lake itself, with the layout from config/layout.ts, dynamic partitioning (inline jq or
// Lambda keys) and JSON-to-Parquet conversion against the Glue table.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEAGGREGATION_PROCESSOR, deaggregationParameters } from "../../config/deaggregation";
import { S3Layout } from "../../config/layout";
import { S3DestinationSettings } from "../../config/settings";
import { PolicyStatement } from "../iam";
import { BindContext, BoundDestination, Destination, DestinationAlarm } from "./destination";

/** How long Firehose retries delivering to a dynamic partition before routing records to the error prefix. */
const PARTITION_RETRY_SECONDS = 300;

type ExtendedS3 = aws.types.input.kinesis.FirehoseDeliveryStreamExtendedS3Configuration;

export class S3Destination implements Destination {
  constructor(
    private readonly settings: S3DestinationSettings,
    private readonly layout: S3Layout,
  ) {}

  bind(_scope: pulumi.ComponentResource, ctx: BindContext): BoundDestination {
    const { settings, layout } = this;
    const { lake } = ctx;
    const conversion = settings.format === "parquet";
    const config: ExtendedS3 = {
      bucketArn: lake.bucket.arn,
      roleArn: ctx.roleArn,
      prefix: layout.prefix,
      errorOutputPrefix: layout.errorOutputPrefix,
      bufferingSize: settings.buffer.sizeMiB,
      bufferingInterval: settings.buffer.intervalSeconds,
      compressionFormat: settings.compression,
      kmsKeyArn: lake.key.arn,
      cloudwatchLoggingOptions: ctx.logging.destination,
      processingConfiguration: this.processing(ctx),
      ...(settings.partitioning
        ? { dynamicPartitioningConfiguration: { enabled: true, retryDuration: PARTITION_RETRY_SECONDS } }
        : {}),
      ...(conversion ? { dataFormatConversionConfiguration: this.conversion(ctx) } : {}),
    };
    return {
      destination: "extended_s3",
      streamArgs: { extendedS3Configuration: config },
      statements: [
        ...lake.deliveryStatements(ctx.region),
        ...(conversion ? [this.readTableStatement(ctx)] : []),
      ],
      dependsOn: lake.table ? [lake.table] : [],
      metrics: { freshness: "DeliveryToS3.DataFreshness", success: "DeliveryToS3.Success" },
      alarms: this.alarms(ctx.name),
    };
  }

  private alarms(pipeline: string): DestinationAlarm[] {
    const { settings } = this;
    return [
      ...(settings.format === "parquet"
        ? [
            {
              id: "failed-conversion",
              metricName: "FailedConversion.Records",
              description: `${pipeline}: records failed Parquet conversion (see the format-conversion-failed error prefix)`,
              statistic: "Sum" as const,
              comparison: "GreaterThanThreshold" as const,
              threshold: 0,
            },
          ]
        : []),
      ...(settings.partitioning
        ? [
            {
              id: "partition-count-exceeded",
              metricName: "PartitionCountExceeded",
              description: `${pipeline}: more active partitions than the stream's limit`,
              statistic: "Maximum" as const,
              comparison: "GreaterThanThreshold" as const,
              threshold: 0,
            },
          ]
        : []),
    ];
  }

  /**
   * De-aggregation, the transform, then Firehose's inline jq parser for `partitionKeyFromQuery` keys: the order
   * Firehose documents running them in (de-aggregation, Lambda, partitioning keys).
   */
  private processing(ctx: BindContext): ExtendedS3["processingConfiguration"] {
    const query = this.layout.metadataExtractionQuery;
    const { deaggregation } = this.settings;
    if (!query && !deaggregation) return ctx.processing;
    return pulumi.output(ctx.processing.processors).apply((processors) => ({
      enabled: true,
      processors: [
        ...(deaggregation
          ? [
              {
                type: DEAGGREGATION_PROCESSOR,
                parameters: deaggregationParameters(deaggregation).map((p) => ({
                  parameterName: p.name,
                  parameterValue: p.value,
                })),
              },
            ]
          : []),
        ...(processors ?? []),
        ...(query
          ? [
              {
                type: "MetadataExtraction",
                parameters: [
                  { parameterName: "MetadataExtractionQuery", parameterValue: query },
                  { parameterName: "JsonParsingEngine", parameterValue: "JQ-1.6" },
                ],
              },
            ]
          : []),
      ],
    }));
  }

  private conversion(ctx: BindContext): ExtendedS3["dataFormatConversionConfiguration"] {
    const table = this.requireTable(ctx);
    return {
      enabled: true,
      inputFormatConfiguration: { deserializer: { openXJsonSerDe: {} } },
      outputFormatConfiguration: {
        serializer: { parquetSerDe: { compression: this.settings.parquetCompression } },
      },
      schemaConfiguration: {
        databaseName: table.databaseName,
        tableName: table.name,
        roleArn: ctx.roleArn,
        region: ctx.region,
      },
    };
  }

  /** Format conversion reads the table's schema (Firehose developer guide, access for format conversion). */
  private readTableStatement(ctx: BindContext): pulumi.Output<PolicyStatement> {
    const table = this.requireTable(ctx);
    const { lake } = ctx;
    return pulumi
      .all([lake.catalogArn, lake.database.arn, table.arn])
      .apply(([catalog, database, tableArn]) => ({
        Sid: "ReadTableSchema",
        Effect: "Allow" as const,
        Action: ["glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"],
        // Glue authorises a table read against the catalog, the database and the table.
        Resource: [catalog, database, tableArn],
      }));
  }

  private requireTable(ctx: BindContext): aws.glue.CatalogTable {
    if (!ctx.lake.table)
      throw new Error(`pipeline ${ctx.name}: format 'parquet' needs the lake's Glue table`);
    return ctx.lake.table;
  }
}
