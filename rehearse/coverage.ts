// What the emulator cannot create, so the rehearsal validates and plans it only, and says why.
import { TerraformResource } from "./translate";

/** Why a resource is planned but not applied, or undefined when it is applied. */
export type PlanOnlyRule = (resource: TerraformResource, options: { fast: boolean }) => string | undefined;

export const PLAN_ONLY_RULES: PlanOnlyRule[] = [
  (r) =>
    r.type.startsWith("aws_redshiftserverless_")
      ? "moto 5.2.1 does not implement Redshift Serverless"
      : undefined,
  (r) =>
    r.type === "aws_kinesis_firehose_delivery_stream" && r.body.opensearch_configuration !== undefined
      ? "moto 5.2.1's Firehose does not implement the OpenSearch Service destination"
      : undefined,
  // Measured: CreateStateMachine succeeds, then the apply never ends (moto answers ListStateMachineVersions with
  // HTTP 500, which the SDK retries as a server error).
  (r) =>
    r.type === "aws_sfn_state_machine"
      ? "moto 5.2.1 does not implement ListStateMachineVersions, which the provider calls after creating it"
      : undefined,
  (r, { fast }) =>
    fast && r.type === "aws_opensearch_domain"
      ? "fast mode: the provider waits 10 minutes before it polls a new OpenSearch domain"
      : undefined,
];

/** The reason `resource` is plan-only, if a rule says so. */
export function planOnlyReason(resource: TerraformResource, options: { fast: boolean }): string | undefined {
  for (const rule of PLAN_ONLY_RULES) {
    const reason = rule(resource, options);
    if (reason) return reason;
  }
  return undefined;
}
