import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkRedshiftDestination, RedshiftDestinationConfig } from "../rules/redshift-destination";

const configSchema: PolicyConfigSchema = {
  properties: {
    requireSecretsManager: {
      type: "boolean",
      default: true,
      description: "Require secretsManagerConfiguration (enabled, with a secretArn) for the credentials.",
    },
  },
};

export const firehoseRedshiftDestination: ResourceValidationPolicy = {
  name: "firehose-redshift-destination",
  description:
    "Redshift destinations use a jdbc:redshift:// URL, credentials from Secrets Manager (no plaintext password), " +
    "and an S3 staging configuration COPY can read: no SNAPPY/ZIP/HADOOP_SNAPPY, no expressions, no " +
    "errorOutputPrefix.",
  enforcementLevel: "mandatory",
  configSchema,
  validateResource: validateResourceOfType(
    aws.kinesis.FirehoseDeliveryStream,
    (_stream, args, reportViolation) =>
      runResourceRule<RedshiftDestinationConfig>(
        args,
        reportViolation,
        configSchema,
        checkRedshiftDestination,
      ),
  ),
};
