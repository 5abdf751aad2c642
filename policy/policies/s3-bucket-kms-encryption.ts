import { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { runStackRule } from "../lib/run-rule";
import { BucketEncryptionConfig, checkBucketEncryption } from "../rules/bucket-encryption";

const configSchema: PolicyConfigSchema = {
  properties: {
    allowAwsManagedKeys: {
      type: "boolean",
      default: false,
      description: "Accept aws:kms with the AWS managed key (alias/aws/s3, or no kmsMasterKeyId).",
    },
  },
};

/** A stack policy: in @pulumi/aws 7 a bucket's default encryption is a separate resource that targets it. */
export const s3BucketKmsEncryption: StackValidationPolicy = {
  name: "s3-bucket-kms-encryption",
  description:
    "Every S3 bucket has default encryption aws:kms with a customer managed key, through a " +
    "BucketServerSideEncryptionConfiguration that targets it.",
  enforcementLevel: "mandatory",
  configSchema,
  validateStack: (args, reportViolation) =>
    runStackRule<BucketEncryptionConfig>(args, reportViolation, configSchema, checkBucketEncryption),
};
