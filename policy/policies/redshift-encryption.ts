import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import {
  checkRedshiftClusterEncryption,
  checkRedshiftNamespaceEncryption,
  KeyChoiceConfig,
} from "../rules/resource-encryption";
import { keyChoiceSchema } from "./key-choice-schema";

export const redshiftEncryption: ResourceValidationPolicy = {
  name: "redshift-encryption",
  description:
    "Redshift clusters are encrypted with a customer managed KMS key (encrypted and kmsKeyId), and so are " +
    "Redshift Serverless namespaces (kmsKeyId).",
  enforcementLevel: "mandatory",
  configSchema: keyChoiceSchema,
  validateResource: [
    validateResourceOfType(aws.redshift.Cluster, (_cluster, args, reportViolation) =>
      runResourceRule<KeyChoiceConfig>(
        args,
        reportViolation,
        keyChoiceSchema,
        checkRedshiftClusterEncryption,
      ),
    ),
    validateResourceOfType(aws.redshiftserverless.Namespace, (_namespace, args, reportViolation) =>
      runResourceRule<KeyChoiceConfig>(
        args,
        reportViolation,
        keyChoiceSchema,
        checkRedshiftNamespaceEncryption,
      ),
    ),
  ],
};
