import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkFirehoseEncryption, FirehoseEncryptionConfig } from "../rules/firehose-encryption";

const configSchema: PolicyConfigSchema = {
  properties: {
    requireCustomerManagedKey: {
      type: "boolean",
      default: true,
      description: "Direct PUT streams must use CUSTOMER_MANAGED_CMK; false also accepts AWS_OWNED_CMK.",
    },
    allowAwsManagedKeys: {
      type: "boolean",
      default: false,
      description: "Accept alias/aws/s3 as the kmsKeyArn of an S3 configuration.",
    },
  },
};

export const firehoseEncryption: ResourceValidationPolicy = {
  name: "firehose-encryption",
  description:
    "Delivery streams encrypt with customer managed KMS keys: server-side encryption for Direct PUT streams " +
    "(none for streams with a Kinesis or MSK source) and kmsKeyArn on every S3 configuration.",
  enforcementLevel: "mandatory",
  configSchema,
  validateResource: validateResourceOfType(
    aws.kinesis.FirehoseDeliveryStream,
    (_stream, args, reportViolation) =>
      runResourceRule<FirehoseEncryptionConfig>(args, reportViolation, configSchema, checkFirehoseEncryption),
  ),
};
