import * as assert from "assert";
import { firehoseDestinationConfig } from "../../policy/policies/firehose-destination-config";
import { directPutS3Stream, httpEndpointStream, redshiftStream } from "./fixtures";
import { patched } from "./helpers";
import { itPassesEveryValidStream, streamViolations } from "./stream-policy";

const STREAM = "FirehoseDeliveryStream 'events': ";

function violationsOf(props: Record<string, unknown>, config = {}) {
  return streamViolations(firehoseDestinationConfig, props, config);
}

describe("firehose-destination-config", () => {
  itPassesEveryValidStream(firehoseDestinationConfig);

  it("rejects the camelCase destination `extendedS3` and names the value the provider takes", async () => {
    const stream = patched(directPutS3Stream(), { destination: "extendedS3" });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}destination is "extendedS3", which the provider rejects: use "extended_s3" (the provider's ` +
        "snake_case name)",
    ]);
  });

  it("rejects a destination that is not set", async () => {
    const stream = patched(directPutS3Stream(), { destination: undefined });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}destination is not set: use one of extended_s3, redshift, opensearch, opensearchserverless, ` +
        "http_endpoint, splunk, snowflake, iceberg, elasticsearch",
    ]);
  });

  it("rejects a destination without its configuration block", async () => {
    const stream = patched(directPutS3Stream(), { destination: "opensearch" });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}destination is "opensearch" but opensearchConfiguration is not set: add the ` +
        "opensearchConfiguration block",
    ]);
  });

  it("rejects a destination the organisation does not use", async () => {
    const config = { "firehose-destination-config": { allowedDestinations: ["extended_s3", "redshift"] } };
    assert.deepEqual(await violationsOf(httpEndpointStream(), config), [
      `${STREAM}destination "http_endpoint" is not one the organisation allows: use one of extended_s3, redshift`,
    ]);
  });

  it("rejects a retry duration above 7200 s", async () => {
    const stream = patched(redshiftStream(), { redshiftConfiguration: { retryDuration: 10800 } });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}redshiftConfiguration.retryDuration is 10800 s; AWS accepts 0-7200 s: set it within that range`,
    ]);
  });

  it("rejects processors whose processing configuration is not enabled", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { processingConfiguration: { enabled: undefined } },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.processingConfiguration.enabled is not set, so its processors never ` +
        "run: set enabled: true",
    ]);
  });

  it("rejects a Lambda processor without LambdaArn", async () => {
    const stream = directPutS3Stream();
    stream.extendedS3Configuration.processingConfiguration.processors[0].parameters.splice(0, 1);
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.processingConfiguration.processors[0] is a Lambda processor without a ` +
        "LambdaArn parameter: add it",
    ]);
  });

  it("rejects an unknown processor type", async () => {
    const stream = directPutS3Stream();
    stream.extendedS3Configuration.processingConfiguration.processors[0].type = "Transform";
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.processingConfiguration.processors[0].type is "Transform": use one of ` +
        "RecordDeAggregation, Lambda, MetadataExtraction, AppendDelimiterToRecord, Decompression, " +
        "CloudWatchLogProcessing",
    ]);
  });
});
