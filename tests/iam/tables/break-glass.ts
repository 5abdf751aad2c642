// The break-glass role and the people around it. Raw records (a failed record's original bytes, failed-record
// backups) hold unmasked PII by design: the role reads them, assumed from the account with MFA, and nobody else
// can, not even a principal whose own policy grants every read of the bucket.
import { AccessExpectation, AccessTable } from "../../../iam/access-table";
import { PolicyStatementDocument } from "../../../iam/policy-document";
import { StackIam, StackRole } from "../../../iam/stack-iam";
import { PipelineFacts, StackFacts } from "../support/stack-under-test";
import { lakeObject, readRawRecords, RAW_RECORD_PREFIXES, viaS3, viaService } from "./common";

const MFA = { "aws:MultiFactorAuthPresent": "true" };

/** People of the account, as roles whose own policies say what they may do. */
export interface People {
  /** The on-call engineer: may assume the break-glass role (their own policy says so). */
  readonly oncall: StackRole;
  /** An analyst with every read of the lake in their own policy (s3:Get*, s3:List*, the key through S3). */
  readonly analyst: StackRole;
}

export function peopleOf(facts: StackFacts): People {
  const role = (name: string, statements: PolicyStatementDocument[]): StackRole => ({
    resourceName: name,
    arn: `arn:aws:iam::${facts.account}:role/${name}`,
    trustPolicy: { Statement: [] },
    identityPolicies: [
      { name: `${name}-policy`, document: { Version: "2012-10-17", Statement: statements } },
    ],
  });
  return {
    oncall: role("oncall", [
      { Effect: "Allow", Action: "sts:AssumeRole", Resource: facts.rawRecordReader.arn },
    ]),
    analyst: role("analyst", [
      {
        Effect: "Allow",
        Action: ["s3:Get*", "s3:List*"],
        Resource: [facts.bucketArn, `${facts.bucketArn}/*`],
      },
      { Effect: "Allow", Action: "kms:Decrypt", Resource: facts.keyArn },
    ]),
  };
}

/** The stack's IAM with the people added, so that requests they make are decided by their own policies too. */
export function withPeople(iam: StackIam, people: People): StackIam {
  return { ...iam, roles: [...iam.roles, people.oncall, people.analyst] };
}

/** Reading and listing every raw-record prefix, decrypted through S3: the break-glass role's and the replay worker's. */
export function readRawRecordsAccess(facts: StackFacts): AccessExpectation[] {
  return [
    ...RAW_RECORD_PREFIXES.flatMap((prefix) => readRaw(facts, prefix)),
    {
      action: "kms:Decrypt",
      resource: facts.keyArn,
      context: viaS3(facts, facts.bucketArn),
      because: "S3 decrypts the raw records with the lake's key",
    },
  ];
}

function readRaw(facts: StackFacts, prefix: string): AccessExpectation[] {
  const object = lakeObject(facts, `${prefix}events/processing-failed/`);
  return [
    ...["s3:GetObject", "s3:GetObjectVersion"].map((action) => ({
      action,
      resource: object,
      because: `replaying failed records from ${prefix}`,
    })),
    {
      action: "s3:ListBucket",
      resource: facts.bucketArn,
      context: { "s3:prefix": `${prefix}events/` },
      because: `finding the failed records under ${prefix}`,
    },
  ];
}

/**
 * `npm run replay` as the break-glass role: its progress manifests under replay/, DescribeDeliveryStream on the
 * stack's streams, and PutRecordBatch into them (Direct PUT) or PutRecords into the Kinesis source.
 */
export function replayAccess(facts: StackFacts, pipelines: readonly PipelineFacts[]): AccessExpectation[] {
  const manifest = lakeObject(facts, "replay/events/errors/events/processing-failed/");
  return [
    ...["s3:GetObject", "s3:PutObject"].map((action) => ({
      action,
      resource: manifest,
      because: "a replay keeps its progress",
    })),
    {
      action: "s3:ListBucket",
      resource: facts.bucketArn,
      context: { "s3:prefix": "replay/events/" },
      because: "a replay reads what earlier replays sent",
    },
    {
      action: "kms:GenerateDataKey",
      resource: facts.keyArn,
      context: viaS3(facts, facts.bucketArn),
      because: "S3 encrypts the manifests with the lake's key",
    },
    ...pipelines.flatMap((p) =>
      [...(facts.sourceStreamArn ? [] : ["firehose:PutRecordBatch"]), "firehose:DescribeDeliveryStream"].map(
        (action) => ({ action, resource: p.streamArn, because: `replaying into ${p.pipeline.name}` }),
      ),
    ),
    ...(facts.sourceStreamArn
      ? [
          {
            action: "kinesis:PutRecords",
            resource: facts.sourceStreamArn,
            because: "replaying into the Kinesis source, each record in an envelope for its stream",
          },
          {
            action: "kms:GenerateDataKey",
            resource: facts.keyArn,
            context: viaService(facts, "kinesis"),
            because: "Kinesis encrypts the source's records with the lake's key",
          },
        ]
      : []),
  ];
}

export function breakGlassTable(
  facts: StackFacts,
  people: People,
  pipelines: readonly PipelineFacts[],
): AccessTable {
  const role = facts.rawRecordReader;
  const otherStream = `arn:aws:firehose:${facts.region}:${facts.account}:deliverystream/another`;
  const assume = { action: "sts:AssumeRole", resource: role.arn, principal: people.oncall.arn };
  const dataObject = lakeObject(facts, "data/");
  return {
    role,
    mustAllow: [
      ...readRawRecordsAccess(facts),
      { ...assume, context: MFA, because: "on-call assumes the role with MFA" },
      ...replayAccess(facts, pipelines),
    ],
    mustDeny: [
      { ...assume, because: "without MFA" },
      { ...assume, context: { "aws:MultiFactorAuthPresent": "false" }, because: "without MFA" },
      {
        ...assume,
        principal: "arn:aws:iam::999999999999:role/oncall",
        context: MFA,
        because: "from another account",
      },
      {
        action: "s3:GetObject",
        resource: dataObject,
        because: "the masked data is not the break-glass role's",
      },
      {
        action: "s3:ListBucket",
        resource: facts.bucketArn,
        context: { "s3:prefix": "data/" },
        because: "the masked data is not the break-glass role's",
      },
      ...["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"].map((action) => ({
        action,
        resource: lakeObject(facts, "errors/events/processing-failed/"),
        because: "raw records are read, never changed",
      })),
      {
        action: "s3:GetObject",
        resource: lakeObject(facts, "errors/events/processing-failed/"),
        context: { "aws:SecureTransport": "false" },
        because: "the bucket policy refuses plain HTTP",
      },
      { action: "s3:PutBucketPolicy", resource: facts.bucketArn, because: "bucket administration" },
      { action: "kms:Decrypt", resource: facts.keyArn, because: "the lake's key only through S3" },
      { action: "firehose:PutRecordBatch", resource: otherStream, because: "another stack's stream" },
      ...pipelines.map((p) => ({
        action: "firehose:DeleteDeliveryStream",
        resource: p.streamArn,
        because: "a replay only sends",
      })),
      ...(facts.sourceStreamArn
        ? [
            {
              action: "kinesis:GetRecords",
              resource: facts.sourceStreamArn,
              because: "a replay only puts",
            },
            ...pipelines.map((p) => ({
              action: "firehose:PutRecordBatch",
              resource: p.streamArn,
              because: "a Kinesis-sourced stream takes no Direct PUT",
            })),
          ]
        : []),
      {
        action: "s3:DeleteObject",
        resource: lakeObject(facts, "replay/events/"),
        because: "progress is kept, never deleted",
      },
      {
        action: "s3:PutObject",
        resource: lakeObject(facts, "data/"),
        because: "replayed records reach the lake through the stream",
      },
    ],
  };
}

/** The analyst reads the masked data but no raw record: the bucket policy's deny beats their own allow. */
export function analystTable(facts: StackFacts, people: People): AccessTable {
  return {
    role: people.analyst,
    mustAllow: [
      {
        action: "s3:GetObject",
        resource: lakeObject(facts, "data/"),
        because: "their own policy grants every read of the lake (so a deny below is the bucket policy's)",
      },
    ],
    mustDeny: readRawRecords(facts, "an analyst never reads raw records"),
  };
}
