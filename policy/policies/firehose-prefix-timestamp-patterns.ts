import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkTimestampPatterns, TimestampPatternConfig } from "../rules/timestamp-prefix";

const configSchema: PolicyConfigSchema = {
  properties: {
    suspiciousLetters: {
      type: "object",
      description: "Java DateTimeFormatter letters to flag, each mapped to the letter probably meant.",
      additionalProperties: { type: "string", pattern: "^[A-Za-z]$" },
      default: { Y: "y", D: "d", h: "H" },
    },
  },
};

/** Advisory: these patterns are valid, only (almost always) not what was meant. */
export const firehosePrefixTimestampPatterns: ResourceValidationPolicy = {
  name: "firehose-prefix-timestamp-patterns",
  description:
    "Timestamp expressions in prefixes avoid YYYY (week-based year), DD (day of year) and hh (12-hour clock), " +
    "which are almost always meant as yyyy, dd and HH.",
  enforcementLevel: "advisory",
  configSchema,
  validateResource: validateResourceOfType(
    aws.kinesis.FirehoseDeliveryStream,
    (_stream, args, reportViolation) =>
      runResourceRule<TimestampPatternConfig>(args, reportViolation, configSchema, checkTimestampPatterns),
  ),
};
