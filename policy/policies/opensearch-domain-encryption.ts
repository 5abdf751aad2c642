import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkOpenSearchDomainEncryption, OpenSearchEncryptionConfig } from "../rules/resource-encryption";
import { keyChoiceSchema } from "./key-choice-schema";

const configSchema: PolicyConfigSchema = {
  properties: {
    ...keyChoiceSchema.properties,
    requireNodeToNodeEncryption: {
      type: "boolean",
      default: true,
      description: "Require nodeToNodeEncryption.enabled (TLS between the domain's nodes).",
    },
  },
};

export const openSearchDomainEncryption: ResourceValidationPolicy = {
  name: "opensearch-domain-encryption",
  description: "OpenSearch domains encrypt at rest with a customer managed KMS key and between nodes.",
  enforcementLevel: "mandatory",
  configSchema,
  validateResource: validateResourceOfType(aws.opensearch.Domain, (_domain, args, reportViolation) =>
    runResourceRule<OpenSearchEncryptionConfig>(
      args,
      reportViolation,
      configSchema,
      checkOpenSearchDomainEncryption,
    ),
  ),
};
