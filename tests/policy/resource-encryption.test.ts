// The resource encryption checks called directly: each value unknown at preview skips its check (naming it),
// and each branch's message names the input path and the fix.
import * as assert from "node:assert/strict";
import { Finding } from "../../policy/lib/findings";
import { StackResource } from "../../policy/lib/run-rule";
import { InputObject, UnknownValue } from "../../policy/lib/unknown-values";
import { checkBucketEncryption } from "../../policy/rules/bucket-encryption";
import {
  checkAthenaWorkgroupEncryption,
  checkKinesisStreamEncryption,
  checkKmsKeyRotation,
  checkOpenSearchDomainEncryption,
  checkRedshiftClusterEncryption,
} from "../../policy/rules/resource-encryption";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/0d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6";
const CMK = { allowAwsManagedKeys: false };
const unknown = (path: string) => new UnknownValue(path, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");

/** Each finding as one line: `violation: <message>` or `skipped <path>: <check>`. */
function lines(findings: Finding[]): string[] {
  return findings.map((f) =>
    f.kind === "violation" ? `violation: ${f.message}` : `skipped ${f.value.path}: ${f.check}`,
  );
}

describe("resource encryption checks: unknown values and each branch's message", () => {
  describe("OpenSearch domain", () => {
    const config = { ...CMK, requireNodeToNodeEncryption: true };
    const domain = (
      encryptAtRest: InputObject,
      nodeToNode: InputObject = { enabled: true },
    ): InputObject => ({
      encryptAtRest,
      nodeToNodeEncryption: nodeToNode,
    });

    it("passes encryption at rest with a customer managed key and node-to-node encryption", () => {
      assert.deepEqual(checkOpenSearchDomainEncryption(domain({ enabled: true, kmsKeyId: KEY }), config), []);
    });

    it("skips what is unknown at preview, naming the check", () => {
      assert.deepEqual(
        lines(
          checkOpenSearchDomainEncryption(
            domain(
              { enabled: unknown("encryptAtRest.enabled") },
              { enabled: unknown("nodeToNodeEncryption.enabled") },
            ),
            config,
          ),
        ),
        [
          "skipped encryptAtRest.enabled: encryption at rest is enabled",
          "skipped nodeToNodeEncryption.enabled: node-to-node encryption is enabled",
        ],
      );
    });

    it("names encryption at rest off or not set, and a missing key by its path", () => {
      const fix = ": set encryptAtRest to { enabled: true, kmsKeyId: <ARN of a customer managed key> }";
      assert.deepEqual(lines(checkOpenSearchDomainEncryption(domain({ enabled: false }), config)), [
        `violation: encryptAtRest.enabled is false${fix}`,
      ]);
      assert.deepEqual(lines(checkOpenSearchDomainEncryption(domain({}), config)), [
        `violation: encryptAtRest.enabled is not set${fix}`,
      ]);
      assert.deepEqual(lines(checkOpenSearchDomainEncryption(domain({ enabled: true }), config)), [
        "violation: encryptAtRest.kmsKeyId is not set, so AWS uses its own key: set it to the ARN of a customer managed KMS key",
      ]);
    });
  });

  it("Redshift cluster: an unknown `encrypted` is skipped; an explicit false is refused", () => {
    assert.deepEqual(lines(checkRedshiftClusterEncryption({ encrypted: unknown("encrypted") }, CMK)), [
      "skipped encrypted: the cluster is encrypted",
    ]);
    assert.deepEqual(lines(checkRedshiftClusterEncryption({ encrypted: false }, CMK)), [
      'violation: encrypted is "false": set encrypted to "true" and kmsKeyId to a customer managed key',
    ]);
    assert.deepEqual(checkRedshiftClusterEncryption({ encrypted: true, kmsKeyId: KEY }, CMK), []);
  });

  it("Kinesis stream: no encryptionType means NONE; an unknown one is skipped", () => {
    assert.deepEqual(lines(checkKinesisStreamEncryption({}, CMK)), [
      'violation: encryptionType is "NONE": set encryptionType to "KMS" and kmsKeyId to a customer managed key',
    ]);
    assert.deepEqual(
      lines(checkKinesisStreamEncryption({ encryptionType: unknown("encryptionType") }, CMK)),
      ["skipped encryptionType: the stream is KMS-encrypted"],
    );
    assert.deepEqual(checkKinesisStreamEncryption({ encryptionType: "KMS", kmsKeyId: KEY }, CMK), []);
  });

  describe("Athena workgroup", () => {
    const managed = (value: InputObject): InputObject => ({
      configuration: { managedQueryResultsConfiguration: value },
    });
    const results = (encryptionConfiguration: InputObject): InputObject => ({
      configuration: { resultConfiguration: { encryptionConfiguration } },
    });

    it("managed query results: unknown is skipped; enabled needs a customer managed key at its own path", () => {
      const path = "configuration.managedQueryResultsConfiguration.enabled";
      assert.deepEqual(lines(checkAthenaWorkgroupEncryption(managed({ enabled: unknown(path) }), CMK)), [
        `skipped ${path}: query results are encrypted with a customer managed key`,
      ]);
      assert.deepEqual(lines(checkAthenaWorkgroupEncryption(managed({ enabled: true }), CMK)), [
        "violation: configuration.managedQueryResultsConfiguration.encryptionConfiguration.kmsKey is not set, so AWS uses its own key: set it to the ARN of a customer managed KMS key",
      ]);
      assert.deepEqual(
        checkAthenaWorkgroupEncryption(
          managed({ enabled: true, encryptionConfiguration: { kmsKey: KEY } }),
          CMK,
        ),
        [],
      );
    });

    it("managed query results off: the result configuration decides", () => {
      const both: InputObject = {
        configuration: {
          managedQueryResultsConfiguration: { enabled: false },
          resultConfiguration: { encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: KEY } },
        },
      };
      assert.deepEqual(checkAthenaWorkgroupEncryption(both, CMK), []);
    });

    it("result encryption: an unknown option is skipped; SSE_S3 and a missing option are named; CSE_KMS is KMS", () => {
      const field = "configuration.resultConfiguration.encryptionConfiguration.encryptionOption";
      assert.deepEqual(
        lines(checkAthenaWorkgroupEncryption(results({ encryptionOption: unknown(field) }), CMK)),
        [`skipped ${field}: query results are encrypted with KMS`],
      );
      const fix =
        ': set it to "SSE_KMS" (or CSE_KMS) with kmsKeyArn set to a customer managed key, so query results are encrypted';
      assert.deepEqual(lines(checkAthenaWorkgroupEncryption(results({ encryptionOption: "SSE_S3" }), CMK)), [
        `violation: ${field} is "SSE_S3"${fix}`,
      ]);
      assert.deepEqual(lines(checkAthenaWorkgroupEncryption(results({}), CMK)), [
        `violation: ${field} is not set${fix}`,
      ]);
      assert.deepEqual(
        checkAthenaWorkgroupEncryption(results({ encryptionOption: "CSE_KMS", kmsKeyArn: KEY }), CMK),
        [],
      );
    });
  });

  describe("KMS key rotation", () => {
    const config = { maxRotationPeriodDays: 365 };

    it("skips each unknown input that decides it, naming the check", () => {
      assert.deepEqual(lines(checkKmsKeyRotation({ keyUsage: unknown("keyUsage") }, config)), [
        "skipped keyUsage: rotation of a symmetric key",
      ]);
      assert.deepEqual(
        lines(checkKmsKeyRotation({ customerMasterKeySpec: unknown("customerMasterKeySpec") }, config)),
        ["skipped customerMasterKeySpec: rotation of a symmetric key"],
      );
      assert.deepEqual(
        lines(checkKmsKeyRotation({ enableKeyRotation: unknown("enableKeyRotation") }, config)),
        ["skipped enableKeyRotation: key rotation is enabled"],
      );
      assert.deepEqual(
        lines(
          checkKmsKeyRotation(
            { enableKeyRotation: true, rotationPeriodInDays: unknown("rotationPeriodInDays") },
            config,
          ),
        ),
        ["skipped rotationPeriodInDays: rotation period at most 365 days"],
      );
    });

    it("asks a symmetric key in AWS's key store (the default) to rotate, and leaves keys that cannot alone", () => {
      assert.deepEqual(lines(checkKmsKeyRotation({}, config)), [
        "violation: enableKeyRotation is not set: set enableKeyRotation to true",
      ]);
      assert.deepEqual(
        lines(
          checkKmsKeyRotation(
            { keyUsage: "ENCRYPT_DECRYPT", customerMasterKeySpec: "SYMMETRIC_DEFAULT" },
            config,
          ),
        ),
        ["violation: enableKeyRotation is not set: set enableKeyRotation to true"],
      );
      for (const cannot of [
        { keyUsage: "SIGN_VERIFY" },
        { customerMasterKeySpec: "RSA_2048" },
        { customKeyStoreId: "cks-1234567890abcdef0" },
      ]) {
        assert.deepEqual(checkKmsKeyRotation(cannot, config), [], JSON.stringify(cannot));
      }
    });
  });
});

describe("S3 default encryption: which configuration covers which bucket, and each rule's message", () => {
  const BUCKET = "aws:s3/bucket:Bucket";
  const ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
  const kmsRule = { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY } };
  const NO_ENCRYPTION =
    ' has no default encryption configuration, so S3 falls back to SSE-S3: add an aws.s3.BucketServerSideEncryptionConfiguration for it with sseAlgorithm "aws:kms" and kmsMasterKeyId set to a customer managed key';
  let n = 0;
  const res = (
    type: string,
    name: string,
    inputs: InputObject,
    deps: { dependencyUrns?: string[]; propertyDependencyUrns?: Record<string, string[]> } = {},
  ): StackResource => ({
    type,
    name,
    urn: `urn:pulumi:dev::p::${type}::${name}-${n++}`,
    inputs,
    dependencyUrns: deps.dependencyUrns ?? [],
    propertyDependencyUrns: deps.propertyDependencyUrns ?? {},
  });
  const bucket = (name: string, inputs: InputObject = {}) => res(BUCKET, name, inputs);

  it("joins a configuration to its bucket by the bucket input's name, id or ARN, and only that bucket", () => {
    for (const key of ["bucket", "id", "arn"]) {
      const lake = bucket("lake", { [key]: `lake-${key}` });
      const other = bucket("other", { [key]: `other-${key}` });
      const encryption = res(ENCRYPTION, "enc", { bucket: `lake-${key}`, rules: [kmsRule] });
      assert.deepEqual(lines(checkBucketEncryption([lake, other, encryption], CMK)), [
        `violation: Bucket 'other'${NO_ENCRYPTION}`,
      ]);
    }
  });

  it("joins by the bucket input's dependency, then by a resource dependency; a value matching no bucket covers none", () => {
    const lake = bucket("lake");
    const viaInput = res(
      ENCRYPTION,
      "enc",
      { bucket: "x", rules: [kmsRule] },
      { propertyDependencyUrns: { bucket: [lake.urn] } },
    );
    assert.deepEqual(checkBucketEncryption([lake, viaInput], CMK), []);
    const viaDependency = res(
      ENCRYPTION,
      "enc",
      { bucket: "no-such-bucket", rules: [kmsRule] },
      { dependencyUrns: [lake.urn] },
    );
    assert.deepEqual(checkBucketEncryption([lake, viaDependency], CMK), []);
    const nowhere = res(ENCRYPTION, "enc", { bucket: "no-such-bucket", rules: [kmsRule] });
    assert.deepEqual(lines(checkBucketEncryption([lake, nowhere], CMK)), [
      `violation: Bucket 'lake'${NO_ENCRYPTION}`,
    ]);
  });

  it("skips a bucket while a configuration's bucket is unknown and joined to nothing else", () => {
    const lake = bucket("lake");
    const pending = res(ENCRYPTION, "enc", { bucket: unknown("bucket"), rules: [kmsRule] });
    assert.deepEqual(lines(checkBucketEncryption([lake, pending], CMK)), [
      "skipped bucket: Bucket 'lake' has a KMS default encryption configuration",
    ]);
  });

  it("reads the deprecated inline configurations (single and list), skipping what is unknown", () => {
    const single = bucket("single", { serverSideEncryptionConfiguration: { rule: kmsRule } });
    const list = bucket("list", { serverSideEncryptionConfigurations: [{ rules: [kmsRule] }] });
    assert.deepEqual(checkBucketEncryption([single, list], CMK), []);
    const unknownSingle = bucket("u1", {
      serverSideEncryptionConfiguration: unknown("serverSideEncryptionConfiguration"),
    });
    const unknownRule = bucket("u2", {
      serverSideEncryptionConfiguration: { rule: unknown("serverSideEncryptionConfiguration.rule") },
    });
    const unknownList = bucket("u3", {
      serverSideEncryptionConfigurations: unknown("serverSideEncryptionConfigurations"),
    });
    assert.deepEqual(lines(checkBucketEncryption([unknownSingle, unknownRule, unknownList], CMK)), [
      "skipped serverSideEncryptionConfiguration: Bucket 'u1' default encryption uses aws:kms",
      "skipped serverSideEncryptionConfiguration.rule: Bucket 'u2' default encryption uses aws:kms",
      "skipped serverSideEncryptionConfigurations: Bucket 'u3' default encryption uses aws:kms",
    ]);
    assert.deepEqual(
      lines(checkBucketEncryption([bucket("empty", { serverSideEncryptionConfiguration: {} })], CMK)),
      [
        "violation: Bucket 'empty': serverSideEncryptionConfiguration.rule is empty: add a rule with sseAlgorithm \"aws:kms\"",
      ],
    );
    assert.deepEqual(
      lines(checkBucketEncryption([bucket("none", { serverSideEncryptionConfigurations: [] })], CMK)),
      [`violation: Bucket 'none'${NO_ENCRYPTION}`],
    );
    assert.deepEqual(
      lines(checkBucketEncryption([bucket("norules", { serverSideEncryptionConfigurations: [{}] })], CMK)),
      [
        "violation: Bucket 'norules': serverSideEncryptionConfigurations[0].rules is empty: add a rule with sseAlgorithm \"aws:kms\"",
      ],
    );
  });

  it("does not let a configuration without a bucket input cover the buckets that have no name either", () => {
    const lake = bucket("lake");
    const noTarget = res(ENCRYPTION, "enc", { rules: [kmsRule] });
    assert.deepEqual(checkBucketEncryption([lake, noTarget], CMK), [
      { kind: "violation", message: `Bucket 'lake'${NO_ENCRYPTION}`, urn: lake.urn },
    ]);
  });

  it("joins a configuration whose bucket is unknown to the bucket it depends on, instead of skipping", () => {
    const lake = bucket("lake");
    const other = bucket("other");
    const pending = res(
      ENCRYPTION,
      "enc",
      { bucket: unknown("bucket"), rules: [kmsRule] },
      { dependencyUrns: [lake.urn] },
    );
    assert.deepEqual(checkBucketEncryption([lake, other, pending], CMK), [
      { kind: "violation", message: `Bucket 'other'${NO_ENCRYPTION}`, urn: other.urn },
    ]);
  });

  it("rejects an empty rules list, on the configuration resource and on the deprecated inline list", () => {
    const lake = bucket("lake");
    const empty = res(
      ENCRYPTION,
      "enc",
      { bucket: "x", rules: [] },
      { propertyDependencyUrns: { bucket: [lake.urn] } },
    );
    const inline = bucket("legacy", { serverSideEncryptionConfigurations: [{ rules: [] }] });
    const fix = 'is empty: add a rule with sseAlgorithm "aws:kms"';
    assert.deepEqual(checkBucketEncryption([lake, empty, inline], CMK), [
      {
        kind: "violation",
        message: `BucketServerSideEncryptionConfiguration 'enc': rules ${fix}`,
        urn: empty.urn,
      },
      {
        kind: "violation",
        message: `Bucket 'legacy': serverSideEncryptionConfigurations[0].rules ${fix}`,
        urn: inline.urn,
      },
    ]);
  });

  it("knows the V2 bucket and configuration types", () => {
    const v2 = res("aws:s3/bucketV2:BucketV2", "v2", {});
    assert.deepEqual(lines(checkBucketEncryption([v2], CMK)), [`violation: BucketV2 'v2'${NO_ENCRYPTION}`]);
    const sse = res(
      "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
      "enc",
      { bucket: "x", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      { propertyDependencyUrns: { bucket: [v2.urn] } },
    );
    assert.deepEqual(lines(checkBucketEncryption([v2, sse], CMK)), [
      'violation: BucketServerSideEncryptionConfigurationV2 \'enc\': rules[0].applyServerSideEncryptionByDefault.sseAlgorithm is "AES256": set it to "aws:kms" with kmsMasterKeyId set to a customer managed key',
    ]);
  });

  it("names each rule's algorithm and key by its index, skips an unknown algorithm, and accepts DSSE", () => {
    const lake = bucket("lake");
    const algorithm = "applyServerSideEncryptionByDefault.sseAlgorithm";
    const encryption = res(
      ENCRYPTION,
      "enc",
      {
        bucket: "x",
        rules: [
          { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
          { applyServerSideEncryptionByDefault: {} },
          { applyServerSideEncryptionByDefault: { sseAlgorithm: unknown(algorithm) } },
          { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse", kmsMasterKeyId: KEY } },
          { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } },
        ],
      },
      { propertyDependencyUrns: { bucket: [lake.urn] } },
    );
    const fix = 'to "aws:kms" with kmsMasterKeyId set to a customer managed key';
    assert.deepEqual(lines(checkBucketEncryption([lake, encryption], CMK)), [
      `violation: BucketServerSideEncryptionConfiguration 'enc': rules[0].applyServerSideEncryptionByDefault.sseAlgorithm is "AES256": set it ${fix}`,
      `violation: BucketServerSideEncryptionConfiguration 'enc': rules[1].applyServerSideEncryptionByDefault.sseAlgorithm is not set: set it ${fix}`,
      `skipped ${algorithm}: BucketServerSideEncryptionConfiguration 'enc' default encryption uses aws:kms`,
      "violation: BucketServerSideEncryptionConfiguration 'enc': rules[4].applyServerSideEncryptionByDefault.kmsMasterKeyId is not set, so AWS uses its own key: set it to the ARN of a customer managed KMS key",
    ]);
    assert.deepEqual(
      lines(checkBucketEncryption([lake, encryption], { allowAwsManagedKeys: true })).filter((l) =>
        l.includes("rules[4]"),
      ),
      [],
      "with AWS managed keys allowed, no key means alias/aws/s3",
    );
    const findings = checkBucketEncryption([lake, encryption], CMK);
    assert.ok(
      findings.every((f) => f.kind !== "violation" || f.urn === encryption.urn),
      "violations are reported against the configuration",
    );
  });
});
