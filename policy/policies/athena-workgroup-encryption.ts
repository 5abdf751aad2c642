import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkAthenaWorkgroupEncryption, KeyChoiceConfig } from "../rules/resource-encryption";
import { keyChoiceSchema } from "./key-choice-schema";

export const athenaWorkgroupEncryption: ResourceValidationPolicy = {
  name: "athena-workgroup-encryption",
  description:
    "Athena workgroups encrypt query results with KMS (SSE_KMS or CSE_KMS) using a customer managed key.",
  enforcementLevel: "mandatory",
  configSchema: keyChoiceSchema,
  validateResource: validateResourceOfType(aws.athena.Workgroup, (_resource, args, reportViolation) =>
    runResourceRule<KeyChoiceConfig>(args, reportViolation, keyChoiceSchema, checkAthenaWorkgroupEncryption),
  ),
};
