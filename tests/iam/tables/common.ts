// What every delivery role needs whatever its destination (the Firehose developer guide's access-control page:
// the lake for backups and errors, the transform, its error logs, the source stream), and what none may do.
import { AccessExpectation } from "../../../iam/access-table";
import { ContextValues } from "../../../iam/simulate";
import { PipelineFacts, StackFacts } from "../support/stack-under-test";

/** Someone else's resources in the same account: only the role's own policy can let it reach them. */
export function elsewhere(facts: StackFacts) {
  const { account, region } = facts;
  return {
    bucketArn: "arn:aws:s3:::another-teams-bucket",
    keyArn: `arn:aws:kms:${region}:${account}:key/00000000-1111-2222-3333-444444444444`,
    functionArn: `arn:aws:lambda:${region}:${account}:function:another-function`,
    secretArn: `arn:aws:secretsmanager:${region}:${account}:secret:another-secret-AbCdEf`,
    streamArn: `arn:aws:kinesis:${region}:${account}:stream/another-stream`,
    roleArn: `arn:aws:iam::${account}:role/admin`,
  };
}

/** A call S3 makes to KMS for an object of `bucketArn` (with S3 Bucket Keys, the context is the bucket ARN). */
export function viaS3(facts: StackFacts, bucketArn: string): ContextValues {
  return {
    "kms:ViaService": `s3.${facts.region}.amazonaws.com`,
    "kms:EncryptionContext:aws:s3:arn": bucketArn,
  };
}

export function viaService(facts: StackFacts, service: string): ContextValues {
  return { "kms:ViaService": `${service}.${facts.region}.amazonaws.com` };
}

/** Prefixes that hold records as they arrived (error outputs, failed-record backups): the break-glass role's. */
export const RAW_RECORD_PREFIXES = ["errors/", "backup/"];

export function isRawRecordPrefix(prefix: string): boolean {
  return RAW_RECORD_PREFIXES.some((raw) => prefix.startsWith(raw));
}

/** An object Firehose would write under `prefix`. */
export function lakeObject(facts: StackFacts, prefix: string): string {
  return `${facts.bucketArn}/${prefix}2026/01/01/00/stream-1-2026-01-01-00-00-00-uuid.gz`;
}

/**
 * Writing the lake: Firehose's S3 delivery (or backup) and the SSE-KMS calls S3 makes for it. Under a raw-record
 * prefix the role writes but cannot read back (the bucket policy keeps reads for the break-glass role).
 */
export function writeLake(facts: StackFacts, prefix: string): AccessExpectation[] {
  const object = lakeObject(facts, prefix);
  const because = `Firehose delivers to s3://…/${prefix}`;
  const objectActions = isRawRecordPrefix(prefix)
    ? ["s3:PutObject", "s3:AbortMultipartUpload"]
    : ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"];
  return [
    ...objectActions.map((action) => ({
      action,
      resource: object,
      because,
    })),
    ...["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"].map((action) => ({
      action,
      resource: facts.bucketArn,
      because,
    })),
    ...["kms:GenerateDataKey", "kms:Decrypt"].map((action) => ({
      action,
      resource: facts.keyArn,
      context: viaS3(facts, facts.bucketArn),
      because: "S3 encrypts the delivered objects with the lake's key (SSE-KMS, Bucket Key)",
    })),
  ];
}

/** Invoking the transform and writing the stream's error logs. */
export function transformAndLogs(facts: StackFacts, pipeline: PipelineFacts): AccessExpectation[] {
  return [
    ...["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"].map((action) => ({
      action,
      resource: facts.functionArn,
      because: "Firehose runs the transform on every batch",
    })),
    ...["DestinationDelivery", "BackupDelivery"].map((stream) => ({
      action: "logs:PutLogEvents",
      resource: `${pipeline.logGroupArn}:log-stream:${stream}`,
      because: "Firehose logs delivery errors to the stream's own log group",
    })),
  ];
}

/** Reading the Kinesis source stream, when the stack has one, and decrypting its records. */
export function readSource(facts: StackFacts): AccessExpectation[] {
  const stream = facts.sourceStreamArn;
  if (!stream) return [];
  return [
    ...["kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"].map(
      (action) => ({ action, resource: stream, because: "Firehose reads the Kinesis source stream" }),
    ),
    {
      action: "kms:Decrypt",
      resource: facts.keyArn,
      context: { ...viaService(facts, "kinesis"), "kms:EncryptionContext:aws:kinesis:arn": stream },
      because: "the source stream's records are encrypted with the lake's key",
    },
  ];
}

/** The must-deny list, for every delivery role; `all` are the stack's pipelines, this one included. */
export function deliveryRoleMustDeny(
  facts: StackFacts,
  pipeline: PipelineFacts,
  all: readonly PipelineFacts[],
): AccessExpectation[] {
  const others = all.filter((p) => p.pipeline.name !== pipeline.pipeline.name);
  const other = elsewhere(facts);
  const dataObject = `${facts.bucketArn}/data/2026/01/01/00/object.gz`;
  return [
    { action: "s3:PutObject", resource: `${other.bucketArn}/x`, because: "another bucket" },
    { action: "s3:GetObject", resource: `${other.bucketArn}/x`, because: "another bucket" },
    { action: "s3:ListBucket", resource: other.bucketArn, because: "another bucket" },
    { action: "s3:DeleteObject", resource: dataObject, because: "Firehose never deletes delivered data" },
    {
      action: "s3:DeleteObjectVersion",
      resource: dataObject,
      because: "Firehose never deletes delivered data",
    },
    { action: "s3:PutBucketPolicy", resource: facts.bucketArn, because: "bucket administration" },
    ...readRawRecords(facts, "a delivery role writes raw records but never reads them back"),
    {
      action: "s3:PutObject",
      resource: dataObject,
      context: { "aws:SecureTransport": "false" },
      because: "the bucket policy refuses plain HTTP",
    },
    {
      action: "s3:GetObject",
      resource: dataObject,
      context: { "aws:SecureTransport": "false" },
      because: "the bucket policy refuses plain HTTP",
    },
    {
      action: "kms:GenerateDataKey",
      resource: other.keyArn,
      context: viaS3(facts, facts.bucketArn),
      because: "another KMS key",
    },
    {
      action: "kms:Decrypt",
      resource: facts.keyArn,
      because: "the lake's key only through S3 (or the service that owns the data), never directly",
    },
    {
      action: "kms:Decrypt",
      resource: facts.keyArn,
      context: viaS3(facts, other.bucketArn),
      because: "the lake's key only for the lake's objects",
    },
    ...keyAdministration(facts),
    { action: "iam:PassRole", resource: pipeline.role.arn, because: "a delivery role passes no role" },
    { action: "iam:PassRole", resource: other.roleArn, because: "a delivery role passes no role" },
    { action: "lambda:InvokeFunction", resource: other.functionArn, because: "another function" },
    { action: "lambda:UpdateFunctionCode", resource: facts.functionArn, because: "changing the transform" },
    {
      action: "secretsmanager:GetSecretValue",
      resource: facts.maskingSecretArn,
      because: "the transform's masking key is the transform's alone",
    },
    {
      action: "logs:PutLogEvents",
      resource: `${facts.transformLogGroupArn}:log-stream:x`,
      because: "another log group",
    },
    { action: "kinesis:GetRecords", resource: other.streamArn, because: "another stream" },
    {
      action: "glue:GetTable",
      resource: `arn:aws:glue:${facts.region}:${facts.account}:table/another_database/another_table`,
      because: "another Glue table",
    },
    ...(facts.sourceStreamArn
      ? [{ action: "kinesis:PutRecord", resource: facts.sourceStreamArn, because: "the source is read only" }]
      : []),
    ...others.flatMap((p) => othersResources(facts, p)),
  ];
}

/** Another pipeline's credentials, domain, logs and stream are that pipeline's alone. */
function othersResources(facts: StackFacts, other: PipelineFacts): AccessExpectation[] {
  const because = `pipeline '${other.pipeline.name}' is another stream's`;
  return [
    { action: "logs:PutLogEvents", resource: `${other.logGroupArn}:log-stream:DestinationDelivery`, because },
    { action: "firehose:PutRecordBatch", resource: other.streamArn, because },
    ...(other.secretArn
      ? [
          { action: "secretsmanager:GetSecretValue", resource: other.secretArn, because },
          {
            action: "kms:Decrypt",
            resource: facts.keyArn,
            context: {
              ...viaService(facts, "secretsmanager"),
              "kms:EncryptionContext:SecretARN": other.secretArn,
            },
            because,
          },
        ]
      : []),
    ...(other.domain
      ? [
          { action: "es:ESHttpPost", resource: `${other.domain.arn}/_bulk`, because },
          { action: "es:ESHttpGet", resource: `${other.domain.arn}/_cluster/stats`, because },
        ]
      : []),
  ];
}

/** Administering the lake's key: the account root's alone, through the key policy. */
export function keyAdministration(facts: StackFacts): AccessExpectation[] {
  return [
    "kms:ScheduleKeyDeletion",
    "kms:PutKeyPolicy",
    "kms:DisableKey",
    "kms:CreateGrant",
    "kms:RevokeGrant",
  ].map((action) => ({ action, resource: facts.keyArn, because: "kms:* administration of the lake's key" }));
}

/** Reading raw records back: every version of an error object and a failed-record backup. */
export function readRawRecords(facts: StackFacts, because: string): AccessExpectation[] {
  return RAW_RECORD_PREFIXES.flatMap((prefix) =>
    ["s3:GetObject", "s3:GetObjectVersion"].map((action) => ({
      action,
      resource: lakeObject(facts, `${prefix}events/processing-failed/`),
      because: `${because} (raw PII: the break-glass role's alone)`,
    })),
  );
}
