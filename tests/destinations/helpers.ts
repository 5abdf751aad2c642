// What the destination tests share: reading a stream's role policy, the DeliveryStream of a pipeline, and
// Outputs awaited as promises.
import * as pulumi from "@pulumi/pulumi";
import { DeliveryStream } from "../../components/delivery-stream";
import { PolicyStatement } from "../../components/iam";
import { EvaluatedStack, StackResource } from "../../offline/evaluate-stack";
import { TYPES, only, statementsOf } from "../support/stacks";

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
  return statementsOf(only(stack.resources, TYPES.rolePolicy, `${pipeline}-role-policy`).inputs.policy);
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
  // Streams are built in pipeline order, the order of the exported stream names.
  const stream = stack.platform.streams[Object.keys(stack.platform.outputs.streamNames).indexOf(pipeline)];
  if (!stream) throw new Error(`no delivery stream ${pipeline}`);
  return stream;
}

/** URNs of the resources the destination makes the stream of `pipeline` wait for. */
export function streamDependencies(stack: EvaluatedStack, pipeline: string): Promise<string[]> {
  return Promise.all(deliveryStream(stack, pipeline).bound.dependsOn.map((r) => promiseOf(r.urn)));
}
