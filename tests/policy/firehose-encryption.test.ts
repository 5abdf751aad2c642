import * as assert from "assert";
import { firehoseEncryption } from "../../policy/policies/firehose-encryption";
import { directPutS3Stream, openSearchStream, partitionedParquetStream } from "./fixtures";
import { KEY_ARN, patched, UNKNOWN } from "./helpers";
import { itPassesEveryValidStream, streamViolations } from "./stream-policy";

const STREAM = "FirehoseDeliveryStream 'events': ";
const PREVIEW =
  "can't run policy 'firehose-encryption' during preview: not checked until the values are known at deployment: ";
const SSE_FIX =
  'set serverSideEncryption to { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: <ARN of a customer ' +
  "managed key> }";
const CMK = { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: KEY_ARN };

function violationsOf(
  props: Record<string, unknown>,
  config = {},
  level: "mandatory" | "advisory" = "mandatory",
) {
  return streamViolations(firehoseEncryption, props, config, level);
}

/** The Parquet stream, reading from an MSK topic instead of a Kinesis data stream. */
function mskStream() {
  return patched(partitionedParquetStream(), {
    kinesisSourceConfiguration: undefined,
    mskSourceConfiguration: {
      mskClusterArn:
        "arn:aws:kafka:eu-west-1:123456789012:cluster/events/abcd1234-ab12-cd34-ef56-abcdef123456-1",
      topicName: "events",
      authenticationConfiguration: {
        connectivity: "PRIVATE",
        roleArn: "arn:aws:iam::123456789012:role/firehose",
      },
    },
  });
}

describe("firehose-encryption", () => {
  itPassesEveryValidStream(firehoseEncryption);

  it("passes a stream that reads from MSK without server-side encryption", async () => {
    assert.deepEqual(await violationsOf(mskStream()), []);
  });

  it("rejects server-side encryption on a stream that reads from MSK (AWS rejects it)", async () => {
    assert.deepEqual(await violationsOf(patched(mskStream(), { serverSideEncryption: CMK })), [
      `${STREAM}serverSideEncryption.enabled is true on a stream that reads from an MSK cluster; AWS accepts ` +
        "server-side encryption only for Direct PUT streams: remove serverSideEncryption and encrypt the source " +
        "with KMS",
    ]);
  });

  it("takes an enabled server-side encryption without keyType to use AWS's own key", async () => {
    const stream = patched(directPutS3Stream(), {
      serverSideEncryption: { keyType: undefined, keyArn: undefined },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}serverSideEncryption.keyType is "AWS_OWNED_CMK", not "CUSTOMER_MANAGED_CMK": ${SSE_FIX}`,
    ]);
  });

  it("accepts an AWS owned key on a Direct PUT stream when config does not require a customer managed one", async () => {
    const stream = patched(directPutS3Stream(), {
      serverSideEncryption: { keyType: "AWS_OWNED_CMK", keyArn: undefined },
    });
    const config = { "firehose-encryption": { requireCustomerManagedKey: false } };
    assert.deepEqual(await violationsOf(stream, config), []);
  });

  it("rejects an AWS managed key for server-side encryption, even when config accepts one for S3", async () => {
    const managed = "arn:aws:kms:eu-west-1:123456789012:alias/aws/firehose";
    const stream = patched(directPutS3Stream(), { serverSideEncryption: { keyArn: managed } });
    const config = { "firehose-encryption": { allowAwsManagedKeys: true } };
    assert.deepEqual(await violationsOf(stream, config), [
      `${STREAM}serverSideEncryption.keyArn is "${managed}", an AWS managed key: set it to the ARN of a customer ` +
        "managed KMS key",
    ]);
  });

  it("notes a source configuration that is unknown at preview", async () => {
    const stream = patched(partitionedParquetStream(), { kinesisSourceConfiguration: UNKNOWN });
    assert.deepEqual(await violationsOf(stream), []);
    assert.deepEqual(await violationsOf(stream, {}, "advisory"), [
      `${PREVIEW}kinesisSourceConfiguration (server-side encryption suits the stream's source)`,
    ]);
  });

  it("notes server-side encryption switched by a value unknown at preview, on a Kinesis-sourced stream", async () => {
    const stream = patched(partitionedParquetStream(), { serverSideEncryption: { enabled: UNKNOWN } });
    assert.deepEqual(await violationsOf(stream), []);
    assert.deepEqual(await violationsOf(stream, {}, "advisory"), [
      `${PREVIEW}serverSideEncryption.enabled (no server-side encryption on a stream with a source stream)`,
    ]);
  });

  it("notes server-side encryption switched by a value unknown at preview, on a Direct PUT stream", async () => {
    const stream = patched(directPutS3Stream(), { serverSideEncryption: { enabled: UNKNOWN } });
    assert.deepEqual(await violationsOf(stream), []);
    assert.deepEqual(await violationsOf(stream, {}, "advisory"), [
      `${PREVIEW}serverSideEncryption.enabled (server-side encryption is enabled)`,
    ]);
  });

  it("notes a keyType that is unknown at preview", async () => {
    const stream = patched(directPutS3Stream(), { serverSideEncryption: { keyType: UNKNOWN } });
    assert.deepEqual(await violationsOf(stream), []);
    assert.deepEqual(await violationsOf(stream, {}, "advisory"), [
      `${PREVIEW}serverSideEncryption.keyType (server-side encryption uses a customer managed key)`,
    ]);
  });

  it("notes an S3 configuration that is unknown at preview", async () => {
    const stream = patched(openSearchStream(), { opensearchConfiguration: { s3Configuration: UNKNOWN } });
    assert.deepEqual(await violationsOf(stream), []);
    assert.deepEqual(await violationsOf(stream, {}, "advisory"), [
      `${PREVIEW}opensearchConfiguration.s3Configuration (kmsKeyArn is set)`,
    ]);
  });
});
