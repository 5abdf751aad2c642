import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { LAMBDA_PROCESSOR_DEFAULTS } from "../rules/firehose-limits";
import { checkProcessorDefaults, ProcessorDefaultsConfig } from "../rules/processor-defaults";

const DEFAULTS = LAMBDA_PROCESSOR_DEFAULTS;

const configSchema: PolicyConfigSchema = {
  properties: {
    defaults: {
      type: "object",
      description: "Lambda processor parameters and Firehose's default value for each.",
      additionalProperties: { type: "string" },
      default: Object.fromEntries(Object.entries(DEFAULTS).map(([name, value]) => [name, String(value)])),
    },
  },
};

/** Advisory: valid processor settings that do nothing, or only make every preview show a diff. */
export const firehoseProcessorDefaults: ResourceValidationPolicy = {
  name: "firehose-processor-defaults",
  description:
    "Lambda processor parameters are left out when they equal Firehose's defaults (BufferSizeInMBs " +
    `${DEFAULTS.BufferSizeInMBs}, BufferIntervalInSeconds ${DEFAULTS.BufferIntervalInSeconds}, NumberOfRetries ` +
    `${DEFAULTS.NumberOfRetries}): the provider drops them from state, which diffs forever. ` +
    "Processors under processingConfiguration.enabled false are flagged: they never run.",
  enforcementLevel: "advisory",
  configSchema,
  validateResource: validateResourceOfType(
    aws.kinesis.FirehoseDeliveryStream,
    (_stream, args, reportViolation) =>
      runResourceRule<ProcessorDefaultsConfig>(args, reportViolation, configSchema, checkProcessorDefaults),
  ),
};
