// Builds stack settings for tests from the committed stack files, optionally edited, exactly as the program
// would parse them.
import { PolicyStatement } from "../../components/iam";
import { parseStackConfig } from "../../config/parse";
import { StackSettings } from "../../config/settings";
import { readStackFile, stackFilePath } from "../../config/stack-file";
import { StackResource } from "../../offline/evaluate-stack";

export type RawConfig = Record<string, unknown>;

/** The committed stack files. */
export type CommittedStack = "dev" | "prod" | "iceberg";

/** The raw config of a committed stack (without the namespace), deep-copied so tests may edit it. */
export function rawConfigOf(stack: CommittedStack): RawConfig {
  return structuredClone(readStackFile(stackFilePath(stack)).raw);
}

/** Settings of a committed stack, after `edit` changed its raw config. */
export function settingsOf(
  stack: CommittedStack,
  edit: (raw: RawConfig) => void = () => undefined,
): StackSettings {
  const raw = rawConfigOf(stack);
  edit(raw);
  return parseStackConfig(raw, {
    project: "firehose-etl",
    stack,
    region: "eu-west-1",
    source: `test ${stack}`,
  });
}

/** The problems a raw config is rejected with ([] when it is valid). */
export function problemsOf(raw: RawConfig, where: { region?: string } = { region: "eu-west-1" }): string[] {
  try {
    parseStackConfig(raw, { project: "firehose-etl", stack: "test", region: where.region, source: "test" });
    return [];
  } catch (err) {
    return (err as { problems?: string[] }).problems ?? [String(err)];
  }
}

/** The statements of an IAM policy document as the program wrote it. */
export function statementsOf(policy: string): PolicyStatement[] {
  return JSON.parse(policy).Statement;
}

export function ofType(resources: StackResource[], type: string): StackResource[] {
  return resources.filter((r) => r.type === type);
}

/** The single resource of `type` (named `name`, when given); fails if there is not exactly one. */
export function only(resources: StackResource[], type: string, name?: string): StackResource {
  const found = ofType(resources, type).filter((r) => name === undefined || r.name === name);
  if (found.length !== 1) {
    throw new Error(
      `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.map((r) => r.name).join(", ") || "none"}`,
    );
  }
  return found[0];
}

export const TYPES = {
  bucket: "aws:s3/bucket:Bucket",
  bucketEncryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  key: "aws:kms/key:Key",
  glueTable: "aws:glue/catalogTable:CatalogTable",
  glueDatabase: "aws:glue/catalogDatabase:CatalogDatabase",
  workgroup: "aws:athena/workgroup:Workgroup",
  stream: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
  kinesis: "aws:kinesis/stream:Stream",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  function: "aws:lambda/function:Function",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  secret: "aws:secretsmanager/secret:Secret",
  topic: "aws:sns/topic:Topic",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  stateMachine: "aws:sfn/stateMachine:StateMachine",
  provider: "pulumi:providers:aws",
} as const;
