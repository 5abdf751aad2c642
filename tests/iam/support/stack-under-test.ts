// A committed stack evaluated under the mocks, with its IAM collected and the ARNs its tables are written against.
// The ARNs come from the resources' own state (what AWS would return), never from the policies under test.
import * as pulumi from "@pulumi/pulumi";
import { StackSecrets } from "../../../config/pulumi-config";
import { PipelineSettings, StackSettings } from "../../../config/settings";
import { collectStackIam, StackIam, StackRole, roleNamed } from "../../../iam/stack-iam";
import { NO_SECRETS, StackResource, evaluateStack } from "../../../offline/evaluate-stack";
import { loadStackFile, stackFilePath } from "../../../config/stack-file";
import { MOCK_ACCOUNT } from "../../../offline/mock-cloud";
import { TYPES, ofType, only, settingsOf } from "../../support/stacks";

/** A committed stack, or dev with an HTTP endpoint pipeline added (no committed stack delivers to one). */
export type StackName = "dev" | "prod" | "iceberg" | "dev+http";

export const STACKS: readonly StackName[] = ["dev", "prod", "iceberg", "dev+http"];

const HTTP_PIPELINE = {
  name: "partner",
  destination: {
    type: "http",
    url: "https://ingest.partner.example.com/v1/events",
    buffer: { sizeMiB: 5, intervalSeconds: 60 },
  },
};

/** The settings a stack under test is evaluated with. */
export function settingsFor(stack: StackName): StackSettings {
  if (stack === "iceberg") return loadStackFile(stackFilePath(stack));
  if (stack !== "dev+http") return settingsOf(stack);
  return settingsOf("dev", (raw) => {
    raw.pipelines = [...(raw.pipelines as unknown[]), HTTP_PIPELINE];
  });
}

/** The HTTP endpoint's access key, as `pulumi config set --secret httpEndpointAccessKey` would give it. */
function secretsFor(stack: StackName): StackSecrets {
  if (stack !== "dev+http") return NO_SECRETS;
  return { byKey: new Map([["httpEndpointAccessKey", pulumi.secret("test-access-key")]]) };
}

/** What every table of a stack refers to. */
export interface StackFacts {
  readonly stack: StackName;
  readonly account: string;
  readonly region: string;
  readonly bucketArn: string;
  readonly keyArn: string;
  readonly functionArn: string;
  readonly transformRole: StackRole;
  /** The break-glass role that alone reads raw records (error outputs, failed-record backups). */
  readonly rawRecordReader: StackRole;
  readonly transformLogGroupArn: string;
  readonly maskingSecretArn: string;
  /** The Kinesis source stream; absent for Direct PUT. */
  readonly sourceStreamArn?: string;
  /** The Glue catalog, database and table a Parquet-converting stream reads; absent without a table. */
  readonly glue?: { readonly catalogArn: string; readonly databaseArn: string; readonly tableArn: string };
  /** The replay state machine (`replay.stateMachine`): its role, its worker function and the worker's role. */
  readonly replay?: {
    readonly stateMachineArn: string;
    readonly stateMachineRole: StackRole;
    readonly functionArn: string;
    readonly workerRole: StackRole;
    readonly workerLogGroupArn: string;
  };
}

/** What a delivery role's table refers to, besides the stack's facts: read from the stream's configuration. */
export interface PipelineFacts {
  readonly pipeline: PipelineSettings;
  readonly role: StackRole;
  readonly streamArn: string;
  readonly logGroupArn: string;
  /** The lake prefix of the stream's S3 configuration (data, Redshift staging, or backup). */
  readonly lakePrefix: string;
  /** The secret Firehose reads the destination's credentials from (Redshift, HTTP endpoint). */
  readonly secretArn?: string;
  /** The OpenSearch domain and index the stream writes to. */
  readonly domain?: { readonly arn: string; readonly indexName: string };
  /** The Iceberg tables the stream commits to, and the role their Glue optimizers run as. */
  readonly iceberg?: {
    readonly catalogArn: string;
    readonly databaseArn: string;
    readonly tables: readonly { readonly name: string; readonly arn: string; readonly root: string }[];
    readonly optimizerRole: StackRole;
  };
  /** Where Firehose places its ENIs, for a destination in the VPC. */
  readonly vpc?: {
    readonly vpcArn: string;
    readonly subnetArns: string[];
    readonly securityGroupArns: string[];
  };
}

export interface StackUnderTest {
  readonly settings: StackSettings;
  readonly resources: StackResource[];
  readonly iam: StackIam;
  readonly facts: StackFacts;
  readonly pipelines: PipelineFacts[];
}

// Evaluations install the mocks per call, so they run one after another, each stack once per process.
const evaluations = new Map<StackName, Promise<StackUnderTest>>();
let previous: Promise<unknown> = Promise.resolve();

export function stackUnderTest(stack: StackName): Promise<StackUnderTest> {
  let evaluation = evaluations.get(stack);
  if (!evaluation) {
    evaluation = previous.then(() => evaluate(stack));
    previous = evaluation.catch(() => undefined);
    evaluations.set(stack, evaluation);
  }
  return evaluation;
}

async function evaluate(stack: StackName): Promise<StackUnderTest> {
  const settings = settingsFor(stack);
  const { resources } = await evaluateStack(settings, secretsFor(stack));
  const iam = collectStackIam(resources, MOCK_ACCOUNT);
  const arnOf = (type: string, name?: string): string => only(resources, type, name).state.arn;
  const source = ofType(resources, TYPES.kinesis)[0];
  // The lake's own (Hive-style) table; Iceberg tables belong to their pipelines.
  const table = ofType(resources, TYPES.glueTable).find((t) => !t.inputs.openTableFormatInput);
  const databaseArn = arnOf(TYPES.glueDatabase);
  const facts: StackFacts = {
    stack,
    account: MOCK_ACCOUNT,
    region: settings.region,
    bucketArn: arnOf(TYPES.bucket),
    keyArn: arnOf(TYPES.key),
    functionArn: arnOf(TYPES.function, "transform-function"),
    transformRole: roleNamed(iam, "transform-role"),
    rawRecordReader: roleNamed(iam, "lake-error-reader"),
    transformLogGroupArn: arnOf(TYPES.logGroup, "transform-logs"),
    maskingSecretArn: arnOf(TYPES.secret, "transform-pii-key"),
    sourceStreamArn: source?.state.arn,
    glue: table && {
      catalogArn: `arn:aws:glue:${settings.region}:${MOCK_ACCOUNT}:catalog`,
      databaseArn,
      tableArn: table.state.arn,
    },
    replay: settings.replay.stateMachine
      ? {
          stateMachineArn: arnOf(TYPES.stateMachine),
          stateMachineRole: roleNamed(iam, "replay-role"),
          functionArn: arnOf(TYPES.function, "replay-worker"),
          workerRole: roleNamed(iam, "lake-replay-worker"),
          workerLogGroupArn: arnOf(TYPES.logGroup, "replay-logs"),
        }
      : undefined,
  };
  const pipelines = settings.pipelines.map((pipeline): PipelineFacts => {
    const stream = only(resources, TYPES.stream, `${pipeline.name}-stream`);
    return {
      pipeline,
      role: roleNamed(iam, `${pipeline.name}-role`),
      streamArn: stream.state.arn,
      logGroupArn: arnOf(TYPES.logGroup, `${pipeline.name}-logs`),
      ...destinationFacts(stream, resources, facts),
      iceberg: stream.inputs.icebergConfiguration && {
        catalogArn: `arn:aws:glue:${settings.region}:${MOCK_ACCOUNT}:catalog`,
        databaseArn,
        tables: ofType(resources, TYPES.glueTable)
          .filter((t) => t.inputs.openTableFormatInput && t.parent?.endsWith(`::${pipeline.name}`))
          .map((t) => ({
            name: t.inputs.name,
            arn: t.state.arn,
            root: new URL(
              t.inputs.openTableFormatInput.icebergInput.icebergTableInput.location,
            ).pathname.slice(1),
          })),
        optimizerRole: roleNamed(iam, `${pipeline.name}-optimizer-role`),
      },
    };
  });
  return { settings, resources, iam, facts, pipelines };
}

type DestinationFacts = Pick<PipelineFacts, "lakePrefix" | "secretArn" | "domain" | "vpc">;

function destinationFacts(
  stream: StackResource,
  resources: StackResource[],
  facts: StackFacts,
): DestinationFacts {
  const { inputs } = stream;
  const config =
    inputs.extendedS3Configuration ??
    inputs.redshiftConfiguration ??
    inputs.opensearchConfiguration ??
    inputs.httpEndpointConfiguration ??
    inputs.icebergConfiguration;
  const lakePrefix: string = (inputs.extendedS3Configuration ?? config.s3Configuration).prefix;
  const secretArn: string | undefined = config.secretsManagerConfiguration?.secretArn;
  const search = inputs.opensearchConfiguration;
  const vpcConfig = search?.vpcConfig;
  const ec2 = (resource: string) => `arn:aws:ec2:${facts.region}:${facts.account}:${resource}`;
  const vpc = vpcConfig && {
    vpcArn: ec2(`vpc/${only(resources, "awsx:ec2:Vpc").state.vpcId}`),
    subnetArns: vpcConfig.subnetIds.map((id: string) => ec2(`subnet/${id}`)),
    securityGroupArns: vpcConfig.securityGroupIds.map((id: string) => ec2(`security-group/${id}`)),
  };
  return {
    lakePrefix: lakePrefix.replace(/!\{.*$/, ""),
    secretArn,
    domain: search && { arn: search.domainArn, indexName: search.indexName },
    vpc,
  };
}
