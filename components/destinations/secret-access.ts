// What a delivery role needs to read the credentials of its destination from Secrets Manager at delivery time
// (Firehose developer guide, "Grant access to Firehose to retrieve the secret"): the one secret, and the CMK
// that encrypts it, usable only through Secrets Manager and only for that secret.
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement } from "../iam";

export interface SecretAccessArgs {
  /** Prefix of the statements' Sids, e.g. `WarehouseSecret`. */
  readonly sid: string;
  readonly secretArn: pulumi.Input<string>;
  /** The CMK the secret is encrypted with; omit for a secret under the AWS managed `aws/secretsmanager` key. */
  readonly keyArn?: pulumi.Input<string>;
  readonly region: string;
}

export function secretReadStatements(args: SecretAccessArgs): pulumi.Output<PolicyStatement>[] {
  const read = pulumi.output(args.secretArn).apply((secretArn): PolicyStatement => ({
    Sid: `Read${args.sid}`,
    Effect: "Allow",
    Action: "secretsmanager:GetSecretValue",
    Resource: secretArn,
  }));
  if (args.keyArn === undefined) return [read];
  const decrypt = pulumi.all([args.keyArn, args.secretArn]).apply(([keyArn, secretArn]): PolicyStatement => ({
    Sid: `Decrypt${args.sid}`,
    Effect: "Allow",
    Action: "kms:Decrypt",
    Resource: keyArn,
    Condition: {
      StringEquals: {
        "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com`,
        // Secrets Manager passes the secret's ARN as encryption context on every decrypt.
        "kms:EncryptionContext:SecretARN": secretArn,
      },
    },
  }));
  return [read, decrypt];
}
