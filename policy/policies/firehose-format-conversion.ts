import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkFormatConversion, FormatConversionConfig, OUTPUT_FORMATS } from "../rules/format-conversion";

const configSchema: PolicyConfigSchema = {
  properties: {
    allowedOutputFormats: {
      type: "array",
      items: { type: "string", enum: [...OUTPUT_FORMATS] },
      minItems: 1,
      default: [...OUTPUT_FORMATS],
      description: "Columnar formats the organisation accepts.",
    },
  },
};

export const firehoseFormatConversion: ResourceValidationPolicy = {
  name: "firehose-format-conversion",
  description:
    "Record format conversion runs only on extended S3, with stream compression UNCOMPRESSED, a Glue table " +
    "as schema, and exactly one deserializer and one serializer.",
  enforcementLevel: "mandatory",
  configSchema,
  validateResource: validateResourceOfType(
    aws.kinesis.FirehoseDeliveryStream,
    (_stream, args, reportViolation) =>
      runResourceRule<FormatConversionConfig>(args, reportViolation, configSchema, checkFormatConversion),
  ),
};
