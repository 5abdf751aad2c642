// The transform Lambda's execution role: its own logs, its masking key from Secrets Manager (decrypted through
// Secrets Manager only), and nothing of the data lake.
import { AccessTable } from "../../../iam/access-table";
import { PipelineFacts, StackFacts } from "../support/stack-under-test";
import { elsewhere, keyAdministration, readRawRecords, viaS3, viaService } from "./common";

export function transformRoleTable(facts: StackFacts, pipelines: readonly PipelineFacts[]): AccessTable {
  const other = elsewhere(facts);
  const logStream = `${facts.transformLogGroupArn}:log-stream:2026/01/01/[$LATEST]0123456789abcdef`;
  const lakeObject = `${facts.bucketArn}/data/2026/01/01/00/object.gz`;
  const secretsManager = {
    ...viaService(facts, "secretsmanager"),
    "kms:EncryptionContext:SecretARN": facts.maskingSecretArn,
  };
  return {
    role: facts.transformRole,
    mustAllow: [
      { action: "logs:CreateLogStream", resource: logStream, because: "Lambda writes the function's logs" },
      { action: "logs:PutLogEvents", resource: logStream, because: "Lambda writes the function's logs" },
      {
        action: "secretsmanager:GetSecretValue",
        resource: facts.maskingSecretArn,
        because: "the function reads its PII masking key",
      },
      {
        action: "kms:Decrypt",
        resource: facts.keyArn,
        context: secretsManager,
        because: "Secrets Manager decrypts the masking key with the lake's key",
      },
    ],
    mustDeny: [
      { action: "s3:GetObject", resource: lakeObject, because: "the Lambda role never reads the data lake" },
      ...readRawRecords(facts, "the Lambda role never reads the records it failed"),
      {
        action: "s3:ListBucket",
        resource: facts.bucketArn,
        because: "the Lambda role never reads the data lake",
      },
      { action: "s3:PutObject", resource: lakeObject, because: "the Lambda role never writes the data lake" },
      {
        action: "kms:Decrypt",
        resource: facts.keyArn,
        context: viaS3(facts, facts.bucketArn),
        because: "the Lambda role never decrypts the data lake",
      },
      {
        action: "kms:Decrypt",
        resource: facts.keyArn,
        because: "the lake's key only through Secrets Manager, never directly",
      },
      {
        action: "kms:GenerateDataKey",
        resource: facts.keyArn,
        context: secretsManager,
        because: "the masking key is read, never written",
      },
      {
        action: "kms:Decrypt",
        resource: facts.keyArn,
        context: { ...secretsManager, "kms:EncryptionContext:SecretARN": other.secretArn },
        because: "the lake's key decrypts the masking key only, not another secret under the same key",
      },
      {
        action: "secretsmanager:PutSecretValue",
        resource: facts.maskingSecretArn,
        because: "the masking key is read, never written",
      },
      { action: "secretsmanager:GetSecretValue", resource: other.secretArn, because: "another secret" },
      {
        action: "logs:CreateLogGroup",
        resource: facts.transformLogGroupArn,
        because: "the stack owns the group",
      },
      ...pipelines.map((p) => ({
        action: "logs:PutLogEvents",
        resource: `${p.logGroupArn}:log-stream:DestinationDelivery`,
        because: "another log group",
      })),
      ...pipelines.map((p) => ({
        action: "firehose:PutRecordBatch",
        resource: p.streamArn,
        because: "the transform returns records, it never re-ingests them",
      })),
      ...pipelines.flatMap((p) =>
        p.domain
          ? [
              {
                action: "es:ESHttpPost",
                resource: `${p.domain.arn}/_bulk`,
                because: "the domain admits its stream only",
              },
            ]
          : [],
      ),
      ...pipelines.flatMap((p) =>
        p.secretArn
          ? [
              {
                action: "secretsmanager:GetSecretValue",
                resource: p.secretArn,
                because: "a destination's credentials",
              },
            ]
          : [],
      ),
      { action: "lambda:InvokeFunction", resource: other.functionArn, because: "another function" },
      {
        action: "iam:PassRole",
        resource: facts.transformRole.arn,
        because: "the Lambda role passes no role",
      },
      ...keyAdministration(facts),
    ],
  };
}
