import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkDestinationConfig, DestinationConfig } from "../rules/destination-config";
import { DESTINATIONS } from "../rules/firehose-destinations";

const configSchema: PolicyConfigSchema = {
  properties: {
    allowedDestinations: {
      type: "array",
      items: { type: "string", enum: [...DESTINATIONS] },
      minItems: 1,
      default: [...DESTINATIONS],
      description: "Destination types the organisation uses.",
    },
  },
};

export const firehoseDestinationConfig: ResourceValidationPolicy = {
  name: "firehose-destination-config",
  description:
    "The stream's destination is a value the provider accepts (snake_case) with its configuration block, " +
    "retry durations are within 0-7200 s, and processors are enabled and well-formed (RecordDeAggregation only " +
    "with dynamic partitioning, SubRecordType JSON or DELIMITED, a base64 Delimiter).",
  enforcementLevel: "mandatory",
  configSchema,
  validateResource: validateResourceOfType(
    aws.kinesis.FirehoseDeliveryStream,
    (_stream, args, reportViolation) =>
      runResourceRule<DestinationConfig>(args, reportViolation, configSchema, checkDestinationConfig),
  ),
};
