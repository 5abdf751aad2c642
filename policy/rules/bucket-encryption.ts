// S3 default encryption with a customer managed KMS key. In @pulumi/aws 7 it is configured by a separate
// BucketServerSideEncryptionConfiguration resource, so this rule joins each bucket to the configurations that
// target it: by the `bucket` input's dependency on the bucket, by value (name or id), or by dependency.
import { arrayAt, Maybe, objectAt, stringAt } from "../lib/fields";
import { Finding, skipped, violation } from "../lib/findings";
import { resourceLabel, StackResource } from "../lib/run-rule";
import { InputValue, isUnknown, UnknownValue } from "../lib/unknown-values";
import { checkCustomerManagedKey } from "./kms-keys";

export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
export const BUCKET_ENCRYPTION_TYPES = [
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
export const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

export interface BucketEncryptionConfig {
  /** Accept `alias/aws/s3` (or no kmsMasterKeyId, which means that key). */
  readonly allowAwsManagedKeys: boolean;
}

export function checkBucketEncryption(
  resources: readonly StackResource[],
  config: BucketEncryptionConfig,
): Finding[] {
  const buckets = resources.filter((r) => BUCKET_TYPES.includes(r.type));
  const encryptions = resources.filter((r) => BUCKET_ENCRYPTION_TYPES.includes(r.type));
  const findings = encryptions.flatMap((e) => checkRules(e, arrayAt(e.inputs, "rules"), "rules", config));
  const links = encryptions.map((encryption) => linkedBuckets(encryption, buckets));
  for (const bucket of buckets) {
    const inline = inlineRules(bucket);
    if (inline !== undefined) {
      findings.push(...checkRules(bucket, inline.rules, inline.path, config));
      continue;
    }
    if (links.some((link) => !isUnknown(link) && link.includes(bucket))) {
      continue;
    }
    const unresolved = links.find(isUnknown);
    if (unresolved !== undefined) {
      findings.push(
        skipped(unresolved, `${resourceLabel(bucket)} has a KMS default encryption configuration`),
      );
      continue;
    }
    findings.push(
      violation(
        `${resourceLabel(bucket)} has no default encryption configuration, so S3 falls back to SSE-S3: add an ` +
          'aws.s3.BucketServerSideEncryptionConfiguration for it with sseAlgorithm "aws:kms" and ' +
          "kmsMasterKeyId set to a customer managed key",
        bucket.urn,
      ),
    );
  }
  return findings;
}

/** The buckets an encryption configuration targets, or the unknown `bucket` when it cannot be told. */
function linkedBuckets(
  encryption: StackResource,
  buckets: readonly StackResource[],
): StackResource[] | UnknownValue {
  const byUrn = (urns: readonly string[]): StackResource[] => buckets.filter((b) => urns.includes(b.urn));
  const viaInput = byUrn(encryption.propertyDependencyUrns["bucket"] ?? []);
  if (viaInput.length > 0) {
    return viaInput;
  }
  const target = stringAt(encryption.inputs, "bucket");
  if (typeof target === "string") {
    const byValue = buckets.filter((b) =>
      ["bucket", "id", "arn"].some((key) => stringAt(b.inputs, key) === target),
    );
    if (byValue.length > 0) {
      return byValue;
    }
  }
  const viaDependency = byUrn(encryption.dependencyUrns);
  if (viaDependency.length > 0 || !isUnknown(target)) {
    return viaDependency;
  }
  return target;
}

/** Default encryption declared on the bucket itself (deprecated inputs, still honoured by the provider). */
function inlineRules(bucket: StackResource): { rules: Maybe<InputValue[]>; path: string } | undefined {
  const single = objectAt(bucket.inputs, "serverSideEncryptionConfiguration");
  if (single !== undefined) {
    const path = "serverSideEncryptionConfiguration.rule";
    if (isUnknown(single)) {
      return { rules: single, path };
    }
    const rule = objectAt(single, "rule");
    return { rules: rule === undefined || isUnknown(rule) ? rule : [rule], path };
  }
  const list = arrayAt(bucket.inputs, "serverSideEncryptionConfigurations");
  if (list === undefined || (Array.isArray(list) && list.length === 0)) {
    return undefined;
  }
  const path = "serverSideEncryptionConfigurations[0].rules";
  return { rules: isUnknown(list) ? list : arrayAt(list[0], "rules"), path };
}

function checkRules(
  owner: StackResource,
  rules: Maybe<InputValue[]>,
  path: string,
  config: BucketEncryptionConfig,
): Finding[] {
  const label = resourceLabel(owner);
  if (isUnknown(rules)) {
    return [skipped(rules, `${label} default encryption uses aws:kms`)];
  }
  if (rules === undefined || rules.length === 0) {
    return [violation(`${label}: ${path} is empty: add a rule with sseAlgorithm "aws:kms"`, owner.urn)];
  }
  return rules.flatMap((rule, index) => {
    const field = `${path}[${index}].applyServerSideEncryptionByDefault`;
    const algorithm = stringAt(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm");
    if (isUnknown(algorithm)) {
      return [skipped(algorithm, `${label} default encryption uses aws:kms`)];
    }
    if (algorithm === undefined || !KMS_ALGORITHMS.includes(algorithm)) {
      return [
        violation(
          `${label}: ${field}.sseAlgorithm is ${algorithm === undefined ? "not set" : `"${algorithm}"`}: set it ` +
            'to "aws:kms" with kmsMasterKeyId set to a customer managed key',
          owner.urn,
        ),
      ];
    }
    const keyId = stringAt(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId");
    if (keyId === undefined && config.allowAwsManagedKeys) {
      return [];
    }
    return checkCustomerManagedKey(keyId, {
      field: `${field}.kmsMasterKeyId`,
      fix: "set it to the ARN of a customer managed KMS key",
      allowAwsManagedKeys: config.allowAwsManagedKeys,
    }).map((finding) =>
      finding.kind === "violation" ? violation(`${label}: ${finding.message}`, owner.urn) : finding,
    );
  });
}
