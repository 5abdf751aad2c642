import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkProcessorDefaults, ProcessorDefaultsConfig } from "../rules/processor-defaults";

const configSchema: PolicyConfigSchema = {
  properties: {
    defaults: {
      type: "object",
      description: "Lambda processor parameters and Firehose's default value for each.",
      additionalProperties: { type: "string" },
      default: { BufferSizeInMBs: "1", BufferIntervalInSeconds: "60", NumberOfRetries: "3" },
    },
  },
};

/** Advisory: valid processor settings that do nothing, or only make every preview show a diff. */
export const firehoseProcessorDefaults: ResourceValidationPolicy = {
  name: "firehose-processor-defaults",
  description:
    "Lambda processor parameters are left out when they equal Firehose's defaults (BufferSizeInMBs 1, " +
    "BufferIntervalInSeconds 60, NumberOfRetries 3): the provider drops them from state, which diffs forever. " +
    "Processors under processingConfiguration.enabled false are flagged: they never run.",
  enforcementLevel: "advisory",
  configSchema,
  validateResource: validateResourceOfType(
    aws.kinesis.FirehoseDeliveryStream,
    (_stream, args, reportViolation) =>
      runResourceRule<ProcessorDefaultsConfig>(args, reportViolation, configSchema, checkProcessorDefaults),
  ),
};
