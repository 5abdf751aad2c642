import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkPrefixTrailingSlash, TrailingSlashConfig } from "../rules/prefix-trailing-slash";

const configSchema: PolicyConfigSchema = {
  properties: {
    allowTrailingExpression: {
      type: "boolean",
      default: true,
      description:
        "Accept a prefix that ends in a !{...} expression (the expression then ends the folder name).",
    },
  },
};

/** Advisory: AWS accepts such a prefix; the objects only land somewhere unexpected. */
export const firehosePrefixTrailingSlash: ResourceValidationPolicy = {
  name: "firehose-prefix-trailing-slash",
  description:
    "S3 data and error prefixes end in '/' (or a !{...} expression), so that objects land inside a folder " +
    "rather than beside it with the prefix glued to their names.",
  enforcementLevel: "advisory",
  configSchema,
  validateResource: validateResourceOfType(
    aws.kinesis.FirehoseDeliveryStream,
    (_stream, args, reportViolation) =>
      runResourceRule<TrailingSlashConfig>(args, reportViolation, configSchema, checkPrefixTrailingSlash),
  ),
};
