import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import {
  checkClusterCredentials,
  checkNamespaceCredentials,
  RedshiftCredentialsConfig,
} from "../rules/redshift-credentials";

const configSchema: PolicyConfigSchema = {
  properties: {
    allowWriteOnlyPasswords: {
      type: "boolean",
      default: true,
      description: "Accept masterPasswordWo/adminUserPasswordWo, which stay out of state.",
    },
  },
};

export const redshiftManagedCredentials: ResourceValidationPolicy = {
  name: "redshift-managed-credentials",
  description:
    "Redshift clusters and Serverless namespaces let Redshift manage the admin password in Secrets Manager " +
    "(manageMasterPassword/manageAdminPassword) instead of a plaintext password in config and state.",
  enforcementLevel: "mandatory",
  configSchema,
  validateResource: [
    validateResourceOfType(aws.redshift.Cluster, (_cluster, args, reportViolation) =>
      runResourceRule<RedshiftCredentialsConfig>(
        args,
        reportViolation,
        configSchema,
        checkClusterCredentials,
      ),
    ),
    validateResourceOfType(aws.redshiftserverless.Namespace, (_namespace, args, reportViolation) =>
      runResourceRule<RedshiftCredentialsConfig>(
        args,
        reportViolation,
        configSchema,
        checkNamespaceCredentials,
      ),
    ),
  ],
};
