// The stream shape every Firehose policy reads (policy/rules/firehose-destinations.ts): each destination's block
// under the provider's key, the role of each S3 configuration in it, and the stream's source.
import * as assert from "assert";
import { InputObject, isUnknown, readInputs } from "../../policy/lib/unknown-values";
import { firehoseEncryption } from "../../policy/policies/firehose-encryption";
import { destinationBlocks, s3Configurations, sourceOf } from "../../policy/rules/firehose-destinations";
import { directPutS3Stream } from "./fixtures";
import { patched, UNKNOWN } from "./helpers";
import { streamViolations } from "./stream-policy";

const MSK_SOURCE = {
  mskClusterArn: "arn:aws:kafka:eu-west-1:123456789012:cluster/events/1111aaaa-2222-bbbb-3333-cccc4444dddd-1",
  topicName: "events",
  authenticationConfiguration: {
    connectivity: "PRIVATE",
    roleArn: "arn:aws:iam::123456789012:role/firehose",
  },
};

describe("Firehose stream shape", () => {
  it("finds each destination's configuration block under the provider's key", () => {
    const inputs: InputObject = {
      extendedS3Configuration: {},
      redshiftConfiguration: {},
      opensearchConfiguration: {},
      opensearchserverlessConfiguration: {},
      httpEndpointConfiguration: {},
      splunkConfiguration: {},
      snowflakeConfiguration: {},
      icebergConfiguration: {},
      elasticsearchConfiguration: {},
    };
    assert.deepEqual(
      destinationBlocks(inputs).map((block) => [block.destination, block.path]),
      [
        ["extended_s3", "extendedS3Configuration"],
        ["redshift", "redshiftConfiguration"],
        ["opensearch", "opensearchConfiguration"],
        ["opensearchserverless", "opensearchserverlessConfiguration"],
        ["http_endpoint", "httpEndpointConfiguration"],
        ["splunk", "splunkConfiguration"],
        ["snowflake", "snowflakeConfiguration"],
        ["iceberg", "icebergConfiguration"],
        ["elasticsearch", "elasticsearchConfiguration"],
      ],
    );
  });

  it("names each S3 configuration's role: delivery, Redshift staging, failed data or backup", () => {
    const inputs: InputObject = {
      extendedS3Configuration: { s3BackupConfiguration: {} },
      redshiftConfiguration: { s3Configuration: {}, s3BackupConfiguration: {} },
      splunkConfiguration: { s3Configuration: {} },
    };
    assert.deepEqual(
      s3Configurations(inputs).map((s3) => [s3.role, s3.path]),
      [
        ["delivery", "extendedS3Configuration"],
        ["backup", "extendedS3Configuration.s3BackupConfiguration"],
        ["staging", "redshiftConfiguration.s3Configuration"],
        ["backup", "redshiftConfiguration.s3BackupConfiguration"],
        ["failed-data", "splunkConfiguration.s3Configuration"],
      ],
    );
  });

  describe("the stream's source", () => {
    it("is Direct PUT, a Kinesis data stream or MSK", () => {
      assert.equal(sourceOf({}), "direct-put");
      assert.equal(sourceOf({ kinesisSourceConfiguration: { kinesisStreamArn: "arn" } }), "kinesis");
      assert.equal(sourceOf({ mskSourceConfiguration: MSK_SOURCE }), "msk");
    });

    it("is unknown at preview while either source configuration is", () => {
      for (const key of ["kinesisSourceConfiguration", "mskSourceConfiguration"]) {
        const source = sourceOf(readInputs({ [key]: UNKNOWN }));
        assert.ok(isUnknown(source) && source.path === key, `${key}: ${JSON.stringify(source)}`);
      }
    });

    it("lets firehose-encryption reject server-side encryption on a stream that reads from MSK", async () => {
      const stream = patched(directPutS3Stream(), { mskSourceConfiguration: MSK_SOURCE });
      assert.deepEqual(await streamViolations(firehoseEncryption, stream), [
        "FirehoseDeliveryStream 'events': serverSideEncryption.enabled is true on a stream that reads from an MSK " +
          "cluster; AWS accepts server-side encryption only for Direct PUT streams: remove serverSideEncryption " +
          "and encrypt the source with KMS",
      ]);
    });
  });
});
