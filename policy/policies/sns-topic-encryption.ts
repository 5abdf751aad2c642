import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkSnsTopicEncryption, KeyChoiceConfig } from "../rules/resource-encryption";
import { keyChoiceSchema } from "./key-choice-schema";

export const snsTopicEncryption: ResourceValidationPolicy = {
  name: "sns-topic-encryption",
  description: "SNS topics encrypt messages at rest with a customer managed KMS key.",
  enforcementLevel: "mandatory",
  configSchema: keyChoiceSchema,
  validateResource: validateResourceOfType(aws.sns.Topic, (_resource, args, reportViolation) =>
    runResourceRule<KeyChoiceConfig>(args, reportViolation, keyChoiceSchema, checkSnsTopicEncryption),
  ),
};
