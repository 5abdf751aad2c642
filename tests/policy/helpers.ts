// Test helpers: resources as the engine takes them, and one policy (or the pack) run over them.
import { Policies } from "@pulumi/policy";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { evaluatePolicies, PolicyResource, Violation } from "../../policy/evaluate";
import { PackConfig } from "../../policy/lib/pack-config";

/** What Pulumi sends for a value that is not known until the deployment runs. */
export const UNKNOWN = unknownValue;

export const TYPES = {
  stream: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
  bucket: "aws:s3/bucket:Bucket",
  bucketEncryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  kinesisStream: "aws:kinesis/stream:Stream",
  domain: "aws:opensearch/domain:Domain",
  cluster: "aws:redshift/cluster:Cluster",
  namespace: "aws:redshiftserverless/namespace:Namespace",
  workgroup: "aws:redshiftserverless/workgroup:Workgroup",
  topic: "aws:sns/topic:Topic",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  secret: "aws:secretsmanager/secret:Secret",
  athenaWorkgroup: "aws:athena/workgroup:Workgroup",
  kmsKey: "aws:kms/key:Key",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
} as const;

export const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1111aaaa-2222-bbbb-3333-cccc4444dddd";

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::firehose-etl::${type}::${name}`;
}

export function resource(
  type: string,
  props: Record<string, unknown>,
  name = "subject",
  links: Pick<PolicyResource, "parent" | "dependencies" | "propertyDependencies"> = {},
): PolicyResource {
  return { type, name, urn: urnOf(type, name), props, ...links };
}

/** Runs `policies` over `resources` and returns the violations. */
export function evaluate(
  policies: Policies | Policies[number],
  resources: PolicyResource | PolicyResource[],
  config: PackConfig = {},
): Promise<Violation[]> {
  return evaluatePolicies(Array.isArray(resources) ? resources : [resources], {
    policies: Array.isArray(policies) ? policies : [policies],
    config,
  });
}

/** The messages of the violations at `level` (mandatory by default). */
export async function messagesOf(
  violations: Promise<Violation[]>,
  level: Violation["level"] = "mandatory",
): Promise<string[]> {
  return (await violations).filter((v) => v.level === level).map((v) => v.message);
}

type Patch = { readonly [key: string]: unknown };

/**
 * `base` with `patch` merged in: nested objects merge, arrays and values replace, `undefined` removes the key.
 * One patch per test keeps each test to one change from the happy path.
 */
export function patched<T extends Patch>(base: T, patch: Patch): T {
  const result: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(patch)) {
    const current = result[key];
    if (value === undefined) {
      delete result[key];
    } else if (isPlainObject(value) && isPlainObject(current)) {
      result[key] = patched(current, value);
    } else {
      result[key] = value;
    }
  }
  return result as T;
}

function isPlainObject(value: unknown): value is Patch {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
