import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkSecretEncryption, KeyChoiceConfig } from "../rules/resource-encryption";
import { keyChoiceSchema } from "./key-choice-schema";

export const secretEncryption: ResourceValidationPolicy = {
  name: "secret-encryption",
  description: "Secrets Manager secrets are encrypted with a customer managed KMS key.",
  enforcementLevel: "mandatory",
  configSchema: keyChoiceSchema,
  validateResource: validateResourceOfType(aws.secretsmanager.Secret, (_resource, args, reportViolation) =>
    runResourceRule<KeyChoiceConfig>(args, reportViolation, keyChoiceSchema, checkSecretEncryption),
  ),
};
