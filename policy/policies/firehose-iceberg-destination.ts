import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkIcebergDestination, IcebergDestinationConfig } from "../rules/iceberg-destination";

const configSchema: PolicyConfigSchema = {
  properties: {
    requireTableConfigurations: {
      type: "boolean",
      default: true,
      description:
        "Require destinationTableConfigurations (AWS accepts none when jq or Lambda metadata routes every record).",
    },
  },
};

export const firehoseIcebergDestination: ResourceValidationPolicy = {
  name: "firehose-iceberg-destination",
  description:
    "Iceberg destinations name the Glue Data Catalog and their tables, set uniqueKeys only where Firehose uses " +
    "them (not on appendOnly streams, never empty or repeated) and use a valid backup mode.",
  enforcementLevel: "mandatory",
  configSchema,
  validateResource: validateResourceOfType(
    aws.kinesis.FirehoseDeliveryStream,
    (_stream, args, reportViolation) =>
      runResourceRule<IcebergDestinationConfig>(args, reportViolation, configSchema, checkIcebergDestination),
  ),
};
