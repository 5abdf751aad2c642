import { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { runStackRule } from "../lib/run-rule";
import { checkOpenSearchDomainPolicies, DomainPolicyAccessConfig } from "../rules/opensearch-access";

const configSchema: PolicyConfigSchema = {
  properties: {
    domainsOutsideStackInVpc: {
      type: "boolean",
      default: false,
      description:
        "Take a DomainPolicy's domain that another stack owns to be in a VPC (this stack cannot see where it is).",
    },
  },
};

/** A stack policy: a DomainPolicy says nothing about reach until it is joined to its domain. */
export const openSearchDomainPolicyAccess: StackValidationPolicy = {
  name: "opensearch-domain-policy-access",
  description:
    "A separate OpenSearch DomainPolicy has no unconditional Allow for everyone unless its domain is in a VPC " +
    "(the domain is found through the policy's domainName).",
  enforcementLevel: "mandatory",
  configSchema,
  validateStack: (args, reportViolation) =>
    runStackRule<DomainPolicyAccessConfig>(
      args,
      reportViolation,
      configSchema,
      checkOpenSearchDomainPolicies,
    ),
};
