import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkDataPrefixes, PrefixConfig } from "../rules/prefix-correctness";
import { MAX_PREFIX_LENGTH } from "../rules/prefix-expressions";

const configSchema: PolicyConfigSchema = {
  properties: {
    maxPrefixLength: {
      type: "integer",
      minimum: 1,
      maximum: MAX_PREFIX_LENGTH,
      default: MAX_PREFIX_LENGTH,
      description: "Longest prefix accepted, in characters (AWS: 1024).",
    },
    maxPartitionKeys: {
      type: "integer",
      minimum: 1,
      maximum: 50,
      default: 50,
      description: "Most keys a MetadataExtraction query may produce (AWS CDK: 50).",
    },
  },
};

export const firehosePrefixExpressions: ResourceValidationPolicy = {
  name: "firehose-prefix-expressions",
  description:
    "Data prefixes use only valid !{namespace:value} expressions, never !{firehose:error-output-type}, and " +
    "partition keys only with dynamic partitioning and a processor that produces them.",
  enforcementLevel: "mandatory",
  configSchema,
  validateResource: validateResourceOfType(
    aws.kinesis.FirehoseDeliveryStream,
    (_stream, args, reportViolation) =>
      runResourceRule<PrefixConfig>(args, reportViolation, configSchema, checkDataPrefixes),
  ),
};
