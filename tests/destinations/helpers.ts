// What the destination tests share: reading a stream's role policy, the children a DeliveryStream built, and
// Outputs awaited as promises.
import * as pulumi from "@pulumi/pulumi";
import { DeliveryStream } from "../../components/delivery-stream";
import { PolicyStatement } from "../../components/iam";
import { EvaluatedStack, StackResource } from "../../offline/evaluate-stack";
import { TYPES, only } from "../support/stacks";

export const REGION = "eu-west-1";
export const DELIVERY_STREAM_TYPE = "firehose-etl:ingest:DeliveryStream";

/** Resource types the non-S3 destinations create. */
export const DESTINATION_TYPES = {
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  namespace: "aws:redshiftserverless/namespace:Namespace",
  workgroup: "aws:redshiftserverless/workgroup:Workgroup",
  cluster: "aws:redshift/cluster:Cluster",
  subnetGroup: "aws:redshift/subnetGroup:SubnetGroup",
  statement: "aws:redshiftdata/statement:Statement",
  domain: "aws:opensearch/domain:Domain",
  domainPolicy: "aws:opensearch/domainPolicy:DomainPolicy",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  vpc: "awsx:ec2:Vpc",
} as const;

/** A recorded input the provider marks secret arrives wrapped; this is its value. */
export function unsecret(input: unknown): unknown {
  return typeof input === "object" && input !== null && "value" in input ? input.value : input;
}

export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** The statements of the role policy of `pipeline`'s delivery stream. */
export function roleStatements(stack: EvaluatedStack, pipeline: string): PolicyStatement[] {
  return JSON.parse(only(stack.resources, TYPES.rolePolicy, `${pipeline}-role-policy`).inputs.policy)
    .Statement;
}

export function bySid(statements: PolicyStatement[], sid: string): PolicyStatement {
  const found = statements.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${statements.map((s) => s.Sid).join(", ")}`);
  return found;
}

export function roleArnOf(stack: EvaluatedStack, pipeline: string): string {
  return only(stack.resources, TYPES.role, `${pipeline}-role`).state.arn;
}

/** The id of an EC2 resource from its ARN (the mock's recorded state holds the ARN, not the id). */
export function idOf(resource: StackResource): string {
  return (resource.state.arn as string).split("/")[1];
}

/** The DeliveryStream component of `pipeline`. */
export function deliveryStream(stack: EvaluatedStack, pipeline: string): DeliveryStream {
  const stream = stack.platform.streams.find((s) => (s as unknown as { __name: string }).__name === pipeline);
  if (!stream) throw new Error(`no delivery stream ${pipeline}`);
  return stream;
}

/** A child the DeliveryStream of `pipeline` created, as the SDK holds it (to read its resource options). */
export function childOf(stack: EvaluatedStack, pipeline: string, name: string): pulumi.Resource {
  // The SDK records each resource's children and name on internal fields that its typings leave out.
  const children = (deliveryStream(stack, pipeline) as unknown as { __childResources?: Set<pulumi.Resource> })
    .__childResources;
  const child = [...(children ?? [])].find((c) => (c as unknown as { __name: string }).__name === name);
  if (!child) throw new Error(`${pipeline} has no child ${name}`);
  return child;
}

/** Whether the resource was registered with `protect` (kept by the SDK on the resource object). */
export function isProtected(resource: pulumi.Resource): boolean {
  return (resource as unknown as { __protect?: boolean }).__protect === true;
}

/** URNs of the resources the destination makes the stream of `pipeline` wait for. */
export function streamDependencies(stack: EvaluatedStack, pipeline: string): Promise<string[]> {
  return Promise.all(deliveryStream(stack, pipeline).bound.dependsOn.map((r) => promiseOf(r.urn)));
}
