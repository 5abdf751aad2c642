import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkLogGroupEncryption, KeyChoiceConfig } from "../rules/resource-encryption";
import { keyChoiceSchema } from "./key-choice-schema";

export const logGroupEncryption: ResourceValidationPolicy = {
  name: "log-group-encryption",
  description: "CloudWatch log groups encrypt their logs with a customer managed KMS key.",
  enforcementLevel: "mandatory",
  configSchema: keyChoiceSchema,
  validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (_resource, args, reportViolation) =>
    runResourceRule<KeyChoiceConfig>(args, reportViolation, keyChoiceSchema, checkLogGroupEncryption),
  ),
};
