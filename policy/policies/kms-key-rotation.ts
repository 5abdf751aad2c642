import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkKmsKeyRotation, KeyRotationConfig } from "../rules/resource-encryption";

const configSchema: PolicyConfigSchema = {
  properties: {
    maxRotationPeriodDays: {
      type: "integer",
      minimum: 90,
      maximum: 2560,
      default: 365,
      description: "Longest rotationPeriodInDays accepted (AWS allows 90-2560; its default is 365).",
    },
  },
};

/** Advisory by default: a key without rotation still encrypts; raise it per organisation. */
export const kmsKeyRotation: ResourceValidationPolicy = {
  name: "kms-key-rotation",
  description: "Symmetric customer managed KMS keys rotate automatically (enableKeyRotation).",
  enforcementLevel: "advisory",
  configSchema,
  validateResource: validateResourceOfType(aws.kms.Key, (_key, args, reportViolation) =>
    runResourceRule<KeyRotationConfig>(args, reportViolation, configSchema, checkKmsKeyRotation),
  ),
};
