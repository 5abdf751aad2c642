// The warehouses and domains a pipeline's destination creates: OpenSearch instance-hours and gp3 EBS GB-months;
// Redshift Serverless RPU-hours (base capacity × active hours) or provisioned node-hours. Sources: the OpenSearch
// Service and Redshift pricing pages.
import { HOURS_PER_MONTH, Meter, priced } from "../meter";
import { PipelineContext } from "../pipeline-context";

export function destinationMeters(ctx: PipelineContext): Meter[] {
  const { table } = ctx;
  const dest = ctx.pipeline.destination;
  if (dest.type === "opensearch") {
    return [
      priced(
        table,
        "opensearch-instance-hours",
        `opensearch-instance-hours:${dest.instanceType}`,
        dest.instanceCount * HOURS_PER_MONTH,
      ),
      priced(table, "opensearch-ebs", "opensearch-ebs-gp3", dest.instanceCount * dest.volumeSizeGiB),
    ];
  }
  if (dest.type === "redshift" && dest.warehouse === "serverless") {
    const rpuHours = dest.baseCapacityRpu * ctx.usage.hoursActive * (HOURS_PER_MONTH / 24);
    return [priced(table, "redshift-serverless-rpu-hours", "redshift-serverless-rpu-hours", rpuHours)];
  }
  if (dest.type === "redshift" && dest.warehouse === "provisioned") {
    const nodeHours = dest.numberOfNodes * HOURS_PER_MONTH;
    return [priced(table, "redshift-node-hours", `redshift-node-hours:${dest.nodeType}`, nodeHours)];
  }
  return [];
}
