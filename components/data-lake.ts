// The data lake: the stack's customer-managed KMS key, the encrypted bucket every stream writes to, the Glue
// table that describes the delivered events, and the Athena workgroup that queries them.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  BACKUP_ROOT,
  ERROR_ROOT,
  S3Layout,
  REPLAY_ROOT,
  STAGING_ROOT,
  locationTemplate,
  tableRoot,
} from "../config/layout";
import { projectionParameters } from "../config/glue-projection";
import { keyAliasOf } from "../config/naming";
import { LakeSettings, TableSettings } from "../config/settings";
import { PII_COLUMN_PARAMETER } from "../policy/lib/pii-columns";
import { PolicyStatement, policyDocument, serviceTrustPolicy } from "./iam";
import { TableSchema } from "./table-schema";
import { StackIdentity } from "./stack-identity";

export const ATHENA_RESULTS_ROOT = "athena-results/";

/** Reading an object's bytes, in any version (CopyObject and SelectObjectContent need s3:GetObject too). */
export const OBJECT_READ_ACTIONS = ["s3:GetObject", "s3:GetObjectVersion"];
/** What nobody but the break-glass role may do to a raw record: read it, or replicate it elsewhere. */
const RAW_RECORD_DENIED_ACTIONS = [...OBJECT_READ_ACTIONS, "s3:GetObjectVersionForReplication"];

/**
 * Where the lake holds records as they arrived, before masking: the error prefixes (Firehose writes a failed
 * record's original bytes there) and the destinations' backups of failed records. Only the break-glass role reads
 * them. A custom error prefix outside `errors/` is protected by its fixed folder (none when it starts with an
 * expression, which the `firehose-error-prefix` policy refuses anyway).
 */
export function rawRecordPrefixes(layout: S3Layout | undefined): string[] {
  const fixed = layout?.errorOutputPrefix.split("!{")[0] ?? "";
  const custom = fixed.slice(0, fixed.lastIndexOf("/") + 1);
  return [...new Set([ERROR_ROOT, BACKUP_ROOT, ...(custom === "" ? [] : [custom])])].filter(
    (prefix, _, all) => !all.some((other) => other !== prefix && prefix.startsWith(other)),
  );
}

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
  /** Create the replay state machine's worker role, the only other principal that reads raw records. */
  readonly replayWorker: boolean;
}

export class DataLake extends pulumi.ComponentResource {
  public readonly key: aws.kms.Key;
  public readonly bucket: aws.s3.Bucket;
  public readonly database: aws.glue.CatalogDatabase;
  /** The columns every table of the lake is built from (the stack's `table`). */
  public readonly tableDefinition: TableSettings;
  /** `arn:<partition>:glue:<region>:<account>:catalog`: Glue authorises table calls against it too. */
  public readonly catalogArn: pulumi.Output<string>;
  public readonly table?: aws.glue.CatalogTable;
  public readonly workgroup: aws.athena.Workgroup;
  /** The break-glass role: the only person's role that can read raw records (MFA, from the account). */
  public readonly rawRecordReader: aws.iam.Role;
  /** Where the lake holds raw records (`rawRecordPrefixes`). */
  public readonly rawPrefixes: string[];
  /** The replay state machine's Lambda role (`replay.stateMachine`): reads raw records to replay them. */
  public readonly replayWorker?: aws.iam.Role;
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
    const rawPrefixes = rawRecordPrefixes(args.layout);
    this.rawPrefixes = rawPrefixes;
    this.rawRecordReader = this.breakGlassRole(name, args, rawPrefixes);
    this.replayWorker = args.replayWorker ? this.replayWorkerRole(name, args, rawPrefixes) : undefined;
    const rawRecordReaders = [this.rawRecordReader, ...(this.replayWorker ? [this.replayWorker] : [])];
    const bucketPolicy = new aws.s3.BucketPolicy(
      `${name}-bucket-policy`,
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
          // Reads only: Firehose keeps writing there, and the account root keeps every bucket-policy action.
          pulumi
            .all([this.bucket.arn, ...rawRecordReaders.map((r) => r.arn)])
            .apply(([arn, ...readers]): PolicyStatement => ({
              Sid: "DenyRawRecordReadsButBreakGlass",
              Effect: "Deny",
              Principal: "*",
              Action: RAW_RECORD_DENIED_ACTIONS,
              Resource: rawPrefixes.map((prefix) => `${arn}/${prefix}*`),
              Condition: {
                ArnNotEquals: { "aws:PrincipalArn": readers.length === 1 ? readers[0] : readers },
              },
            })),
        ]),
      },
      { parent: this, dependsOn: [publicAccess], aliases: [{ name: `${name}-tls-only` }] },
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
    this.ready = [encryption, publicAccess, bucketPolicy];

    this.tableDefinition = args.table;
    this.database = new aws.glue.CatalogDatabase(`${name}-database`, { name: args.table.database }, stateful);
    this.catalogArn = this.database.arn.apply((arn) => arn.replace(/:database\/[^/]+$/, ":catalog"));
    if (args.layout) {
      // Checked against the previous state first: a breaking column change stops before the table changes.
      const guard = new TableSchema(
        `${name}-table-schema`,
        {
          label: `${args.table.database}.${args.table.name}`,
          columns: args.table.columns.map(({ name, type }) => ({ name, type })),
          allowBreakingSchemaChange: args.table.allowBreakingSchemaChange,
          target: { kind: "glue" },
        },
        child,
      );
      this.table = new aws.glue.CatalogTable(
        `${name}-table`,
        catalogTableArgs(args.table, args.layout, args.format, this.database.name, this.bucket.bucket),
        { ...stateful, dependsOn: [guard] },
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
      rawRecordReaderArn: this.rawRecordReader.arn,
    });
  }

  /**
   * `<namePrefix>-error-reader`: assumable by the account's principals with MFA only (and only those whose own
   * policy grants sts:AssumeRole on it), it reads and lists the raw-record prefixes and decrypts them through S3.
   */
  private breakGlassRole(name: string, args: DataLakeArgs, rawPrefixes: string[]): aws.iam.Role {
    const { accountId, partition, region } = args.identity;
    const role = new aws.iam.Role(
      `${name}-error-reader`,
      {
        name: `${args.namePrefix}-error-reader`,
        description: "Break-glass: reads failed records' original bytes (raw PII) to replay them",
        maxSessionDuration: 3600,
        assumeRolePolicy: pulumi.all([accountId, partition]).apply(([account, part]) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { AWS: `arn:${part}:iam::${account}:root` },
                Action: "sts:AssumeRole",
                Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
              },
            ],
          }),
        ),
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-error-reader-policy`,
      { role: role.id, policy: policyDocument(this.rawRecordStatements(rawPrefixes, region)) },
      { parent: this },
    );
    return role;
  }

  /**
   * The replay state machine's worker: Lambda runs it, one invocation per error object. It reads raw records
   * as the break-glass role does, and, once `grantReplay` ran, replays them with the same rights.
   */
  private replayWorkerRole(name: string, args: DataLakeArgs, rawPrefixes: string[]): aws.iam.Role {
    const role = new aws.iam.Role(
      `${name}-replay-worker`,
      {
        assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com"),
        description:
          "Replay state machine worker: reads failed records' original bytes (raw PII) to replay them",
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-replay-worker-policy`,
      { role: role.id, policy: policyDocument(this.rawRecordStatements(rawPrefixes, args.identity.region)) },
      { parent: this },
    );
    return role;
  }

  /** Reading and listing the raw-record prefixes, decrypted through S3. */
  private rawRecordStatements(rawPrefixes: string[], region: string): pulumi.Output<PolicyStatement>[] {
    return [
      pulumi.output(this.bucket.arn).apply((arn): PolicyStatement => ({
        Sid: "ReadRawRecords",
        Effect: "Allow",
        Action: OBJECT_READ_ACTIONS,
        Resource: rawPrefixes.map((prefix) => `${arn}/${prefix}*`),
      })),
      pulumi.output(this.bucket.arn).apply((arn): PolicyStatement => ({
        Sid: "ListRawRecords",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: arn,
        Condition: { StringLike: { "s3:prefix": rawPrefixes.map((prefix) => `${prefix}*`) } },
      })),
      this.keyThroughS3("DecryptRawRecords", "kms:Decrypt", region),
    ];
  }

  /**
   * Makes the break-glass role the replay role (`npm run replay`), and the worker its state machine's: besides
   * reading raw records, each keeps its progress manifests under `replay/`, describes the stack's streams and
   * sends the records again: to the streams (Direct PUT), or to the Kinesis source (`sourceArn`, encrypted with
   * the lake's key), and nothing else.
   */
  grantReplay(
    name: string,
    region: string,
    streamArns: pulumi.Input<string>[],
    sourceArn: pulumi.Input<string> | undefined,
  ): void {
    const policy = policyDocument(this.replayStatements(region, streamArns, sourceArn));
    new aws.iam.RolePolicy(
      `${name}-error-reader-replay`,
      { role: this.rawRecordReader.id, policy },
      { parent: this },
    );
    if (this.replayWorker) {
      new aws.iam.RolePolicy(
        `${name}-replay-worker-replay`,
        { role: this.replayWorker.id, policy },
        { parent: this },
      );
    }
  }

  private replayStatements(
    region: string,
    streamArns: pulumi.Input<string>[],
    sourceArn: pulumi.Input<string> | undefined,
  ): pulumi.Output<PolicyStatement>[] {
    return [
      pulumi.output(this.bucket.arn).apply((arn): PolicyStatement => ({
        Sid: "ReplayProgress",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject"],
        Resource: `${arn}/${REPLAY_ROOT}*`,
      })),
      pulumi.output(this.bucket.arn).apply((arn): PolicyStatement => ({
        Sid: "ListReplayProgress",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: arn,
        Condition: { StringLike: { "s3:prefix": `${REPLAY_ROOT}*` } },
      })),
      this.keyThroughS3("EncryptReplayProgress", "kms:GenerateDataKey", region),
      pulumi.all(streamArns).apply((arns): PolicyStatement => ({
        Sid: sourceArn === undefined ? "ReplayIntoStreams" : "DescribeStreams",
        Effect: "Allow",
        Action: [
          ...(sourceArn === undefined ? ["firehose:PutRecordBatch"] : []),
          "firehose:DescribeDeliveryStream",
        ],
        Resource: arns,
      })),
      ...(sourceArn === undefined
        ? []
        : [
            pulumi.output(sourceArn).apply((arn): PolicyStatement => ({
              Sid: "ReplayIntoSource",
              Effect: "Allow",
              Action: "kinesis:PutRecords",
              Resource: arn,
            })),
            pulumi.output(this.key.arn).apply((keyArn): PolicyStatement => ({
              Sid: "EncryptReplayedRecords",
              Effect: "Allow",
              Action: "kms:GenerateDataKey",
              Resource: keyArn,
              Condition: { StringEquals: { "kms:ViaService": `kinesis.${region}.amazonaws.com` } },
            })),
          ]),
    ];
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
      this.keyThroughS3("EncryptLakeObjects", ["kms:Decrypt", "kms:GenerateDataKey"], region),
    ];
  }

  /** Use of the lake's key only through S3 and only for this bucket's objects (how S3 encrypts them). */
  keyThroughS3(sid: string, actions: string | string[], region: string): pulumi.Output<PolicyStatement> {
    return pulumi.all([this.key.arn, this.bucket.arn]).apply(([keyArn, bucketArn]) => ({
      Sid: sid,
      Effect: "Allow" as const,
      Action: actions,
      Resource: keyArn,
      Condition: {
        StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, `${bucketArn}/*`] },
      },
    }));
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
      // Raw records: an expired object's version goes a day later, not after noncurrentVersionDays (S3 honours
      // the shorter of overlapping expirations).
      id: "expire-errors",
      status: "Enabled",
      filter: { prefix: ERROR_ROOT },
      expiration: { days: lake.errorRetentionDays },
      noncurrentVersionExpiration: { noncurrentDays: 1 },
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
  const projection = projectionParameters(layout.partitionColumns);
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
      // The PII decision rides on the column, for the `transform-pii-fields` policy to check PII_FIELDS against.
      columns: table.columns.map((c) => ({
        name: c.name,
        type: c.type,
        comment: c.comment,
        ...(c.pii === undefined ? {} : { parameters: { [PII_COLUMN_PARAMETER]: String(c.pii) } }),
      })),
    },
  };
}
