import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkErrorPrefixes, ErrorPrefixConfig } from "../rules/error-prefix";
import { MAX_PREFIX_LENGTH } from "../rules/prefix-expressions";

const configSchema: PolicyConfigSchema = {
  properties: {
    requireErrorOutputPrefix: {
      type: "boolean",
      default: true,
      description: "Require errorOutputPrefix even where AWS does not (a data prefix without expressions).",
    },
    requireErrorOutputType: {
      type: "boolean",
      default: true,
      description: "Require !{firehose:error-output-type} even in an errorOutputPrefix without expressions.",
    },
    maxPrefixLength: {
      type: "integer",
      minimum: 1,
      maximum: MAX_PREFIX_LENGTH,
      default: MAX_PREFIX_LENGTH,
      description: "Longest errorOutputPrefix accepted, in characters (AWS: 1024).",
    },
  },
};

export const firehoseErrorPrefix: ResourceValidationPolicy = {
  name: "firehose-error-prefix",
  description:
    "Every S3 configuration (but Redshift's staging one) has an errorOutputPrefix that contains " +
    "!{firehose:error-output-type}, uses no partition keys, and lies outside the data prefix.",
  enforcementLevel: "mandatory",
  configSchema,
  validateResource: validateResourceOfType(
    aws.kinesis.FirehoseDeliveryStream,
    (_stream, args, reportViolation) =>
      runResourceRule<ErrorPrefixConfig>(args, reportViolation, configSchema, checkErrorPrefixes),
  ),
};
