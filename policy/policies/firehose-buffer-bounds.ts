import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkAwsBufferBounds, LambdaBufferConfig } from "../rules/buffer-bounds";
import { LAMBDA_PROCESSOR_BUFFER } from "../rules/firehose-limits";

const { sizeMiB, intervalSeconds } = LAMBDA_PROCESSOR_BUFFER;

const configSchema: PolicyConfigSchema = {
  properties: {
    lambdaMinBufferSizeMiB: {
      type: "number",
      minimum: sizeMiB.min,
      default: sizeMiB.min,
      description: `Lowest BufferSizeInMBs of a Lambda processor (AWS: ${sizeMiB.min}).`,
    },
    lambdaMaxBufferSizeMiB: {
      type: "number",
      maximum: sizeMiB.max,
      default: sizeMiB.max,
      description: `Highest BufferSizeInMBs of a Lambda processor (AWS: ${sizeMiB.max}; Lambda's payload limit is 6 MB).`,
    },
    lambdaMinBufferIntervalSeconds: {
      type: "integer",
      minimum: 0,
      default: intervalSeconds.min,
      description: "Lowest BufferIntervalInSeconds of a Lambda processor (current docs: 0, older docs: 60).",
    },
    lambdaMaxBufferIntervalSeconds: {
      type: "integer",
      maximum: intervalSeconds.max,
      default: intervalSeconds.max,
      description: `Highest BufferIntervalInSeconds of a Lambda processor (AWS: ${intervalSeconds.max}).`,
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
