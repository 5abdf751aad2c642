// The data lake: the stack's customer-managed KMS key, the encrypted bucket every stream writes to, the Glue
// table that describes the delivered events, and the Athena workgroup that queries them.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ERROR_ROOT, S3Layout, STAGING_ROOT, locationTemplate, tableRoot } from "../config/layout";
import { keyAliasOf } from "../config/naming";
import { LakeSettings, TableSettings } from "../config/settings";
import { PolicyStatement, policyDocument } from "./iam";
import { StackIdentity } from "./stack-identity";

export const ATHENA_RESULTS_ROOT = "athena-results/";

export interface DataLakeArgs {
  /** `<project>-<stack>`: names that must be unique in the account (alias, workgroup). */
  readonly namePrefix: string;
  readonly lake: LakeSettings;
  readonly table: TableSettings;
  /** The S3 pipeline's layout; without one the lake holds only backups and no table is created. */
  readonly layout?: S3Layout;
  /** `parquet` when the S3 pipeline converts records; decides the table's storage format. */
  readonly format: "json" | "parquet";
  readonly identity: StackIdentity;
  /** Services (`kms:ViaService` prefixes, e.g. `s3`, `kinesis`) through which this account's roles may use the key. */
  readonly keyServices: string[];
  /** Log group name patterns whose events CloudWatch Logs may encrypt with the key. */
  readonly logGroupPatterns: string[];
  /** Mark the key, bucket and Glue catalog `protect`. */
  readonly protect: boolean;
}

export class DataLake extends pulumi.ComponentResource {
  public readonly key: aws.kms.Key;
  public readonly bucket: aws.s3.Bucket;
  public readonly database: aws.glue.CatalogDatabase;
  public readonly table?: aws.glue.CatalogTable;
  public readonly workgroup: aws.athena.Workgroup;
  /** Ready once the bucket's encryption, access block and policy are in place: write only after this. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: DataLakeArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("firehose-etl:storage:DataLake", name, {}, opts);
    const child = { parent: this };
    const stateful = { parent: this, protect: args.protect };
    const { accountId, partition, region } = args.identity;

    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the ${name} data lake, its streams, logs, secrets and alarms`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: keyPolicy(args, accountId, partition, region),
      },
      stateful,
    );
    new aws.kms.Alias(
      `${name}-key-alias`,
      { name: keyAliasOf(args.namePrefix), targetKeyId: this.key.keyId },
      child,
    );

    this.bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: args.lake.forceDestroy }, stateful);
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: this.bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn },
            bucketKeyEnabled: true,
          },
        ],
      },
      child,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: this.bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      child,
    );
    const tlsOnly = new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      {
        bucket: this.bucket.id,
        policy: policyDocument([
          pulumi.output(this.bucket.arn).apply((arn): PolicyStatement => ({
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [arn, `${arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          })),
        ]),
      },
      { parent: this, dependsOn: [publicAccess] },
    );
    new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: this.bucket.id, versioningConfiguration: { status: "Enabled" } },
      child,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      { bucket: this.bucket.id, rules: lifecycleRules(args) },
      child,
    );
    this.ready = [encryption, publicAccess, tlsOnly];

    this.database = new aws.glue.CatalogDatabase(`${name}-database`, { name: args.table.database }, stateful);
    if (args.layout) {
      this.table = new aws.glue.CatalogTable(
        `${name}-table`,
        catalogTableArgs(args.table, args.layout, args.format, this.database.name, this.bucket.bucket),
        stateful,
      );
    }

    this.workgroup = new aws.athena.Workgroup(
      `${name}-athena`,
      {
        name: args.namePrefix,
        forceDestroy: args.lake.forceDestroy,
        configuration: {
          enforceWorkgroupConfiguration: true,
          publishCloudwatchMetricsEnabled: true,
          bytesScannedCutoffPerQuery: args.lake.athenaBytesScannedCutoff,
          resultConfiguration: {
            outputLocation: pulumi.interpolate`s3://${this.bucket.bucket}/${ATHENA_RESULTS_ROOT}`,
            encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: this.key.arn },
          },
        },
      },
      child,
    );

    this.registerOutputs({
      keyArn: this.key.arn,
      bucketName: this.bucket.bucket,
      database: this.database.name,
      table: this.table?.name,
      workgroup: this.workgroup.name,
    });
  }

  /** What a delivery role needs to write the lake (Firehose developer guide, access control for S3). */
  deliveryStatements(region: string): pulumi.Output<PolicyStatement>[] {
    return [
      pulumi.output(this.bucket.arn).apply((arn): PolicyStatement => ({
        Sid: "WriteLake",
        Effect: "Allow",
        Action: [
          "s3:AbortMultipartUpload",
          "s3:GetBucketLocation",
          "s3:GetObject",
          "s3:ListBucket",
          "s3:ListBucketMultipartUploads",
          "s3:PutObject",
        ],
        Resource: [arn, `${arn}/*`],
      })),
      pulumi.all([this.key.arn, this.bucket.arn]).apply(([keyArn, bucketArn]): PolicyStatement => ({
        Sid: "EncryptLakeObjects",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: keyArn,
        Condition: {
          StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` },
          StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, `${bucketArn}/*`] },
        },
      })),
    ];
  }
}

/**
 * The key's policy: the account administers the key but may use it only through the stack's services
 * (`kms:ViaService`), so a role's own IAM policy decides which of them; CloudWatch Logs may encrypt only this
 * stack's log groups; CloudWatch alarms may publish to the encrypted alarm topic.
 */
function keyPolicy(
  args: DataLakeArgs,
  accountId: pulumi.Output<string>,
  partition: pulumi.Output<string>,
  region: string,
): pulumi.Output<string> {
  return pulumi.all([accountId, partition]).apply(([account, part]) => {
    const root = `arn:${part}:iam::${account}:root`;
    const statements: PolicyStatement[] = [
      {
        Sid: "KeyAdministration",
        Effect: "Allow",
        Principal: { AWS: root },
        Action: [
          "kms:Create*",
          "kms:Describe*",
          "kms:Enable*",
          "kms:List*",
          "kms:Put*",
          "kms:Update*",
          "kms:Revoke*",
          "kms:Disable*",
          "kms:Get*",
          "kms:Delete*",
          "kms:TagResource",
          "kms:UntagResource",
          "kms:ScheduleKeyDeletion",
          "kms:CancelKeyDeletion",
          "kms:RotateKeyOnDemand",
        ],
        Resource: "*",
      },
      {
        Sid: "UseThroughStackServices",
        Effect: "Allow",
        Principal: { AWS: root },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: "*",
        Condition: {
          StringEquals: {
            "kms:CallerAccount": account,
            "kms:ViaService": [...new Set(args.keyServices)]
              .sort()
              .map((s) => `${s}.${region}.amazonaws.com`),
          },
        },
      },
      {
        Sid: "CloudWatchLogsForStackLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: {
          ArnLike: {
            "kms:EncryptionContext:aws:logs:arn": args.logGroupPatterns.map(
              (p) => `arn:${part}:logs:${region}:${account}:log-group:${p}`,
            ),
          },
        },
      },
      {
        Sid: "CloudWatchAlarmsToEncryptedTopic",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": account } },
      },
    ];
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
  });
}

function lifecycleRules(args: DataLakeArgs): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
  const { lake } = args;
  const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
    {
      id: "expire-errors",
      status: "Enabled",
      filter: { prefix: ERROR_ROOT },
      expiration: { days: lake.errorRetentionDays },
    },
    {
      // COPY has loaded them; kept as long as errors, to reload a table by hand.
      id: "expire-redshift-staging",
      status: "Enabled",
      filter: { prefix: STAGING_ROOT },
      expiration: { days: lake.errorRetentionDays },
    },
    {
      id: "expire-athena-results",
      status: "Enabled",
      filter: { prefix: ATHENA_RESULTS_ROOT },
      expiration: { days: lake.errorRetentionDays },
    },
    {
      id: "expire-old-versions",
      status: "Enabled",
      filter: {},
      noncurrentVersionExpiration: { noncurrentDays: lake.noncurrentVersionDays },
      abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
    },
  ];
  if (lake.transitionDays !== undefined && args.layout) {
    rules.push({
      id: "transition-data",
      status: "Enabled",
      filter: { prefix: tableRoot(args.layout) },
      transitions: [{ days: lake.transitionDays, storageClass: lake.transitionStorageClass }],
    });
  }
  return rules;
}

const STORAGE_FORMATS = {
  json: {
    classification: "json",
    inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
    outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
    serializationLibrary: "org.openx.data.jsonserde.JsonSerDe",
  },
  parquet: {
    classification: "parquet",
    inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
  },
} as const;

/** An external table over the data prefix, partitioned by the prefix's `name=` segments, with projection. */
function catalogTableArgs(
  table: TableSettings,
  layout: S3Layout,
  format: "json" | "parquet",
  databaseName: pulumi.Output<string>,
  bucketName: pulumi.Output<string>,
): aws.glue.CatalogTableArgs {
  const storage = STORAGE_FORMATS[format];
  const projection: Record<string, string> = { "projection.enabled": "true" };
  for (const column of layout.partitionColumns) {
    const p = column.projection;
    projection[`projection.${column.name}.type`] = p.type;
    if (p.type === "integer") {
      projection[`projection.${column.name}.range`] = p.range;
      if (p.digits) projection[`projection.${column.name}.digits`] = String(p.digits);
    }
    if (p.type === "enum") projection[`projection.${column.name}.values`] = p.values.join(",");
  }
  return {
    databaseName,
    name: table.name,
    tableType: "EXTERNAL_TABLE",
    parameters: bucketName.apply((bucket) => ({
      EXTERNAL: "TRUE",
      classification: storage.classification,
      ...projection,
      "storage.location.template": locationTemplate(bucket, layout),
    })),
    // Integer-projected parts are ints, so Athena compares `year = 2026` as the local run's view does.
    partitionKeys: layout.partitionColumns.map((c) => ({
      name: c.name,
      type: c.projection.type === "integer" ? "int" : "string",
    })),
    storageDescriptor: {
      location: pulumi.interpolate`s3://${bucketName}/${tableRoot(layout)}`,
      inputFormat: storage.inputFormat,
      outputFormat: storage.outputFormat,
      serDeInfo: {
        serializationLibrary: storage.serializationLibrary,
        parameters: { "serialization.format": "1" },
      },
      columns: table.columns.map((c) => ({ name: c.name, type: c.type, comment: c.comment })),
    },
  };
}
