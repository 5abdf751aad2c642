import * as assert from "assert";
import { compileDateFormat } from "../../policy/lib/java-date-format";
import { firehosePrefixExpressions } from "../../policy/policies/firehose-prefix-expressions";
import { firehosePrefixTimestampPatterns } from "../../policy/policies/firehose-prefix-timestamp-patterns";
import { parsePrefix, prefixesOverlap } from "../../policy/rules/prefix-expressions";
import { directPutS3Stream, openSearchStream, partitionedParquetStream } from "./fixtures";
import { evaluate, messagesOf, patched, resource, TYPES, UNKNOWN } from "./helpers";
import { itPassesEveryValidStream, streamViolations } from "./stream-policy";

const STREAM = "FirehoseDeliveryStream 'events': ";

function violationsOf(props: Record<string, unknown>, level: "mandatory" | "advisory" = "mandatory") {
  return streamViolations(firehosePrefixExpressions, props, {}, level);
}

/** The partitioned stream with its MetadataExtraction query replaced. */
function withQuery(query: string) {
  const stream = partitionedParquetStream();
  stream.extendedS3Configuration.processingConfiguration.processors[0].parameters[0].parameterValue = query;
  return stream;
}

describe("firehose-prefix-expressions", () => {
  itPassesEveryValidStream(firehosePrefixExpressions);

  it("rejects an unknown namespace", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { prefix: "data/!{date:yyyy}/" },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.prefix "data/!{date:yyyy}/": "!{date:yyyy}" uses namespace "date"; valid ` +
        'namespaces are timestamp, firehose, partitionKeyFromQuery, partitionKeyFromLambda; "!{" may only start a ' +
        "valid expression",
    ]);
  });

  it("rejects an expression that is never closed", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { prefix: "data/!{timestamp:yyyy/" },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.prefix "data/!{timestamp:yyyy/": "!{" at position 5 is never closed with ` +
        '"}"; "!{" may only start a valid expression',
    ]);
  });

  it("rejects a timestamp pattern letter Java does not know (an unquoted T)", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { prefix: "data/!{timestamp:yyyy-MM-ddTHH}/" },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.prefix "data/!{timestamp:yyyy-MM-ddTHH}/": !{timestamp:yyyy-MM-ddTHH} ` +
        "is not a Java DateTimeFormatter pattern, unknown pattern letter 'T': quote literal text ('T') or use " +
        "yyyy, MM, dd, HH",
    ]);
  });

  // The patterns the policy once passed and the local run (like Java) rejected: one grammar now decides both.
  for (const pattern of ["MMMMMM", "HHHH", "yyyy'abc", "dd#"]) {
    it(`rejects ${pattern}, as Java's DateTimeFormatter and the local run do`, async () => {
      const stream = patched(directPutS3Stream(), {
        extendedS3Configuration: { prefix: `data/!{timestamp:${pattern}}/` },
      });
      const [message] = await violationsOf(stream);
      assert.match(
        message,
        /is not a Java DateTimeFormatter pattern, (too many|unterminated|'#' is reserved)/,
      );
      assert.throws(() => compileDateFormat(pattern));
    });
  }

  it("rejects !{firehose:error-output-type} in the data prefix", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { prefix: "data/!{firehose:error-output-type}/" },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.prefix "data/!{firehose:error-output-type}/" contains ` +
        "!{firehose:error-output-type}, which only errorOutputPrefix may use: remove it",
    ]);
  });

  it("rejects partition keys without dynamic partitioning (terraform-provider-aws #29092)", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: { dynamicPartitioningConfiguration: undefined },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.prefix "data/events/country=!{partitionKeyFromQuery:country}/` +
        'dt=!{timestamp:yyyy-MM-dd}/" uses !{partitionKeyFromQuery:country} but ' +
        'dynamicPartitioningConfiguration.enabled is not true; AWS: "Dynamic Partitioning Namespaces can only be ' +
        'part of a prefix expression when Dynamic Partitioning is enabled": enable dynamic partitioning (only ' +
        "possible when the stream is created) or remove the keys",
    ]);
  });

  it("rejects a partitionKeyFromQuery key that the jq query does not produce", async () => {
    const stream = withQuery("{region: .country}");
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.prefix uses !{partitionKeyFromQuery:country} but MetadataExtractionQuery ` +
        "'{region: .country}' of extendedS3Configuration.processingConfiguration.processors[0] produces region: " +
        "add country: .<field> to the query or fix the prefix",
    ]);
  });

  it("reads keys of quoted, shorthand and piped jq entries", async () => {
    assert.deepEqual(await violationsOf(withQuery('{"country": .address.country | ascii_upcase, year}')), []);
    assert.deepEqual(await violationsOf(withQuery("{country}")), []);
  });

  it("rejects a MetadataExtraction query that is not a jq object", async () => {
    const stream = withQuery(".country");
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.processingConfiguration.processors[0] MetadataExtractionQuery '.country' ` +
        "is not a jq object construction such as {customer_id: .customer_id}",
    ]);
  });

  it("rejects a JSON parsing engine other than JQ-1.6", async () => {
    const stream = partitionedParquetStream();
    stream.extendedS3Configuration.processingConfiguration.processors[0].parameters[1].parameterValue =
      "JQ-1.7";
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.processingConfiguration.processors[0] parameter JsonParsingEngine is ` +
        '"JQ-1.7": set it to "JQ-1.6"',
    ]);
  });

  it("rejects partitionKeyFromLambda without a Lambda processor", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: { prefix: "data/tenant=!{partitionKeyFromLambda:tenant}/" },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.prefix uses !{partitionKeyFromLambda:tenant} but no Lambda processor ` +
        "runs: add a Lambda processor that returns metadata.partitionKeys, or use partitionKeyFromQuery with a " +
        "MetadataExtraction query",
    ]);
  });

  it("rejects dynamic partitioning with no partition key in the prefix", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: { prefix: "data/events/!{timestamp:yyyy/MM/dd}/" },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}dynamic partitioning is enabled but extendedS3Configuration.prefix ` +
        '"data/events/!{timestamp:yyyy/MM/dd}/" has no partition key, so records of every partition share one ' +
        "object: add !{partitionKeyFromQuery:<key>} or !{partitionKeyFromLambda:<key>} to the prefix",
    ]);
  });

  it("says plainly that a missing prefix under dynamic partitioning has no partition key", async () => {
    const stream = patched(partitionedParquetStream(), { extendedS3Configuration: { prefix: undefined } });
    const messages = await violationsOf(stream);
    assert.ok(
      messages.includes(
        `${STREAM}dynamic partitioning is enabled but extendedS3Configuration.prefix is not set, so no object ` +
          "key can carry a partition key and AWS rejects the stream: add !{partitionKeyFromQuery:<key>} or " +
          "!{partitionKeyFromLambda:<key>} to the prefix",
      ),
      messages.join("\n"),
    );
  });

  it("rejects query keys when the processing configuration is not enabled", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: { processingConfiguration: { enabled: false } },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.prefix uses !{partitionKeyFromQuery:country} but no MetadataExtraction ` +
        "processor runs (processingConfiguration with enabled: true): add one whose MetadataExtractionQuery " +
        "produces the keys",
    ]);
  });

  it("rejects partition keys in an S3 backup prefix", async () => {
    const stream = patched(openSearchStream(), {
      opensearchConfiguration: { s3Configuration: { prefix: "failed/!{partitionKeyFromQuery:country}/" } },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}opensearchConfiguration.s3Configuration.prefix "failed/!{partitionKeyFromQuery:country}/" uses ` +
        "!{partitionKeyFromQuery:country}; partition keys exist only in the extended S3 configuration with " +
        "dynamic partitioning: remove them from this prefix",
    ]);
  });

  it("rejects a prefix over 1024 characters", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { prefix: `${"a/".repeat(513)}` },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.prefix is 1026 characters long; the limit is 1024: shorten it`,
    ]);
  });

  it("accepts a prefix of exactly 1024 characters", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { prefix: `${"a/".repeat(512)}` },
    });
    assert.deepEqual(await violationsOf(stream), []);
  });

  it("notes, without a violation, a prefix that is unknown at preview", async () => {
    const stream = patched(directPutS3Stream(), { extendedS3Configuration: { prefix: UNKNOWN } });
    assert.deepEqual(await violationsOf(stream), []);
    assert.deepEqual(await violationsOf(stream, "advisory"), [
      "can't run policy 'firehose-prefix-expressions' during preview: not checked until the values are known at " +
        "deployment: extendedS3Configuration.prefix (prefix expressions)",
    ]);
  });
});

describe("the prefix grammar (policy/rules/prefix-expressions.ts)", () => {
  it("splits a prefix into its literal text and expressions, in order", () => {
    const parsed = parsePrefix(
      "data/!{timestamp:yyyy}!{firehose:random-string}/key=!{partitionKeyFromQuery:k}/",
    );
    assert.deepEqual(parsed.parts, [
      { namespace: "text", text: "data/" },
      { namespace: "timestamp", value: "yyyy", text: "!{timestamp:yyyy}" },
      { namespace: "firehose", value: "random-string", text: "!{firehose:random-string}" },
      { namespace: "text", text: "/key=" },
      { namespace: "partitionKeyFromQuery", value: "k", text: "!{partitionKeyFromQuery:k}" },
      { namespace: "text", text: "/" },
    ]);
    assert.equal(parsed.literalHead, "data/");
    assert.deepEqual(parsed.problems, []);
  });

  it("keeps the text around an invalid expression, and leaves the expression out", () => {
    const parsed = parsePrefix("a/!{date:yyyy}/b");
    assert.deepEqual(parsed.parts, [
      { namespace: "text", text: "a/" },
      { namespace: "text", text: "/b" },
    ]);
    assert.equal(parsed.problems.length, 1);
  });

  it("takes a prefix without expressions as one literal text, all of it the literal head", () => {
    const parsed = parsePrefix("data/events/");
    assert.deepEqual(parsed.parts, [{ namespace: "text", text: "data/events/" }]);
    assert.equal(parsed.literalHead, "data/events/");
    assert.deepEqual(parsePrefix("!{timestamp:yyyy}").parts, [
      { namespace: "timestamp", value: "yyyy", text: "!{timestamp:yyyy}" },
    ]);
    assert.equal(parsePrefix("!{timestamp:yyyy}").literalHead, "");
  });

  it("says two literal heads overlap when one starts the other, in either order", () => {
    assert.equal(prefixesOverlap("data/events/", "data/"), true);
    assert.equal(prefixesOverlap("data/", "data/events/"), true);
    assert.equal(prefixesOverlap("data/", "data/"), true);
    assert.equal(prefixesOverlap("logs/data/", "data/"), false);
    assert.equal(prefixesOverlap("data/a/", "data/b/"), false);
  });
});

describe("firehose-prefix-timestamp-patterns", () => {
  const advisories = (props: Record<string, unknown>, config = {}) =>
    messagesOf(
      evaluate(firehosePrefixTimestampPatterns, resource(TYPES.stream, props, "events"), config),
      "advisory",
    );

  it("passes yyyy/MM/dd/HH", async () => {
    assert.deepEqual(await advisories(directPutS3Stream()), []);
  });

  it("flags YYYY, DD and hh with what they really mean", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { prefix: "data/!{timestamp:YYYY/MM/DD/hh}/" },
    });
    const prefix = `${STREAM}extendedS3Configuration.prefix "data/!{timestamp:YYYY/MM/DD/hh}/": !{timestamp:YYYY/MM/DD/hh} uses`;
    assert.deepEqual(await advisories(stream), [
      `${prefix} YYYY, the week-based year, wrong around New Year (2025-12-29 gives 2026): write yyyy`,
      `${prefix} DD, the day of the year (001-366): write dd`,
      `${prefix} hh, the 12-hour clock hour (01-12, no AM/PM): write HH`,
    ]);
  });

  it("flags the error output prefix too", async () => {
    const errorOutputPrefix = "errors/!{firehose:error-output-type}/!{timestamp:YYYY}/";
    const stream = patched(directPutS3Stream(), { extendedS3Configuration: { errorOutputPrefix } });
    assert.deepEqual(await advisories(stream), [
      `${STREAM}extendedS3Configuration.errorOutputPrefix "${errorOutputPrefix}": !{timestamp:YYYY} uses YYYY, ` +
        "the week-based year, wrong around New Year (2025-12-29 gives 2026): write yyyy",
    ]);
  });

  it("reads only timestamp expressions: a partition key named like pattern letters is not flagged", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { prefix: "data/!{partitionKeyFromQuery:hash}/!{timestamp:yyyy/MM/dd}/" },
    });
    assert.deepEqual(await advisories(stream), []);
  });

  it("notes a prefix that is unknown at preview as not checked", async () => {
    const stream = patched(directPutS3Stream(), { extendedS3Configuration: { prefix: UNKNOWN } });
    assert.deepEqual(await advisories(stream), [
      "can't run policy 'firehose-prefix-timestamp-patterns' during preview: not checked until the values are " +
        "known at deployment: extendedS3Configuration.prefix (timestamp patterns)",
    ]);
  });

  it("ignores letters inside quoted literal text", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: {
        errorOutputPrefix: "errors/!{firehose:error-output-type}/!{timestamp:'DD'yyyy}/",
      },
    });
    assert.deepEqual(await advisories(stream), []);
  });

  it("takes the letters to flag from config, and can be made mandatory", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { prefix: "data/!{timestamp:yyyy/MM/dd/k}/" },
    });
    const config = {
      "firehose-prefix-timestamp-patterns": { enforcementLevel: "mandatory", suspiciousLetters: { k: "H" } },
    };
    const violations = await messagesOf(
      evaluate(firehosePrefixTimestampPatterns, resource(TYPES.stream, stream, "events"), config),
    );
    assert.deepEqual(violations, [
      `${STREAM}extendedS3Configuration.prefix "data/!{timestamp:yyyy/MM/dd/k}/": !{timestamp:yyyy/MM/dd/k} uses ` +
        "k, probably not what was meant: write H",
    ]);
  });
});
