import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkAwsBufferBounds, LambdaBufferConfig } from "../rules/buffer-bounds";

const configSchema: PolicyConfigSchema = {
  properties: {
    lambdaMinBufferSizeMiB: {
      type: "number",
      minimum: 0.2,
      default: 0.2,
      description: "Lowest BufferSizeInMBs of a Lambda processor (AWS: 0.2).",
    },
    lambdaMaxBufferSizeMiB: {
      type: "number",
      maximum: 3,
      default: 3,
      description: "Highest BufferSizeInMBs of a Lambda processor (AWS: 3; Lambda's payload limit is 6 MB).",
    },
    lambdaMinBufferIntervalSeconds: {
      type: "integer",
      minimum: 0,
      default: 60,
      description: "Lowest BufferIntervalInSeconds of a Lambda processor (current docs: 0, older docs: 60).",
    },
    lambdaMaxBufferIntervalSeconds: {
      type: "integer",
      maximum: 900,
      default: 900,
      description: "Highest BufferIntervalInSeconds of a Lambda processor (AWS: 900).",
    },
  },
};

export const firehoseBufferBounds: ResourceValidationPolicy = {
  name: "firehose-buffer-bounds",
  description:
    "Buffering hints are within AWS's bounds for each destination type (unset fields count as the provider's " +
    "defaults), at least 64 MiB and 60 s with dynamic partitioning, at least 64 MiB with format conversion, " +
    "and Lambda processor buffers within Lambda's ranges.",
  enforcementLevel: "mandatory",
  configSchema,
  validateResource: validateResourceOfType(
    aws.kinesis.FirehoseDeliveryStream,
    (_stream, args, reportViolation) =>
      runResourceRule<LambdaBufferConfig>(args, reportViolation, configSchema, checkAwsBufferBounds),
  ),
};
