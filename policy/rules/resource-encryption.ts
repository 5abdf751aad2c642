// Encryption at rest with a customer managed KMS key, for each service the pipeline stores data in.
import { booleanAt, numberAt, objectAt, stringAt } from "../lib/fields";
import { Finding, skipped, violation } from "../lib/findings";
import { InputObject, isUnknown } from "../lib/unknown-values";
import { checkCustomerManagedKey } from "./kms-keys";

export interface KeyChoiceConfig {
  /** Accept AWS managed keys (`alias/aws/<service>`) where a customer managed key is asked for. */
  readonly allowAwsManagedKeys: boolean;
}

const CMK_FIX = "set it to the ARN of a customer managed KMS key";

export interface OpenSearchEncryptionConfig extends KeyChoiceConfig {
  readonly requireNodeToNodeEncryption: boolean;
}

export function checkOpenSearchDomainEncryption(
  inputs: InputObject,
  config: OpenSearchEncryptionConfig,
): Finding[] {
  const findings: Finding[] = [];
  const atRest = booleanAt(inputs, "encryptAtRest", "enabled");
  if (isUnknown(atRest)) {
    findings.push(skipped(atRest, "encryption at rest is enabled"));
  } else if (atRest !== true) {
    findings.push(
      violation(
        `encryptAtRest.enabled is ${String(atRest ?? "not set")}: set encryptAtRest to { enabled: true, ` +
          "kmsKeyId: <ARN of a customer managed key> }",
      ),
    );
  } else {
    findings.push(
      ...checkCustomerManagedKey(stringAt(inputs, "encryptAtRest", "kmsKeyId"), {
        field: "encryptAtRest.kmsKeyId",
        fix: CMK_FIX,
        allowAwsManagedKeys: config.allowAwsManagedKeys,
      }),
    );
  }
  const nodeToNode = booleanAt(inputs, "nodeToNodeEncryption", "enabled");
  if (isUnknown(nodeToNode)) {
    findings.push(skipped(nodeToNode, "node-to-node encryption is enabled"));
  } else if (config.requireNodeToNodeEncryption && nodeToNode !== true) {
    findings.push(
      violation(
        `nodeToNodeEncryption.enabled is ${String(nodeToNode ?? "not set")}: set it to true so data is ` +
          "encrypted between the domain's nodes",
      ),
    );
  }
  return findings;
}

export function checkRedshiftClusterEncryption(inputs: InputObject, config: KeyChoiceConfig): Finding[] {
  // `encrypted` is a string in @pulumi/aws 7 and defaults to true.
  const encrypted = booleanAt(inputs, "encrypted");
  if (isUnknown(encrypted)) {
    return [skipped(encrypted, "the cluster is encrypted")];
  }
  if (encrypted === false) {
    return [
      violation('encrypted is "false": set encrypted to "true" and kmsKeyId to a customer managed key'),
    ];
  }
  return checkCustomerManagedKey(stringAt(inputs, "kmsKeyId"), {
    field: "kmsKeyId",
    fix: CMK_FIX,
    allowAwsManagedKeys: config.allowAwsManagedKeys,
  });
}

export function checkRedshiftNamespaceEncryption(inputs: InputObject, config: KeyChoiceConfig): Finding[] {
  return checkCustomerManagedKey(stringAt(inputs, "kmsKeyId"), {
    field: "kmsKeyId",
    fix: CMK_FIX,
    allowAwsManagedKeys: config.allowAwsManagedKeys,
  });
}

export function checkKinesisStreamEncryption(inputs: InputObject, config: KeyChoiceConfig): Finding[] {
  const encryptionType = stringAt(inputs, "encryptionType") ?? "NONE";
  if (isUnknown(encryptionType)) {
    return [skipped(encryptionType, "the stream is KMS-encrypted")];
  }
  if (encryptionType !== "KMS") {
    return [
      violation(
        `encryptionType is "${encryptionType}": set encryptionType to "KMS" and kmsKeyId to a customer managed key`,
      ),
    ];
  }
  return checkCustomerManagedKey(stringAt(inputs, "kmsKeyId"), {
    field: "kmsKeyId",
    fix: CMK_FIX,
    allowAwsManagedKeys: config.allowAwsManagedKeys,
  });
}

export function checkSnsTopicEncryption(inputs: InputObject, config: KeyChoiceConfig): Finding[] {
  return checkCustomerManagedKey(stringAt(inputs, "kmsMasterKeyId"), {
    field: "kmsMasterKeyId",
    fix: CMK_FIX,
    allowAwsManagedKeys: config.allowAwsManagedKeys,
  });
}

export function checkLogGroupEncryption(inputs: InputObject, config: KeyChoiceConfig): Finding[] {
  return checkCustomerManagedKey(stringAt(inputs, "kmsKeyId"), {
    field: "kmsKeyId",
    fix: `${CMK_FIX} (the key policy must allow the logs service principal)`,
    allowAwsManagedKeys: config.allowAwsManagedKeys,
  });
}

export function checkSecretEncryption(inputs: InputObject, config: KeyChoiceConfig): Finding[] {
  return checkCustomerManagedKey(stringAt(inputs, "kmsKeyId"), {
    field: "kmsKeyId",
    fix: CMK_FIX,
    allowAwsManagedKeys: config.allowAwsManagedKeys,
  });
}

const ATHENA_KMS_OPTIONS = ["SSE_KMS", "CSE_KMS"];

export function checkAthenaWorkgroupEncryption(inputs: InputObject, config: KeyChoiceConfig): Finding[] {
  const managedResults = booleanAt(inputs, "configuration", "managedQueryResultsConfiguration", "enabled");
  if (isUnknown(managedResults)) {
    return [skipped(managedResults, "query results are encrypted with a customer managed key")];
  }
  if (managedResults === true) {
    return checkCustomerManagedKey(
      stringAt(
        inputs,
        "configuration",
        "managedQueryResultsConfiguration",
        "encryptionConfiguration",
        "kmsKey",
      ),
      {
        field: "configuration.managedQueryResultsConfiguration.encryptionConfiguration.kmsKey",
        fix: CMK_FIX,
        allowAwsManagedKeys: config.allowAwsManagedKeys,
      },
    );
  }
  const encryption = objectAt(inputs, "configuration", "resultConfiguration", "encryptionConfiguration");
  const field = "configuration.resultConfiguration.encryptionConfiguration";
  const option = stringAt(encryption, "encryptionOption");
  if (isUnknown(option)) {
    return [skipped(option, "query results are encrypted with KMS")];
  }
  if (option === undefined || !ATHENA_KMS_OPTIONS.includes(option)) {
    return [
      violation(
        `${field}.encryptionOption is ${option === undefined ? "not set" : `"${option}"`}: set it to "SSE_KMS" ` +
          "(or CSE_KMS) with kmsKeyArn set to a customer managed key, so query results are encrypted",
      ),
    ];
  }
  return checkCustomerManagedKey(stringAt(encryption, "kmsKeyArn"), {
    field: `${field}.kmsKeyArn`,
    fix: CMK_FIX,
    allowAwsManagedKeys: config.allowAwsManagedKeys,
  });
}

export interface KeyRotationConfig {
  /** Longest rotation period accepted, in days (AWS allows 90-2560; the default period is 365). */
  readonly maxRotationPeriodDays: number;
}

export function checkKmsKeyRotation(inputs: InputObject, config: KeyRotationConfig): Finding[] {
  // Automatic rotation exists only for symmetric encryption keys in AWS's own key store.
  const usage = stringAt(inputs, "keyUsage") ?? "ENCRYPT_DECRYPT";
  const spec = stringAt(inputs, "customerMasterKeySpec") ?? "SYMMETRIC_DEFAULT";
  const customStore = stringAt(inputs, "customKeyStoreId");
  if (isUnknown(usage)) {
    return [skipped(usage, "rotation of a symmetric key")];
  }
  if (isUnknown(spec)) {
    return [skipped(spec, "rotation of a symmetric key")];
  }
  if (usage !== "ENCRYPT_DECRYPT" || spec !== "SYMMETRIC_DEFAULT" || customStore !== undefined) {
    return [];
  }
  const rotation = booleanAt(inputs, "enableKeyRotation");
  if (isUnknown(rotation)) {
    return [skipped(rotation, "key rotation is enabled")];
  }
  if (rotation !== true) {
    return [
      violation(`enableKeyRotation is ${String(rotation ?? "not set")}: set enableKeyRotation to true`),
    ];
  }
  const period = numberAt(inputs, "rotationPeriodInDays") ?? 365;
  if (isUnknown(period)) {
    return [skipped(period, `rotation period at most ${config.maxRotationPeriodDays} days`)];
  }
  return period > config.maxRotationPeriodDays
    ? [
        violation(
          `rotationPeriodInDays is ${period}: set it to at most ${config.maxRotationPeriodDays} ` +
            "(the organisation's longest rotation period)",
        ),
      ]
    : [];
}
