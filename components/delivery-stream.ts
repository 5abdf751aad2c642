// One Firehose delivery stream: its role, its error logs, the transform processor, its source (Direct PUT with
// the stack's CMK, or the encrypted Kinesis source stream) and one destination bound through the Destination
// interface.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TransformSettings } from "../config/settings";
import { LAMBDA_PROCESSOR_DEFAULTS } from "../policy/rules/firehose-limits";
import { DataLake } from "./data-lake";
import { BoundDestination, Destination } from "./destinations/destination";
import { PolicyStatement, policyDocument, serviceTrustPolicy } from "./iam";
import { Network } from "./network";
import { SourceStream } from "./source-stream";
import { StackIdentity } from "./stack-identity";
import { TransformFunction } from "./transform-function";

export const DESTINATION_LOG_STREAM = "DestinationDelivery";
export const BACKUP_LOG_STREAM = "BackupDelivery";

export interface DeliveryStreamArgs {
  readonly streamName: string;
  readonly destination: Destination;
  readonly lake: DataLake;
  readonly transform: TransformFunction;
  readonly transformSettings: TransformSettings;
  /** The Kinesis source stream; absent for Direct PUT. */
  readonly source?: SourceStream;
  readonly network?: Network;
  readonly identity: StackIdentity;
  readonly logRetentionDays: number;
  readonly protect: boolean;
}

export class DeliveryStream extends pulumi.ComponentResource {
  public readonly stream: aws.kinesis.FirehoseDeliveryStream;
  public readonly role: aws.iam.Role;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly bound: BoundDestination;

  /** `/aws/kinesisfirehose/<stream>`: the log group Firehose's console and docs expect. */
  static logGroupName(streamName: string): string {
    return `/aws/kinesisfirehose/${streamName}`;
  }

  constructor(name: string, args: DeliveryStreamArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("firehose-etl:ingest:DeliveryStream", name, {}, opts);
    const child = { parent: this };
    const { identity, lake, streamName } = args;
    const keyArn = lake.key.arn;

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: DeliveryStream.logGroupName(streamName),
        retentionInDays: args.logRetentionDays,
        kmsKeyId: keyArn,
      },
      child,
    );
    for (const logStream of [DESTINATION_LOG_STREAM, BACKUP_LOG_STREAM]) {
      new aws.cloudwatch.LogStream(
        `${name}-${logStream}`,
        { name: logStream, logGroupName: this.logGroup.name },
        child,
      );
    }

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Delivery role of the ${streamName} Firehose stream`,
        assumeRolePolicy: serviceTrustPolicy(
          "firehose.amazonaws.com",
          identity.accountId.apply((account) => ({ StringEquals: { "sts:ExternalId": account } })),
        ),
      },
      child,
    );

    this.bound = args.destination.bind(this, {
      name,
      streamName,
      roleArn: this.role.arn,
      processing: lambdaProcessing(args.transform.function.arn, args.transformSettings),
      logging: {
        destination: {
          enabled: true,
          logGroupName: this.logGroup.name,
          logStreamName: DESTINATION_LOG_STREAM,
        },
        backup: { enabled: true, logGroupName: this.logGroup.name, logStreamName: BACKUP_LOG_STREAM },
      },
      lake,
      network: args.network,
      region: identity.region,
      accountId: identity.accountId,
      statefulOpts: { parent: this, protect: args.protect },
    });

    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: this.role.id,
        policy: policyDocument([
          ...this.bound.statements,
          ...this.commonStatements(args),
          ...(args.source?.readStatements(keyArn, identity.region) ?? []),
        ]),
      },
      child,
    );

    this.stream = new aws.kinesis.FirehoseDeliveryStream(
      `${name}-stream`,
      {
        name: streamName,
        destination: this.bound.destination,
        ...(args.source
          ? {
              kinesisSourceConfiguration: {
                kinesisStreamArn: args.source.stream.arn,
                roleArn: this.role.arn,
              },
            }
          : { serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn } }),
        ...this.bound.streamArgs,
      },
      { parent: this, dependsOn: [rolePolicy, ...lake.ready, ...this.bound.dependsOn] },
    );

    this.registerOutputs({
      streamName: this.stream.name,
      streamArn: this.stream.arn,
      roleArn: this.role.arn,
    });
  }

  /** Invoking the transform and writing the stream's own error logs. */
  private commonStatements(args: DeliveryStreamArgs): pulumi.Output<PolicyStatement>[] {
    return [
      pulumi.output(args.transform.function.arn).apply((arn) => ({
        Sid: "InvokeTransform",
        Effect: "Allow" as const,
        Action: ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"],
        Resource: [arn, `${arn}:*`],
      })),
      pulumi.output(this.logGroup.arn).apply((arn) => ({
        Sid: "WriteDeliveryErrorLogs",
        Effect: "Allow" as const,
        Action: "logs:PutLogEvents",
        Resource: [DESTINATION_LOG_STREAM, BACKUP_LOG_STREAM].map((s) => `${arn}:log-stream:${s}`),
      })),
    ];
  }
}

function lambdaProcessing(
  functionArn: pulumi.Output<string>,
  settings: TransformSettings,
): aws.types.input.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationProcessingConfiguration {
  // Parameters equal to Firehose's defaults are left out: the provider drops them from state, which would diff forever.
  const wanted: Record<keyof typeof LAMBDA_PROCESSOR_DEFAULTS, number | undefined> = {
    BufferSizeInMBs: settings.processorBuffer?.sizeMiB,
    BufferIntervalInSeconds: settings.processorBuffer?.intervalSeconds,
    NumberOfRetries: settings.retries,
  };
  const parameters = Object.entries(wanted)
    .filter(
      ([key, value]) =>
        value !== undefined &&
        value !== LAMBDA_PROCESSOR_DEFAULTS[key as keyof typeof LAMBDA_PROCESSOR_DEFAULTS],
    )
    .map(([parameterName, value]) => ({ parameterName, parameterValue: String(value) }));
  return {
    enabled: true,
    processors: [
      {
        type: "Lambda",
        parameters: [{ parameterName: "LambdaArn", parameterValue: functionArn }, ...parameters],
      },
    ],
  };
}
