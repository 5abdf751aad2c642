import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkKinesisStreamEncryption, KeyChoiceConfig } from "../rules/resource-encryption";
import { keyChoiceSchema } from "./key-choice-schema";

export const kinesisStreamEncryption: ResourceValidationPolicy = {
  name: "kinesis-stream-encryption",
  description: "Kinesis data streams are encrypted with KMS using a customer managed key.",
  enforcementLevel: "mandatory",
  configSchema: keyChoiceSchema,
  validateResource: validateResourceOfType(aws.kinesis.Stream, (_resource, args, reportViolation) =>
    runResourceRule<KeyChoiceConfig>(args, reportViolation, keyChoiceSchema, checkKinesisStreamEncryption),
  ),
};
