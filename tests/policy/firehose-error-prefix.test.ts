import * as assert from "assert";
import { firehoseErrorPrefix } from "../../policy/policies/firehose-error-prefix";
import { directPutS3Stream, openSearchStream, partitionedParquetStream, redshiftStream } from "./fixtures";
import { patched, UNKNOWN } from "./helpers";
import { itPassesEveryValidStream, streamViolations } from "./stream-policy";

const STREAM = "FirehoseDeliveryStream 'events': ";
const EXAMPLE = "errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/";

function violationsOf(
  props: Record<string, unknown>,
  config = {},
  level: "mandatory" | "advisory" = "mandatory",
) {
  return streamViolations(firehoseErrorPrefix, props, config, level);
}

describe("firehose-error-prefix", () => {
  itPassesEveryValidStream(firehoseErrorPrefix);

  it("rejects a prefix with expressions and no errorOutputPrefix (terraform-provider-aws #13416)", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { errorOutputPrefix: undefined },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.errorOutputPrefix is not set while prefix ` +
        '"data/events/!{timestamp:yyyy/MM/dd/HH}/" has expressions; AWS rejects this with "ErrorOutputPrefix ' +
        `cannot be null or empty when Prefix contains expressions": set it, e.g. "${EXAMPLE}"`,
    ]);
  });

  it("requires an errorOutputPrefix on a static prefix too, unless config relaxes it", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { prefix: "data/events/", errorOutputPrefix: undefined },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.errorOutputPrefix is not set, so Firehose writes failed records (raw, ` +
        "unmasked originals) to top-level processing-failed/ and format-conversion-failed/ folders (or a " +
        "destination's own failure prefix), outside the error prefix whose retention, read restriction and " +
        `replay cover them: set it, e.g. "${EXAMPLE}"`,
    ]);
    const relaxed = { "firehose-error-prefix": { requireErrorOutputPrefix: false } };
    assert.deepEqual(await violationsOf(stream, relaxed), []);
  });

  it("rejects an errorOutputPrefix with expressions but without !{firehose:error-output-type}", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { errorOutputPrefix: "errors/!{timestamp:yyyy/MM/dd}/" },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.errorOutputPrefix "errors/!{timestamp:yyyy/MM/dd}/" has expressions but ` +
        `not !{firehose:error-output-type}, which AWS then requires: add it, e.g. "${EXAMPLE}"`,
    ]);
  });

  it("requires !{firehose:error-output-type} in a static errorOutputPrefix by default", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { errorOutputPrefix: "errors/" },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.errorOutputPrefix "errors/" does not contain ` +
        `!{firehose:error-output-type}, so processing and conversion failures mix: add it, e.g. "${EXAMPLE}"`,
    ]);
    const relaxed = { "firehose-error-prefix": { requireErrorOutputType: false } };
    assert.deepEqual(await violationsOf(stream, relaxed), []);
  });

  it("rejects partition keys in the errorOutputPrefix", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: {
        errorOutputPrefix: "errors/!{firehose:error-output-type}/country=!{partitionKeyFromQuery:country}/",
      },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.errorOutputPrefix "errors/!{firehose:error-output-type}/` +
        'country=!{partitionKeyFromQuery:country}/" uses !{partitionKeyFromQuery:country}; AWS does not allow ' +
        "partition keys in errorOutputPrefix (records that failed have none): remove them",
    ]);
  });

  it("rejects an errorOutputPrefix inside the data prefix (it breaks Athena over the table location)", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { errorOutputPrefix: "data/events/errors/!{firehose:error-output-type}/" },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.errorOutputPrefix "data/events/errors/!{firehose:error-output-type}/" ` +
        'and prefix "data/events/!{timestamp:yyyy/MM/dd/HH}/" share the location "data/events/"; error files ' +
        "under a table's location break Athena and Glue: give data and errors separate top-level prefixes, e.g. " +
        '"data/..." and "errors/..."',
    ]);
  });

  it("rejects a data prefix that starts with an expression, which puts data at the bucket root", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { prefix: "!{timestamp:yyyy/MM/dd}/" },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.prefix "!{timestamp:yyyy/MM/dd}/" starts with an expression, so data is ` +
        "written from the bucket root and errors land inside it; error files under a table's location break " +
        'Athena and Glue: give data and errors separate top-level prefixes, e.g. "data/..." and "errors/..."',
    ]);
  });

  it("rejects an invalid expression in the errorOutputPrefix", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { errorOutputPrefix: "errors/!{firehose:error-type}/" },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.errorOutputPrefix "errors/!{firehose:error-type}/": ` +
        '"!{firehose:error-type}" is not a firehose value; use !{firehose:random-string} or ' +
        '!{firehose:error-output-type}; "!{" may only start a valid expression',
      `${STREAM}extendedS3Configuration.errorOutputPrefix "errors/!{firehose:error-type}/" has expressions but ` +
        `not !{firehose:error-output-type}, which AWS then requires: add it, e.g. "${EXAMPLE}"`,
    ]);
  });

  it("checks the S3 configuration of other destinations too", async () => {
    const stream = patched(openSearchStream(), {
      opensearchConfiguration: { s3Configuration: { errorOutputPrefix: undefined } },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}opensearchConfiguration.s3Configuration.errorOutputPrefix is not set, so Firehose writes ` +
        "failed records (raw, unmasked originals) to top-level processing-failed/ and format-conversion-failed/ " +
        "folders (or a destination's own failure prefix), outside the error prefix whose retention, read " +
        `restriction and replay cover them: set it, e.g. "${EXAMPLE}"`,
    ]);
  });

  it("leaves Redshift's staging configuration to the Redshift policy", async () => {
    const stream = patched(redshiftStream(), {
      redshiftConfiguration: { s3Configuration: { errorOutputPrefix: undefined } },
    });
    assert.deepEqual(await violationsOf(stream), []);
  });

  it("notes, without a violation, an errorOutputPrefix that is unknown at preview", async () => {
    const stream = patched(directPutS3Stream(), { extendedS3Configuration: { errorOutputPrefix: UNKNOWN } });
    assert.deepEqual(await violationsOf(stream), []);
    assert.deepEqual(await violationsOf(stream, {}, "advisory"), [
      "can't run policy 'firehose-error-prefix' during preview: not checked until the values are known at " +
        "deployment: extendedS3Configuration.errorOutputPrefix (errorOutputPrefix rules)",
    ]);
  });

  it("names every partition key in the errorOutputPrefix", async () => {
    const errorPrefix =
      "errors/!{firehose:error-output-type}/!{partitionKeyFromQuery:country}/!{partitionKeyFromLambda:day}/";
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: { errorOutputPrefix: errorPrefix },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.errorOutputPrefix "${errorPrefix}" uses !{partitionKeyFromQuery:country}, ` +
        "!{partitionKeyFromLambda:day}; AWS does not allow partition keys in errorOutputPrefix (records that " +
        "failed have none): remove them",
    ]);
  });

  it("names the error prefix's head as the shared location when errors sit above the data", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { errorOutputPrefix: "data/!{firehose:error-output-type}/" },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.errorOutputPrefix "data/!{firehose:error-output-type}/" and prefix ` +
        '"data/events/!{timestamp:yyyy/MM/dd/HH}/" share the location "data/"; error files under a table\'s ' +
        'location break Athena and Glue: give data and errors separate top-level prefixes, e.g. "data/..." and ' +
        '"errors/..."',
    ]);
  });

  it("rejects an errorOutputPrefix without a data prefix, which puts data at the bucket root", async () => {
    const stream = patched(directPutS3Stream(), { extendedS3Configuration: { prefix: undefined } });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.prefix is not set, so data is written from the bucket root and errors ` +
        "land inside it; error files under a table's location break Athena and Glue: give data and errors " +
        'separate top-level prefixes, e.g. "data/..." and "errors/..."',
    ]);
  });

  it("requires an errorOutputPrefix when neither prefix is set", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { prefix: undefined, errorOutputPrefix: undefined },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.errorOutputPrefix is not set, so Firehose writes failed records (raw, ` +
        "unmasked originals) to top-level processing-failed/ and format-conversion-failed/ folders (or a " +
        "destination's own failure prefix), outside the error prefix whose retention, read restriction and " +
        `replay cover them: set it, e.g. "${EXAMPLE}"`,
    ]);
  });

  it("notes, without a violation, a data prefix unknown at preview", async () => {
    const stream = patched(directPutS3Stream(), { extendedS3Configuration: { prefix: UNKNOWN } });
    assert.deepEqual(await violationsOf(stream), []);
    assert.deepEqual(await violationsOf(stream, {}, "advisory"), [
      "can't run policy 'firehose-error-prefix' during preview: not checked until the values are known at " +
        "deployment: extendedS3Configuration.prefix (errorOutputPrefix lies outside the data prefix)",
    ]);
  });

  it("requires an errorOutputPrefix next to a data prefix unknown at preview, or notes it if config relaxes that", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { prefix: UNKNOWN, errorOutputPrefix: undefined },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.errorOutputPrefix is not set: set it, e.g. "${EXAMPLE}"`,
    ]);
    const relaxed = { "firehose-error-prefix": { requireErrorOutputPrefix: false } };
    assert.deepEqual(await violationsOf(stream, relaxed), []);
    assert.deepEqual(await violationsOf(stream, relaxed, "advisory"), [
      "can't run policy 'firehose-error-prefix' during preview: not checked until the values are known at " +
        "deployment: extendedS3Configuration.prefix (errorOutputPrefix is required when prefix has expressions)",
    ]);
  });

  it("notes, without a violation, an S3 configuration unknown at preview", async () => {
    const stream = patched(openSearchStream(), { opensearchConfiguration: { s3Configuration: UNKNOWN } });
    assert.deepEqual(await violationsOf(stream), []);
    assert.deepEqual(await violationsOf(stream, {}, "advisory"), [
      "can't run policy 'firehose-error-prefix' during preview: not checked until the values are known at " +
        "deployment: opensearchConfiguration.s3Configuration (errorOutputPrefix rules)",
    ]);
  });
});
