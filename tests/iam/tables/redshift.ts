// Redshift delivery roles: the lake's staging prefix (Firehose stages objects there and Redshift's COPY reads them
// with the role's credentials) and the warehouse credentials from Secrets Manager (Firehose developer guide:
// "Grant Firehose access to an Amazon Redshift destination" and "... to retrieve the secret").
import { AccessTable } from "../../../iam/access-table";
import { PipelineFacts, StackFacts } from "../support/stack-under-test";
import { deliveryRoleMustDeny, readSource, transformAndLogs, viaService, writeLake } from "./common";

export function redshiftDeliveryTable(
  facts: StackFacts,
  pipeline: PipelineFacts,
  all: readonly PipelineFacts[],
): AccessTable {
  return {
    role: pipeline.role,
    mustAllow: [
      ...writeLake(facts, pipeline.lakePrefix),
      ...transformAndLogs(facts, pipeline),
      ...readSource(facts),
      ...readCredentials(facts, pipeline, "the warehouse's credentials"),
    ],
    mustDeny: [
      ...deliveryRoleMustDeny(facts, pipeline, all),
      ...changeCredentials(facts, pipeline),
      {
        action: "redshift-serverless:GetCredentials",
        resource: `arn:aws:redshift-serverless:${facts.region}:${facts.account}:workgroup/11111111-2222-3333-4444-555555555555`,
        because: "Firehose signs in with the secret, not with IAM database credentials",
      },
      {
        action: "redshift-data:ExecuteStatement",
        resource: `arn:aws:redshift-serverless:${facts.region}:${facts.account}:workgroup/11111111-2222-3333-4444-555555555555`,
        because: "Firehose runs COPY over JDBC, never through the Data API",
      },
    ],
  };
}

/** Reading the destination's secret, decrypted through Secrets Manager for that secret only. */
export function readCredentials(facts: StackFacts, pipeline: PipelineFacts, what: string) {
  const secretArn = requireSecret(pipeline);
  return [
    { action: "secretsmanager:GetSecretValue", resource: secretArn, because: `Firehose reads ${what}` },
    {
      action: "kms:Decrypt",
      resource: facts.keyArn,
      context: { ...viaService(facts, "secretsmanager"), "kms:EncryptionContext:SecretARN": secretArn },
      because: `Secrets Manager decrypts ${what} with the lake's key`,
    },
  ];
}

/** The secret is read, never written, and its key decrypts no other secret for this role. */
export function changeCredentials(facts: StackFacts, pipeline: PipelineFacts) {
  const secretArn = requireSecret(pipeline);
  return [
    ...["secretsmanager:PutSecretValue", "secretsmanager:UpdateSecret", "secretsmanager:DeleteSecret"].map(
      (action) => ({ action, resource: secretArn, because: "the credentials are read, never changed" }),
    ),
    {
      action: "kms:Decrypt",
      resource: facts.keyArn,
      context: {
        ...viaService(facts, "secretsmanager"),
        "kms:EncryptionContext:SecretARN": facts.maskingSecretArn,
      },
      because: "the key decrypts only this pipeline's secret for its role",
    },
  ];
}

function requireSecret(pipeline: PipelineFacts): string {
  if (!pipeline.secretArn) throw new Error(`pipeline ${pipeline.pipeline.name} reads no secret`);
  return pipeline.secretArn;
}
