import * as assert from "assert";
import { firehosePrefixTrailingSlash } from "../../policy/policies/firehose-prefix-trailing-slash";
import * as fixtures from "./fixtures";
import { evaluate, messagesOf, patched, resource, TYPES, UNKNOWN } from "./helpers";

const advisories = (stream: Record<string, unknown>, config = {}) =>
  messagesOf(
    evaluate(firehosePrefixTrailingSlash, resource(TYPES.stream, stream), {
      "firehose-prefix-trailing-slash": config,
    }),
    "advisory",
  );

const withS3 = (patch: Record<string, unknown>) =>
  patched(fixtures.directPutS3Stream(), { extendedS3Configuration: patch });

describe("firehose-prefix-trailing-slash (advisory)", () => {
  it("passes prefixes that end in '/', and every S3 configuration of the happy-path streams", async () => {
    for (const stream of [
      fixtures.directPutS3Stream(),
      fixtures.partitionedParquetStream(),
      fixtures.redshiftStream(),
      fixtures.openSearchStream(),
      fixtures.httpEndpointStream(),
    ]) {
      assert.deepEqual(await advisories(stream), []);
    }
  });

  it("flags a data prefix that ends inside a folder name", async () => {
    assert.deepEqual(await advisories(withS3({ prefix: "data/events" })), [
      'FirehoseDeliveryStream \'subject\': extendedS3Configuration.prefix "data/events" does not end in "/", so ' +
        'Firehose appends the object name to its last segment instead of writing into a folder: write "data/events/"',
    ]);
  });

  it("flags an error prefix, and the S3 configuration of another destination", async () => {
    assert.deepEqual(
      await advisories(withS3({ errorOutputPrefix: "errors/!{firehose:error-output-type}/x" })),
      [
        "FirehoseDeliveryStream 'subject': extendedS3Configuration.errorOutputPrefix " +
          '"errors/!{firehose:error-output-type}/x" does not end in "/", so Firehose appends the object name to its ' +
          'last segment instead of writing into a folder: write "errors/!{firehose:error-output-type}/x/"',
      ],
    );
    const search = patched(fixtures.openSearchStream(), {
      opensearchConfiguration: { s3Configuration: { prefix: "search-failed" } },
    });
    assert.deepEqual(await advisories(search), [
      "FirehoseDeliveryStream 'subject': opensearchConfiguration.s3Configuration.prefix \"search-failed\" does " +
        'not end in "/", so Firehose appends the object name to its last segment instead of writing into a ' +
        'folder: write "search-failed/"',
    ]);
  });

  it("accepts a prefix ending in an expression unless configured not to", async () => {
    const stream = withS3({ prefix: "data/!{timestamp:yyyy-MM-dd}" });
    assert.deepEqual(await advisories(stream), []);
    assert.equal((await advisories(stream, { allowTrailingExpression: false })).length, 1);
  });

  it("skips an unknown prefix and says so", async () => {
    const violations = await evaluate(
      firehosePrefixTrailingSlash,
      resource(TYPES.stream, withS3({ prefix: UNKNOWN })),
    );
    assert.deepEqual(
      violations.map((v) => v.message),
      [
        "can't run policy 'firehose-prefix-trailing-slash' during preview: not checked until the values are known " +
          "at deployment: extendedS3Configuration.prefix (the prefix ends in '/')",
      ],
    );
  });
});
