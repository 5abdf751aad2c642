// HTTP endpoint delivery roles: the lake for failed (or all) records and the endpoint's access key from Secrets
// Manager (Firehose developer guide: "Grant Firehose access to an HTTP endpoint destination").
import { AccessTable } from "../../../iam/access-table";
import { PipelineFacts, StackFacts } from "../support/stack-under-test";
import { deliveryRoleMustDeny, readSource, transformAndLogs, writeLake } from "./common";
import { changeCredentials, readCredentials } from "./redshift";

export function httpEndpointDeliveryTable(
  facts: StackFacts,
  pipeline: PipelineFacts,
  all: readonly PipelineFacts[],
): AccessTable {
  return {
    role: pipeline.role,
    mustAllow: [
      ...writeLake(facts, pipeline.lakePrefix),
      ...writeLake(facts, "errors/"),
      ...transformAndLogs(facts, pipeline),
      ...readSource(facts),
      ...readCredentials(facts, pipeline, "the endpoint's access key"),
    ],
    mustDeny: [...deliveryRoleMustDeny(facts, pipeline, all), ...changeCredentials(facts, pipeline)],
  };
}
