import { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { runStackRule } from "../lib/run-rule";
import { checkIcebergTables, IcebergTableConfig } from "../rules/iceberg-table";

const configSchema: PolicyConfigSchema = {
  properties: {
    allowExternalLocations: {
      type: "boolean",
      default: false,
      description:
        "Accept Iceberg tables located in buckets outside the stack (their encryption is not checked).",
    },
  },
};

/** A stack policy: the table's location is joined to the stack's buckets by the input's dependencies. */
export const glueIcebergTable: StackValidationPolicy = {
  name: "glue-iceberg-table",
  description:
    "Glue Iceberg tables use format version 2 (the only one Firehose writes) and lie in a bucket of the stack, " +
    "whose KMS default encryption s3-bucket-kms-encryption checks.",
  enforcementLevel: "mandatory",
  configSchema,
  validateStack: (args, reportViolation) =>
    runStackRule<IcebergTableConfig>(args, reportViolation, configSchema, checkIcebergTables),
};
