// Apache Iceberg tables: Glue tables (format version 2, merge-on-read as Firehose writes them) whose data and
// metadata live in the lake bucket under iceberg/<table>/, Firehose's icebergConfiguration writing them, and Glue's
// managed table optimizers (compaction, snapshot retention, orphan-file deletion) running as a role that can
// touch only those tables. Failed records go to the lake's error prefix, like every other destination's.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  IcebergDestinationSettings,
  icebergTableRoot,
  routingQuery,
} from "../../config/destinations/iceberg";
import { icebergTypeOf } from "../../config/iceberg-types";
import { BACKUP_ROOT, ERROR_ROOT } from "../../config/layout";
import { TableSettings } from "../../config/settings";
import { PolicyStatement, policyDocument, serviceTrustPolicy } from "../iam";
import { BindContext, BoundDestination, Destination } from "./destination";
import { lakeBackup } from "./lake-backup";
import { TableSchema } from "../table-schema";

type IcebergConfiguration = aws.types.input.kinesis.FirehoseDeliveryStreamIcebergConfiguration;

/** Firehose writes row-level changes merge-on-read (developer guide, Iceberg prerequisites): the table agrees. */
export const ICEBERG_TABLE_PROPERTIES: Readonly<Record<string, string>> = {
  "write.format.default": "parquet",
  "write.delete.mode": "merge-on-read",
  "write.update.mode": "merge-on-read",
  "write.merge.mode": "merge-on-read",
};

/** The log groups Glue's optimizers write to (Glue developer guide, table optimization prerequisites). */
export const OPTIMIZER_LOG_GROUPS = [
  "/aws-glue/iceberg-compaction/logs",
  "/aws-glue/iceberg-retention/logs",
  "/aws-glue/iceberg-orphan-file-deletion/logs",
];

/** The table's Iceberg schema: the stack's columns, all optional (a record may lack any field). */
export function icebergSchema(table: TableSettings) {
  return {
    fields: table.columns.map((c, i) => {
      const type = icebergTypeOf(c.type);
      if (type === undefined) throw new Error(`table.columns[${i}].type '${c.type}' has no Iceberg mapping`);
      return { id: i + 1, name: c.name, type, required: false, ...(c.comment ? { doc: c.comment } : {}) };
    }),
  };
}

export class IcebergDestination implements Destination {
  constructor(private readonly settings: IcebergDestinationSettings) {}

  bind(scope: pulumi.ComponentResource, ctx: BindContext): BoundDestination {
    const { settings } = this;
    const { lake } = ctx;
    const location = (name: string) =>
      pulumi.interpolate`s3://${lake.bucket.bucket}/${icebergTableRoot(name)}`;
    const tables = settings.tables.map(
      (t) =>
        new aws.glue.CatalogTable(
          `${ctx.name}-${t.name}-table`,
          {
            databaseName: lake.database.name,
            name: t.name,
            openTableFormatInput: {
              icebergInput: {
                metadataOperation: "CREATE",
                // Firehose writes only to format version 2 (developer guide, Iceberg prerequisites).
                version: "2",
                icebergTableInput: {
                  location: location(t.name),
                  schema: icebergSchema(lake.tableDefinition),
                  properties: { ...ICEBERG_TABLE_PROPERTIES },
                },
              },
            },
          },
          // The create-time schema would replace the table on any change: later columns go through TableSchema.
          { ...ctx.statefulOpts, ignoreChanges: ["openTableFormatInput"] },
        ),
    );
    const table = lake.tableDefinition;
    tables.forEach(
      (glueTable, i) =>
        new TableSchema(
          `${ctx.name}-${settings.tables[i].name}-table-schema`,
          {
            label: `${table.database}.${settings.tables[i].name}`,
            columns: table.columns.map(({ name, type }) => ({ name, type })),
            allowBreakingSchemaChange: table.allowBreakingSchemaChange,
            target: {
              kind: "iceberg",
              region: ctx.region,
              database: table.database,
              table: settings.tables[i].name,
              location: location(settings.tables[i].name),
            },
          },
          { parent: scope, dependsOn: [glueTable] },
        ),
    );
    this.optimizers(scope, ctx, tables, location);

    const query = routingQuery(settings, lake.tableDefinition.database);
    const config: IcebergConfiguration = {
      catalogArn: lake.catalogArn,
      roleArn: ctx.roleArn,
      destinationTableConfigurations: settings.tables.map((t) => ({
        databaseName: lake.database.name,
        tableName: t.name,
        ...(t.uniqueKeys ? { uniqueKeys: t.uniqueKeys } : {}),
      })),
      appendOnly: settings.mode === "append",
      bufferingSize: settings.buffer.sizeMiB,
      bufferingInterval: settings.buffer.intervalSeconds,
      retryDuration: settings.retrySeconds,
      s3BackupMode: settings.backupMode,
      s3Configuration: lakeBackup(ctx, { purpose: "backup", buffer: settings.buffer }),
      processingConfiguration: query ? routedProcessing(ctx, query) : ctx.processing,
      cloudwatchLoggingOptions: ctx.logging.destination,
    };
    return {
      destination: "iceberg",
      streamArgs: { icebergConfiguration: config },
      statements: deliveryStatements(ctx, settings),
      // Firehose checks at creation that the tables (and their unique keys) exist.
      dependsOn: tables,
      // Iceberg's Success counts commits, and it reports rows, not records (developer guide, Iceberg metrics).
      metrics: {
        freshness: "DeliveryToIceberg.DataFreshness",
        success: "DeliveryToIceberg.Success",
        records: "DeliveryToIceberg.SuccessfulRowCount",
      },
      alarms: [
        {
          id: "failed-rows",
          metricName: "DeliveryToIceberg.FailedRowCount",
          description: `${ctx.name}: rows failed to reach their Iceberg table (see the error prefix)`,
          statistic: "Sum",
          comparison: "GreaterThanThreshold",
          threshold: 0,
        },
      ],
    };
  }

  /** One optimizer of each kind per table, each on or off as configured, all run as one least-privileged role. */
  private optimizers(
    scope: pulumi.ComponentResource,
    ctx: BindContext,
    tables: aws.glue.CatalogTable[],
    location: (table: string) => pulumi.Output<string>,
  ): void {
    const { settings } = this;
    const role = new aws.iam.Role(
      `${ctx.name}-optimizer-role`,
      {
        description: `Glue table optimizers of the ${ctx.streamName} Iceberg tables`,
        assumeRolePolicy: serviceTrustPolicy(
          "glue.amazonaws.com",
          ctx.accountId.apply((account) => ({ StringEquals: { "aws:SourceAccount": account } })),
        ),
      },
      { parent: scope },
    );
    const policy = new aws.iam.RolePolicy(
      `${ctx.name}-optimizer-policy`,
      { role: role.id, policy: policyDocument(optimizerStatements(ctx, settings)) },
      { parent: scope },
    );
    settings.tables.forEach((t, i) => {
      for (const type of OPTIMIZER_TYPES) {
        new aws.glue.CatalogTableOptimizer(
          `${ctx.name}-${t.name}-${type}`,
          {
            catalogId: ctx.accountId,
            databaseName: ctx.lake.database.name,
            tableName: t.name,
            type,
            configuration: {
              roleArn: role.arn,
              ...optimizerSettings(type, settings, location(t.name)),
            },
          },
          { parent: scope, dependsOn: [policy, tables[i]] },
        );
      }
    });
  }
}

/** The three optimizers Glue runs for Iceberg tables, by their API type names. */
export const OPTIMIZER_TYPES = ["compaction", "retention", "orphanFileDeletion"] as const;

function optimizerSettings(
  type: (typeof OPTIMIZER_TYPES)[number],
  settings: IcebergDestinationSettings,
  location: pulumi.Output<string>,
): Omit<aws.types.input.glue.CatalogTableOptimizerConfiguration, "roleArn"> {
  const { compaction, snapshotRetention, orphanFileDeletion } = settings.optimizers;
  switch (type) {
    case "compaction":
      return { enabled: compaction.enabled };
    case "retention":
      return {
        enabled: snapshotRetention.enabled,
        retentionConfiguration: {
          icebergConfiguration: {
            snapshotRetentionPeriodInDays: snapshotRetention.retentionDays,
            numberOfSnapshotsToRetain: snapshotRetention.snapshotsToRetain,
            // Without this, expired snapshots leave their files in S3 for ever.
            cleanExpiredFiles: true,
          },
        },
      };
    case "orphanFileDeletion":
      return {
        enabled: orphanFileDeletion.enabled,
        orphanFileDeletionConfiguration: {
          icebergConfiguration: {
            orphanFileRetentionPeriodInDays: orphanFileDeletion.retentionDays,
            location,
          },
        },
      };
  }
}

/** The transform, then Firehose's jq parser producing the routing metadata (database, table, operation). */
function routedProcessing(ctx: BindContext, query: string): IcebergConfiguration["processingConfiguration"] {
  return pulumi.output(ctx.processing.processors).apply((processors) => ({
    enabled: true,
    processors: [
      ...(processors ?? []),
      {
        type: "MetadataExtraction",
        parameters: [
          { parameterName: "MetadataExtractionQuery", parameterValue: query },
          { parameterName: "JsonParsingEngine", parameterValue: "JQ-1.6" },
        ],
      },
    ],
  }));
}

/** Glue resources of the stack's tables: the catalog, the database and each table (Glue checks all three). */
function glueResources(ctx: BindContext, settings: IcebergDestinationSettings): pulumi.Output<string[]> {
  const { lake } = ctx;
  return pulumi
    .all([lake.catalogArn, lake.database.arn])
    .apply(([catalog, database]) => [
      catalog,
      database,
      ...settings.tables.map((t) => `${database.replace(":database/", ":table/")}/${t.name}`),
    ]);
}

/** The tables' folders in the lake, as object ARNs (`<bucket>/iceberg/<table>/*`). */
function tableObjects(ctx: BindContext, settings: IcebergDestinationSettings): pulumi.Output<string[]> {
  return ctx.lake.bucket.arn.apply((bucket) =>
    settings.tables.map((t) => `${bucket}/${icebergTableRoot(t.name)}*`),
  );
}

/** S3 encrypts the lake's objects with its key; the role may use it only through S3, only for this bucket. */
function lakeKeyStatement(ctx: BindContext, sid: string): pulumi.Output<PolicyStatement> {
  return ctx.lake.keyThroughS3(sid, ["kms:Decrypt", "kms:GenerateDataKey"], ctx.region);
}

/**
 * The delivery role (Firehose developer guide, access to an Apache Iceberg Tables destination), narrowed to this
 * stream's tables: it reads and commits their metadata, writes (and, for merge-on-read, deletes) their files,
 * and writes its failed records to its own error and backup folders. No other table or prefix of the lake.
 */
function deliveryStatements(
  ctx: BindContext,
  settings: IcebergDestinationSettings,
): pulumi.Output<PolicyStatement>[] {
  const { lake } = ctx;
  return [
    // GetDatabase applies to the catalog and the database only (Service Authorization Reference).
    glueResources(ctx, settings).apply((resources) => ({
      Sid: "ReadIcebergDatabase",
      Effect: "Allow" as const,
      Action: "glue:GetDatabase",
      Resource: resources.slice(0, 2),
    })),
    glueResources(ctx, settings).apply((resources) => ({
      Sid: "CommitIcebergTables",
      Effect: "Allow" as const,
      Action: ["glue:GetTable", "glue:UpdateTable"],
      Resource: resources,
    })),
    tableObjects(ctx, settings).apply((objects) => ({
      Sid: "WriteIcebergFiles",
      Effect: "Allow" as const,
      Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: objects,
    })),
    lake.bucket.arn.apply((bucket) => ({
      Sid: "WriteFailedRecords",
      Effect: "Allow" as const,
      Action: ["s3:AbortMultipartUpload", "s3:PutObject"],
      Resource: [ERROR_ROOT, BACKUP_ROOT].map((root) => `${bucket}/${root}${ctx.name}/*`),
    })),
    lake.bucket.arn.apply((bucket) => ({
      Sid: "LocateLake",
      Effect: "Allow" as const,
      Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
      Resource: bucket,
    })),
    lakeKeyStatement(ctx, "EncryptLakeObjects"),
  ];
}

/**
 * The optimizers' role (Glue developer guide, table optimization prerequisites), narrowed to these tables: read,
 * rewrite and delete their files, list only their folders, commit their metadata, and write Glue's optimizer logs.
 */
function optimizerStatements(
  ctx: BindContext,
  settings: IcebergDestinationSettings,
): pulumi.Output<PolicyStatement>[] {
  const { lake } = ctx;
  return [
    tableObjects(ctx, settings).apply((objects) => ({
      Sid: "RewriteIcebergFiles",
      Effect: "Allow" as const,
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: objects,
    })),
    lake.bucket.arn.apply((bucket) => ({
      Sid: "ListIcebergFiles",
      Effect: "Allow" as const,
      Action: "s3:ListBucket",
      Resource: bucket,
      Condition: { StringLike: { "s3:prefix": settings.tables.map((t) => `${icebergTableRoot(t.name)}*`) } },
    })),
    glueResources(ctx, settings).apply((resources) => ({
      Sid: "CommitIcebergTables",
      Effect: "Allow" as const,
      Action: ["glue:GetTable", "glue:UpdateTable"],
      Resource: resources,
    })),
    lake.catalogArn.apply((catalog) => {
      const logs = catalog.replace(/:glue:/, ":logs:").replace(/:catalog$/, ":log-group:");
      return {
        Sid: "WriteOptimizerLogs",
        Effect: "Allow" as const,
        Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: OPTIMIZER_LOG_GROUPS.map((group) => `${logs}${group}:*`),
      };
    }),
    lakeKeyStatement(ctx, "UseLakeKeyThroughS3"),
  ];
}
