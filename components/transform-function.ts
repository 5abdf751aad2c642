// The transform Lambda that every delivery stream invokes: bundled from lambda/ at program time, with a role
// that can write its own logs and read its masking key, and nothing else.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { transformFunctionNameOf } from "../config/naming";
import { transformEnvironment } from "../config/transform-environment";
import { PartitioningSettings, TransformSettings } from "../config/settings";
import { bundleTransform } from "../lambda/bundle";
import { policyDocument, serviceTrustPolicy } from "./iam";
import { StackIdentity } from "./stack-identity";

export interface TransformFunctionArgs {
  /** The function is named `<namePrefix>-transform`. */
  readonly namePrefix: string;
  readonly settings: TransformSettings;
  /** The S3 pipeline's partitioning: the function returns the keys of a `lambda` extractor. */
  readonly partitioning?: PartitioningSettings;
  readonly keyArn: pulumi.Input<string>;
  /** The masking key from `pulumi config set --secret piiHashKey`; generated once when absent. */
  readonly piiHashKey?: pulumi.Input<string>;
  readonly identity: StackIdentity;
  /** Days a deleted masking-key secret can be restored (0 deletes at once, for destroyable dev stacks). */
  readonly secretRecoveryDays: number;
}

export class TransformFunction extends pulumi.ComponentResource {
  public readonly function: aws.lambda.Function;
  public readonly role: aws.iam.Role;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly hashKeySecret: aws.secretsmanager.Secret;

  /** The function's name, fixed so that the key policy can name its log group before it exists. */
  static functionName(namePrefix: string): string {
    return transformFunctionNameOf(namePrefix);
  }

  constructor(name: string, args: TransformFunctionArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("firehose-etl:transform:TransformFunction", name, {}, opts);
    const child = { parent: this };
    const functionName = TransformFunction.functionName(args.namePrefix);
    const { settings } = args;

    this.hashKeySecret = new aws.secretsmanager.Secret(
      `${name}-pii-key`,
      {
        description: `Key (or salt) for the ${functionName} PII pseudonyms`,
        kmsKeyId: args.keyArn,
        recoveryWindowInDays: args.secretRecoveryDays,
      },
      child,
    );
    const hashKey =
      args.piiHashKey ??
      new random.RandomPassword(`${name}-pii-key-value`, { length: 64, special: false }, child).result;
    new aws.secretsmanager.SecretVersion(
      `${name}-pii-key-version`,
      { secretId: this.hashKeySecret.id, secretString: pulumi.secret(hashKey) },
      child,
    );

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: `/aws/lambda/${functionName}`,
        retentionInDays: settings.logRetentionDays,
        kmsKeyId: args.keyArn,
      },
      child,
    );

    this.role = new aws.iam.Role(
      `${name}-role`,
      { assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com"), description: `Runs ${functionName}` },
      child,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: this.role.id,
        policy: policyDocument([
          pulumi.output(this.logGroup.arn).apply((arn) => ({
            Sid: "WriteOwnLogs",
            Effect: "Allow" as const,
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${arn}:*`,
          })),
          pulumi.output(this.hashKeySecret.arn).apply((arn) => ({
            Sid: "ReadMaskingKey",
            Effect: "Allow" as const,
            Action: "secretsmanager:GetSecretValue",
            Resource: arn,
          })),
          pulumi.all([args.keyArn, this.hashKeySecret.arn]).apply(([arn, secretArn]) => ({
            Sid: "DecryptMaskingKey",
            Effect: "Allow" as const,
            Action: "kms:Decrypt",
            Resource: arn,
            Condition: {
              StringEquals: {
                "kms:ViaService": `secretsmanager.${args.identity.region}.amazonaws.com`,
                // Secrets Manager passes the secret's ARN as encryption context: this secret only.
                "kms:EncryptionContext:SecretARN": secretArn,
              },
            },
          })),
        ]),
      },
      child,
    );

    const bundle = bundleTransform();
    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        name: functionName,
        description:
          "Firehose transform: PII masking, normalisation, partition keys, per-record error routing",
        runtime: settings.runtime,
        architectures: ["arm64"],
        handler: "index.handler",
        code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(bundle.code) }),
        role: this.role.arn,
        memorySize: settings.memoryMiB,
        timeout: settings.timeoutSeconds,
        reservedConcurrentExecutions: settings.reservedConcurrency,
        loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
        environment: {
          variables: {
            ...transformEnvironment(settings, args.partitioning),
            PII_HASH_KEY_SECRET_ARN: this.hashKeySecret.arn,
          },
        },
      },
      { parent: this, dependsOn: [rolePolicy, this.logGroup] },
    );

    this.registerOutputs({ functionArn: this.function.arn, functionName: this.function.name });
  }
}
