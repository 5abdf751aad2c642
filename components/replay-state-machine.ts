// The replay backlog engine (`replay.stateMachine`): a Step Functions state machine whose Distributed Map replays
// every error object under a prefix, one invocation of the worker Lambda per object, at most `maxConcurrency`
// at once. The worker runs as the lake's replay-worker role (raw-record reads, replay rights: DataLake); this
// component gives it its function and logs, and gives the state machine a role that may list the raw-record
// prefixes, invoke the worker, run its own child executions and write the run's results under replay/.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { replayFunctionNameOf } from "../config/naming";
import { StackSettings } from "../config/settings";
import { bundleLambda, REPLAY_WORKER_ENTRY_POINT } from "../lambda/bundle";
import { REPLAY_RESULTS_ROOT, replayStateMachineDefinition } from "../replay/state-machine-definition";
import { WORKER_BUCKET_VARIABLE, WORKER_SETTINGS_FILE } from "../replay/worker";
import { DataLake } from "./data-lake";
import { PolicyStatement, policyDocument, serviceTrustPolicy } from "./iam";
import { StackIdentity } from "./stack-identity";

export interface ReplayStateMachineArgs {
  readonly namePrefix: string;
  readonly settings: StackSettings;
  readonly lake: DataLake;
  readonly identity: StackIdentity;
}

/** Lambda's longest run: a worker stops 30 s before it and the Map's retry resumes the object. */
const WORKER_TIMEOUT_SECONDS = 900;
const WORKER_MEMORY_MIB = 1024;

export class ReplayStateMachine extends pulumi.ComponentResource {
  public readonly function: aws.lambda.Function;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly role: aws.iam.Role;
  public readonly stateMachine: aws.sfn.StateMachine;

  /** The function's and the state machine's name, fixed so that the key policy and the role can name them. */
  static functionName(namePrefix: string): string {
    return replayFunctionNameOf(namePrefix);
  }

  constructor(name: string, args: ReplayStateMachineArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("firehose-etl:replay:ReplayStateMachine", name, {}, opts);
    const child = { parent: this };
    const { lake, settings } = args;
    const worker = lake.replayWorker;
    if (!worker) throw new Error("the lake has no replay worker role: build it with replayWorker: true");
    const { accountId, partition, region } = args.identity;
    const functionName = ReplayStateMachine.functionName(args.namePrefix);

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: `/aws/lambda/${functionName}`,
        retentionInDays: settings.transform.logRetentionDays,
        kmsKeyId: lake.key.arn,
      },
      child,
    );
    const logs = new aws.iam.RolePolicy(
      `${name}-worker-logs`,
      {
        role: worker.id,
        policy: policyDocument([
          pulumi.output(this.logGroup.arn).apply((arn): PolicyStatement => ({
            Sid: "WriteOwnLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${arn}:*`,
          })),
        ]),
      },
      child,
    );
    const bundle = bundleLambda(REPLAY_WORKER_ENTRY_POINT);
    this.function = new aws.lambda.Function(
      `${name}-worker`,
      {
        name: functionName,
        description: "Replays the failed records of one error object (the replay state machine's worker)",
        runtime: settings.transform.runtime,
        architectures: ["arm64"],
        handler: "index.handler",
        code: new pulumi.asset.AssetArchive({
          "index.js": new pulumi.asset.StringAsset(bundle.code),
          [WORKER_SETTINGS_FILE]: new pulumi.asset.StringAsset(JSON.stringify(settings)),
        }),
        role: worker.arn,
        memorySize: WORKER_MEMORY_MIB,
        timeout: WORKER_TIMEOUT_SECONDS,
        loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
        environment: { variables: { [WORKER_BUCKET_VARIABLE]: lake.bucket.bucket } },
      },
      { parent: this, dependsOn: [logs, this.logGroup] },
    );

    const stateMachineArn = pulumi.interpolate`arn:${partition}:states:${region}:${accountId}:stateMachine:${functionName}`;
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Runs the ${functionName} state machine`,
        assumeRolePolicy: serviceTrustPolicy(
          "states.amazonaws.com",
          pulumi.all([accountId, stateMachineArn]).apply(([account, arn]) => ({
            StringEquals: { "aws:SourceAccount": account },
            ArnLike: { "aws:SourceArn": arn },
          })),
        ),
      },
      child,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        role: this.role.id,
        policy: policyDocument([
          pulumi.output(lake.bucket.arn).apply((arn): PolicyStatement => ({
            Sid: "ListErrorObjects",
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: arn,
            Condition: { StringLike: { "s3:prefix": lake.rawPrefixes.map((prefix) => `${prefix}*`) } },
          })),
          pulumi.output(this.function.arn).apply((arn): PolicyStatement => ({
            Sid: "InvokeWorker",
            Effect: "Allow",
            Action: "lambda:InvokeFunction",
            Resource: [arn, `${arn}:*`],
          })),
          // A Distributed Map runs each item as a child execution of the state machine itself.
          pulumi
            .all([stateMachineArn, partition, accountId])
            .apply(([arn, part, account]): PolicyStatement => ({
              Sid: "RunChildExecutions",
              Effect: "Allow",
              Action: ["states:StartExecution", "states:DescribeExecution", "states:StopExecution"],
              Resource: [arn, `arn:${part}:states:${region}:${account}:execution:${functionName}/*`],
            })),
          pulumi.output(lake.bucket.arn).apply((arn): PolicyStatement => ({
            Sid: "WriteRunResults",
            Effect: "Allow",
            Action: [
              "s3:PutObject",
              "s3:GetObject",
              "s3:ListMultipartUploadParts",
              "s3:AbortMultipartUpload",
            ],
            Resource: `${arn}/${REPLAY_RESULTS_ROOT}*`,
          })),
          lake.keyThroughS3("EncryptRunResults", ["kms:Decrypt", "kms:GenerateDataKey"], region),
        ]),
      },
      child,
    );

    this.stateMachine = new aws.sfn.StateMachine(
      `${name}-state-machine`,
      {
        name: functionName,
        type: "STANDARD",
        roleArn: this.role.arn,
        definition: pulumi.all([lake.bucket.bucket, this.function.arn]).apply(([bucket, functionArn]) =>
          JSON.stringify(
            replayStateMachineDefinition({
              bucket,
              functionArn,
              maxConcurrency: settings.replay.maxConcurrency,
            }),
          ),
        ),
      },
      { parent: this, dependsOn: [rolePolicy] },
    );

    this.registerOutputs({
      stateMachineArn: this.stateMachine.arn,
      functionName: this.function.name,
    });
  }
}
