import * as assert from "assert";
import { athenaWorkgroupEncryption } from "../../policy/policies/athena-workgroup-encryption";
import { firehoseEncryption } from "../../policy/policies/firehose-encryption";
import { kinesisStreamEncryption } from "../../policy/policies/kinesis-stream-encryption";
import { kmsKeyRotation } from "../../policy/policies/kms-key-rotation";
import { logGroupEncryption } from "../../policy/policies/log-group-encryption";
import { openSearchDomainEncryption } from "../../policy/policies/opensearch-domain-encryption";
import { redshiftEncryption } from "../../policy/policies/redshift-encryption";
import { s3BucketKmsEncryption } from "../../policy/policies/s3-bucket-kms-encryption";
import { secretEncryption } from "../../policy/policies/secret-encryption";
import { snsTopicEncryption } from "../../policy/policies/sns-topic-encryption";
import * as fixtures from "./fixtures";
import { evaluate, KEY_ARN, messagesOf, patched, resource, TYPES, UNKNOWN } from "./helpers";

const STREAM = "FirehoseDeliveryStream 'events': ";
const CMK_FIX = "set it to the ARN of a customer managed KMS key";

describe("firehose-encryption", () => {
  const violationsOf = (props: Record<string, unknown>, level: "mandatory" | "advisory" = "mandatory") =>
    messagesOf(evaluate(firehoseEncryption, resource(TYPES.stream, props, "events")), level);

  it("passes Direct PUT streams with a CMK and a Kinesis-sourced stream without server-side encryption", async () => {
    for (const stream of [
      fixtures.directPutS3Stream(),
      fixtures.partitionedParquetStream(),
      fixtures.redshiftStream(),
      fixtures.openSearchStream(),
      fixtures.httpEndpointStream(),
    ]) {
      assert.deepEqual(await evaluate(firehoseEncryption, resource(TYPES.stream, stream)), []);
    }
  });

  it("rejects a Direct PUT stream without server-side encryption", async () => {
    const stream = patched(fixtures.directPutS3Stream(), { serverSideEncryption: undefined });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}serverSideEncryption.enabled is not set on a Direct PUT stream: set serverSideEncryption to ` +
        '{ enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: <ARN of a customer managed key> }',
    ]);
  });

  it("rejects an AWS owned key on a Direct PUT stream", async () => {
    const stream = patched(fixtures.directPutS3Stream(), {
      serverSideEncryption: { keyType: "AWS_OWNED_CMK", keyArn: undefined },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}serverSideEncryption.keyType is "AWS_OWNED_CMK", not "CUSTOMER_MANAGED_CMK": set ` +
        'serverSideEncryption to { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: <ARN of a customer ' +
        "managed key> }",
    ]);
  });

  it("rejects a key alias where Firehose needs a key ARN", async () => {
    const alias = "arn:aws:kms:eu-west-1:123456789012:alias/lake";
    const stream = patched(fixtures.directPutS3Stream(), { serverSideEncryption: { keyArn: alias } });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}serverSideEncryption.keyArn is "${alias}", which is not a KMS key ARN ` +
        "(arn:aws:kms:<region>:<account>:key/<id>); aliases and key ids are rejected here: set it to the ARN of " +
        "a customer managed KMS key",
    ]);
  });

  it("notes a key ARN that is unknown at preview, since it could still be an alias", async () => {
    const stream = patched(fixtures.directPutS3Stream(), { serverSideEncryption: { keyArn: UNKNOWN } });
    assert.deepEqual(await violationsOf(stream), []);
    assert.deepEqual(await violationsOf(stream, "advisory"), [
      "can't run policy 'firehose-encryption' during preview: not checked until the values are known at " +
        "deployment: serverSideEncryption.keyArn (a KMS key ARN, not an alias)",
    ]);
  });

  it("rejects server-side encryption on a stream that reads from Kinesis (AWS rejects it)", async () => {
    const stream = patched(fixtures.partitionedParquetStream(), {
      serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: KEY_ARN },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}serverSideEncryption.enabled is true on a stream that reads from a Kinesis data stream; AWS ` +
        "accepts server-side encryption only for Direct PUT streams: remove serverSideEncryption and encrypt the " +
        "source with KMS",
    ]);
  });

  it("rejects an S3 configuration without kmsKeyArn, including the S3 configuration of other destinations", async () => {
    const stream = patched(fixtures.openSearchStream(), {
      opensearchConfiguration: { s3Configuration: { kmsKeyArn: undefined } },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}opensearchConfiguration.s3Configuration.kmsKeyArn is not set, so AWS uses its own key: set it to ` +
        "the ARN of a customer managed KMS key so Firehose writes every object with it",
    ]);
  });

  it("rejects Redshift staging without kmsKeyArn", async () => {
    const stream = patched(fixtures.redshiftStream(), {
      redshiftConfiguration: { s3Configuration: { kmsKeyArn: undefined } },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}redshiftConfiguration.s3Configuration.kmsKeyArn is not set, so AWS uses its own key: set it to ` +
        "the ARN of a customer managed KMS key so Firehose writes every object with it",
    ]);
  });

  it("accepts a kmsKeyArn that is unknown at preview: it comes from a key this deployment creates", async () => {
    const stream = patched(fixtures.directPutS3Stream(), { extendedS3Configuration: { kmsKeyArn: UNKNOWN } });
    assert.deepEqual(await evaluate(firehoseEncryption, resource(TYPES.stream, stream)), []);
  });
});

describe("s3-bucket-kms-encryption", () => {
  const bucket = resource(TYPES.bucket, { bucket: "lake-bucket" }, "lake");
  const encryption = (props: Record<string, unknown>, links = {}) =>
    resource(TYPES.bucketEncryption, props, "lake-encryption", links);
  const violationsOf = async (
    resources: ReturnType<typeof resource>[],
    level: "mandatory" | "advisory" = "mandatory",
  ) =>
    (await evaluate(s3BucketKmsEncryption, resources))
      .filter((v) => v.level === level)
      .map((v) => [v.urn, v.message]);

  it("joins a bucket to its encryption configuration by name, by id, or by dependency", async () => {
    assert.deepEqual(await violationsOf([bucket, encryption(fixtures.bucketEncryption("lake-bucket"))]), []);
    const byId = resource(TYPES.bucket, { id: "lake-bucket-id" }, "lake");
    assert.deepEqual(await violationsOf([byId, encryption(fixtures.bucketEncryption("lake-bucket-id"))]), []);
    const unknownName = encryption(fixtures.bucketEncryption(UNKNOWN), {
      propertyDependencies: { bucket: [bucket.urn] },
    });
    assert.deepEqual(await violationsOf([bucket, unknownName], "advisory"), []);
  });

  it("rejects a bucket with no encryption configuration", async () => {
    assert.deepEqual(await violationsOf([bucket]), [
      [
        bucket.urn,
        "Bucket 'lake' has no default encryption configuration, so S3 falls back to SSE-S3: add an " +
          'aws.s3.BucketServerSideEncryptionConfiguration for it with sseAlgorithm "aws:kms" and kmsMasterKeyId ' +
          "set to a customer managed key",
      ],
    ]);
  });

  it("rejects SSE-S3 (AES256) default encryption, reported on the configuration resource", async () => {
    const aes = encryption({
      bucket: "lake-bucket",
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    assert.deepEqual(await violationsOf([bucket, aes]), [
      [
        aes.urn,
        "BucketServerSideEncryptionConfiguration 'lake-encryption': rules[0].applyServerSideEncryptionByDefault." +
          'sseAlgorithm is "AES256": set it to "aws:kms" with kmsMasterKeyId set to a customer managed key',
      ],
    ]);
  });

  it("rejects aws:kms without a customer managed key", async () => {
    const awsManaged = encryption({
      bucket: "lake-bucket",
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }],
    });
    assert.deepEqual(await violationsOf([bucket, awsManaged]), [
      [
        awsManaged.urn,
        "BucketServerSideEncryptionConfiguration 'lake-encryption': rules[0].applyServerSideEncryptionByDefault." +
          `kmsMasterKeyId is not set, so AWS uses its own key: ${CMK_FIX}`,
      ],
    ]);
  });

  it("notes, rather than rejects, a bucket whose configuration targets an unknown bucket", async () => {
    const unlinked = encryption(fixtures.bucketEncryption(UNKNOWN));
    assert.deepEqual(await violationsOf([bucket, unlinked]), []);
    assert.deepEqual(await violationsOf([bucket, unlinked], "advisory"), [
      [
        undefined,
        "can't run policy 's3-bucket-kms-encryption' during preview: not checked until the values are known at " +
          "deployment: bucket (Bucket 'lake' has a KMS default encryption configuration)",
      ],
    ]);
  });

  it("accepts encryption declared inline on the bucket", async () => {
    const inline = resource(
      TYPES.bucket,
      {
        bucket: "legacy",
        serverSideEncryptionConfiguration: {
          rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN } },
        },
      },
      "legacy",
    );
    assert.deepEqual(await violationsOf([inline]), []);
  });
});

describe("encryption of the other services", () => {
  const cases = [
    {
      policy: kinesisStreamEncryption,
      type: TYPES.kinesisStream,
      valid: fixtures.kinesisStream(),
      change: "encryptionType NONE",
      invalid: { encryptionType: "NONE" },
      message:
        'Stream \'subject\': encryptionType is "NONE": set encryptionType to "KMS" and kmsKeyId to a customer managed key',
    },
    {
      policy: kinesisStreamEncryption,
      type: TYPES.kinesisStream,
      valid: fixtures.kinesisStream(),
      change: "an AWS managed kmsKeyId",
      invalid: { kmsKeyId: "alias/aws/kinesis" },
      message: `Stream 'subject': kmsKeyId is "alias/aws/kinesis", an AWS managed key: ${CMK_FIX}`,
    },
    {
      policy: snsTopicEncryption,
      type: TYPES.topic,
      valid: fixtures.snsTopic(),
      change: "no kmsMasterKeyId",
      invalid: { kmsMasterKeyId: undefined },
      message: `Topic 'subject': kmsMasterKeyId is not set, so AWS uses its own key: ${CMK_FIX}`,
    },
    {
      policy: logGroupEncryption,
      type: TYPES.logGroup,
      valid: fixtures.logGroup(),
      change: "no kmsKeyId",
      invalid: { kmsKeyId: undefined },
      message:
        `LogGroup 'subject': kmsKeyId is not set, so AWS uses its own key: ${CMK_FIX} (the key policy must allow ` +
        "the logs service principal)",
    },
    {
      policy: secretEncryption,
      type: TYPES.secret,
      valid: fixtures.secret(),
      change: "an AWS managed kmsKeyId",
      invalid: { kmsKeyId: "alias/aws/secretsmanager" },
      message: `Secret 'subject': kmsKeyId is "alias/aws/secretsmanager", an AWS managed key: ${CMK_FIX}`,
    },
    {
      policy: openSearchDomainEncryption,
      type: TYPES.domain,
      valid: fixtures.openSearchDomain(),
      change: "encryption at rest disabled",
      invalid: { encryptAtRest: { enabled: false } },
      message:
        "Domain 'subject': encryptAtRest.enabled is false: set encryptAtRest to { enabled: true, kmsKeyId: <ARN " +
        "of a customer managed key> }",
    },
    {
      policy: openSearchDomainEncryption,
      type: TYPES.domain,
      valid: fixtures.openSearchDomain(),
      change: "no node-to-node encryption",
      invalid: { nodeToNodeEncryption: undefined },
      message:
        "Domain 'subject': nodeToNodeEncryption.enabled is not set: set it to true so data is encrypted between " +
        "the domain's nodes",
    },
    {
      policy: redshiftEncryption,
      type: TYPES.cluster,
      valid: fixtures.redshiftCluster(),
      change: "an unencrypted cluster",
      invalid: { encrypted: "false", kmsKeyId: undefined },
      message:
        'Cluster \'subject\': encrypted is "false": set encrypted to "true" and kmsKeyId to a customer managed key',
    },
    {
      policy: redshiftEncryption,
      type: TYPES.cluster,
      valid: fixtures.redshiftCluster(),
      change: "a cluster without kmsKeyId",
      invalid: { kmsKeyId: undefined },
      message: `Cluster 'subject': kmsKeyId is not set, so AWS uses its own key: ${CMK_FIX}`,
    },
    {
      policy: redshiftEncryption,
      type: TYPES.namespace,
      valid: fixtures.redshiftNamespace(),
      change: "a namespace without kmsKeyId",
      invalid: { kmsKeyId: undefined },
      message: `Namespace 'subject': kmsKeyId is not set, so AWS uses its own key: ${CMK_FIX}`,
    },
    {
      policy: athenaWorkgroupEncryption,
      type: TYPES.athenaWorkgroup,
      valid: fixtures.athenaWorkgroup(),
      change: "SSE_S3 query results",
      invalid: {
        configuration: { resultConfiguration: { encryptionConfiguration: { encryptionOption: "SSE_S3" } } },
      },
      message:
        "Workgroup 'subject': configuration.resultConfiguration.encryptionConfiguration.encryptionOption is " +
        '"SSE_S3": set it to "SSE_KMS" (or CSE_KMS) with kmsKeyArn set to a customer managed key, so query ' +
        "results are encrypted",
    },
    {
      policy: athenaWorkgroupEncryption,
      type: TYPES.athenaWorkgroup,
      valid: fixtures.athenaWorkgroup(),
      change: "query results without kmsKeyArn",
      invalid: {
        configuration: { resultConfiguration: { encryptionConfiguration: { kmsKeyArn: undefined } } },
      },
      message:
        "Workgroup 'subject': configuration.resultConfiguration.encryptionConfiguration.kmsKeyArn is not set, so " +
        `AWS uses its own key: ${CMK_FIX}`,
    },
  ];

  for (const { policy, type, valid, change, invalid, message } of cases) {
    it(`${policy.name}: rejects ${change}`, async () => {
      assert.deepEqual(await evaluate(policy, resource(type, valid)), []);
      assert.deepEqual(await messagesOf(evaluate(policy, resource(type, patched(valid, invalid)))), [
        message,
      ]);
    });
  }

  it("accepts AWS managed keys when a policy's config allows them", async () => {
    const topic = patched(fixtures.snsTopic(), { kmsMasterKeyId: "alias/aws/sns" });
    const config = { "sns-topic-encryption": { allowAwsManagedKeys: true } };
    assert.deepEqual(await evaluate(snsTopicEncryption, resource(TYPES.topic, topic), config), []);
  });
});

describe("kms-key-rotation", () => {
  const advisories = (props: Record<string, unknown>, config = {}) =>
    messagesOf(evaluate(kmsKeyRotation, resource(TYPES.kmsKey, props, "lake-key"), config), "advisory");

  it("passes a rotating key and skips asymmetric keys, which cannot rotate", async () => {
    assert.deepEqual(await advisories(fixtures.kmsKey()), []);
    const signing = { keyUsage: "SIGN_VERIFY", customerMasterKeySpec: "RSA_2048" };
    assert.deepEqual(await advisories(signing), []);
  });

  it("flags a symmetric key without rotation", async () => {
    assert.deepEqual(await advisories(patched(fixtures.kmsKey(), { enableKeyRotation: undefined })), [
      "Key 'lake-key': enableKeyRotation is not set: set enableKeyRotation to true",
    ]);
  });

  it("flags a rotation period longer than configured", async () => {
    const key = patched(fixtures.kmsKey(), { rotationPeriodInDays: 730 });
    assert.deepEqual(await advisories(key), [
      "Key 'lake-key': rotationPeriodInDays is 730: set it to at most 365 (the organisation's longest rotation period)",
    ]);
    assert.deepEqual(await advisories(key, { "kms-key-rotation": { maxRotationPeriodDays: 730 } }), []);
  });
});
