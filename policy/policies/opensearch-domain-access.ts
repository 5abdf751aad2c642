import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkOpenSearchDomainAccess, OpenSearchAccessConfig } from "../rules/opensearch-access";

const configSchema: PolicyConfigSchema = {
  properties: {
    allowedTlsPolicies: {
      type: "array",
      items: { type: "string" },
      minItems: 1,
      default: ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"],
      description: "TLS security policies accepted for the domain endpoint.",
    },
    requireVpc: {
      type: "boolean",
      default: false,
      description: "Require VPC access even when the access policy is restrictive.",
    },
  },
};

export const openSearchDomainAccess: ResourceValidationPolicy = {
  name: "opensearch-domain-access",
  description:
    "OpenSearch domains sit in a VPC or have an access policy without an unconditional Allow for everyone, " +
    "enforce HTTPS, and use a TLS 1.2 security policy.",
  enforcementLevel: "mandatory",
  configSchema,
  validateResource: validateResourceOfType(aws.opensearch.Domain, (_domain, args, reportViolation) =>
    runResourceRule<OpenSearchAccessConfig>(args, reportViolation, configSchema, checkOpenSearchDomainAccess),
  ),
};
