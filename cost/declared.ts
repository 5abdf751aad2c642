// The resources a stack declares that carry a monthly price of their own (alarms, dashboards, secrets, keys) and
// each delivery stream's VPC subnets: read from the program itself, evaluated offline, so the estimate prices
// what `pulumi up` would create rather than a re-derivation of it.
import { streamNameOf } from "../config/naming";
import { StackSettings } from "../config/settings";
import { evaluateStack, StackResource } from "../offline/evaluate-stack";

export interface DeclaredResources {
  readonly alarms: number;
  readonly dashboards: number;
  /** Secrets Manager secrets, including those Redshift creates for a managed admin password. */
  readonly secrets: number;
  readonly kmsKeys: number;
  /** Subnets in each pipeline's delivery stream VPC configuration, by pipeline name. */
  readonly vpcSubnets: ReadonlyMap<string, number>;
}

export function declaredResourcesOf(
  settings: StackSettings,
  resources: readonly StackResource[],
): DeclaredResources {
  const count = (type: string) => resources.filter((r) => r.type === type).length;
  const managedPasswords = resources.filter(
    (r) => r.type === "aws:redshiftserverless/namespace:Namespace" && r.inputs.manageAdminPassword === true,
  ).length;
  const vpcSubnets = new Map<string, number>();
  for (const stream of resources.filter(
    (r) => r.type === "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
  )) {
    const pipeline = settings.pipelines.find((p) => stream.inputs.name === streamNameOf(settings, p.name));
    const subnets = stream.inputs.opensearchConfiguration?.vpcConfig?.subnetIds;
    if (pipeline) vpcSubnets.set(pipeline.name, Array.isArray(subnets) ? subnets.length : 0);
  }
  return {
    alarms: count("aws:cloudwatch/metricAlarm:MetricAlarm"),
    dashboards: count("aws:cloudwatch/dashboard:Dashboard"),
    secrets: count("aws:secretsmanager/secret:Secret") + managedPasswords,
    kmsKeys: count("aws:kms/key:Key"),
    vpcSubnets,
  };
}

export async function declaredResources(settings: StackSettings): Promise<DeclaredResources> {
  const { resources } = await evaluateStack(settings);
  return declaredResourcesOf(settings, resources);
}
