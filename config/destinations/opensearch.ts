// OpenSearch: a domain the stack builds, optionally in its VPC, and the index Firehose writes.
import { z } from "zod";
import { DESTINATION_BUFFER_LIMITS } from "../../policy/rules/firehose-limits";
import { bufferSchema, retrySeconds } from "./common";
import { defineDestination } from "./spec";

const schema = z
  .strictObject({
    type: z.literal("opensearch"),
    indexName: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,79}$/, "must be 1-80 lower-case characters"),
    indexRotation: z.enum(["NoRotation", "OneHour", "OneDay", "OneWeek", "OneMonth"]).default("OneDay"),
    buffer: bufferSchema(DESTINATION_BUFFER_LIMITS.opensearch),
    retrySeconds: retrySeconds(300),
    /** Back up `FailedDocumentsOnly` (default) or `AllDocuments` to the lake; fixed once the stream exists. */
    backupMode: z.enum(["FailedDocumentsOnly", "AllDocuments"]).default("FailedDocumentsOnly"),
    engineVersion: z.string().default("OpenSearch_2.19"),
    instanceType: z.string().default("r7g.large.search"),
    instanceCount: z.number().int().min(1).max(80).default(2),
    volumeSizeGiB: z.number().int().min(10).max(3072).default(20),
    /** Put the domain in the stack's VPC (private subnets); Firehose then delivers through ENIs in that VPC. */
    vpc: z.boolean().default(true),
  })
  .refine((d) => d.instanceCount === 1 || d.instanceCount % 2 === 0 || d.instanceCount % 3 === 0, {
    path: ["instanceCount"],
    message:
      "must be 1, an even number or a multiple of 3 (zone awareness spreads data nodes evenly over 2 or 3 availability zones)",
  });

export const openSearchDestination = defineDestination({
  schema,
  checkStack(pipelines, stack, report) {
    const vpcDomain = pipelines.some((p) => p.destination.vpc);
    if (stack.network.createOpenSearchServiceLinkedRole && !vpcDomain) {
      report(
        ["network", "createOpenSearchServiceLinkedRole"],
        "only an OpenSearch domain in a VPC needs the service-linked role, and no pipeline has one: remove this",
      );
    }
  },
  keyServices: () => ["es"],
  needsNetwork: (dest) => dest.vpc,
});
