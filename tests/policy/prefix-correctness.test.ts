// The data-prefix rule (policy/rules/prefix-correctness.ts) through firehose-prefix-expressions: which S3
// configurations it reads, the partition keys it matches against dynamic partitioning and processors, the
// MetadataExtraction parameters it checks, and the checks it skips when a value is unknown at preview.
import * as assert from "node:assert/strict";
import { firehosePrefixExpressions } from "../../policy/policies/firehose-prefix-expressions";
import { JQ_ENGINE } from "../../policy/rules/prefix-correctness";
import { openSearchStream, partitionedParquetStream, redshiftStream } from "./fixtures";
import { patched, UNKNOWN } from "./helpers";
import { streamViolations } from "./stream-policy";

const STREAM = "FirehoseDeliveryStream 'events': ";
const SKIPPED =
  "can't run policy 'firehose-prefix-expressions' during preview: not checked until the values are known at " +
  "deployment: ";
const PROCESSORS = "extendedS3Configuration.processingConfiguration.processors";
const LAMBDA_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:transform:$LATEST";

function violationsOf(props: Record<string, unknown>, config: Record<string, unknown> = {}) {
  return streamViolations(firehosePrefixExpressions, props, config);
}

function advisoriesOf(props: Record<string, unknown>) {
  return streamViolations(firehosePrefixExpressions, props, {}, "advisory");
}

/** A MetadataExtraction processor; an `undefined` query is left out. */
function extractor(query: unknown, engine: unknown = JQ_ENGINE) {
  const parameters = [
    { parameterName: "MetadataExtractionQuery", parameterValue: query },
    { parameterName: "JsonParsingEngine", parameterValue: engine },
  ];
  return { type: "MetadataExtraction", parameters: parameters.filter((p) => p.parameterValue !== undefined) };
}

const lambda = { type: "Lambda", parameters: [{ parameterName: "LambdaArn", parameterValue: LAMBDA_ARN }] };

/** The partitioned stream with `prefix` and, when given, these enabled processors. */
function partitionedWith(prefix: string, processors?: unknown[]) {
  return patched(partitionedParquetStream(), {
    extendedS3Configuration: {
      prefix,
      ...(processors === undefined ? {} : { processingConfiguration: { enabled: true, processors } }),
    },
  });
}

describe("prefix-correctness: checkDataPrefixes", () => {
  describe("which S3 configurations it checks", () => {
    it("leaves the Redshift staging prefix to its own rule, even with partition keys and the error type", async () => {
      const stream = patched(redshiftStream(), {
        redshiftConfiguration: {
          s3Configuration: { prefix: "staging/!{partitionKeyFromQuery:a}/!{firehose:error-output-type}/" },
        },
      });
      assert.deepEqual(await violationsOf(stream), []);
    });

    it("checks an S3 backup configuration of a Redshift stream", async () => {
      const stream = patched(redshiftStream(), {
        redshiftConfiguration: {
          s3BackupMode: "Enabled",
          s3BackupConfiguration: {
            bucketArn: "arn:aws:s3:::lake-bucket",
            roleArn: "arn:aws:iam::123456789012:role/firehose",
            prefix: "backup/!{firehose:error-output-type}/",
          },
        },
      });
      assert.deepEqual(await violationsOf(stream), [
        `${STREAM}redshiftConfiguration.s3BackupConfiguration.prefix "backup/!{firehose:error-output-type}/" ` +
          "contains !{firehose:error-output-type}, which only errorOutputPrefix may use: remove it",
      ]);
    });

    it("accepts a failed-data S3 configuration without a prefix", async () => {
      const stream = patched(openSearchStream(), {
        opensearchConfiguration: { s3Configuration: { prefix: undefined } },
      });
      assert.deepEqual(await violationsOf(stream), []);
      assert.deepEqual(await advisoriesOf(stream), []);
    });

    it("names every partition key of a failed-data prefix, comma-separated", async () => {
      const stream = patched(openSearchStream(), {
        opensearchConfiguration: {
          s3Configuration: { prefix: "failed/!{partitionKeyFromQuery:a}/!{partitionKeyFromLambda:b}/" },
        },
      });
      assert.deepEqual(await violationsOf(stream), [
        `${STREAM}opensearchConfiguration.s3Configuration.prefix ` +
          '"failed/!{partitionKeyFromQuery:a}/!{partitionKeyFromLambda:b}/" uses !{partitionKeyFromQuery:a}, ' +
          "!{partitionKeyFromLambda:b}; partition keys exist only in the extended S3 configuration with dynamic " +
          "partitioning: remove them from this prefix",
      ]);
    });

    it("notes, without a violation, an S3 configuration that is unknown at preview", async () => {
      const stream = patched(openSearchStream(), { opensearchConfiguration: { s3Configuration: UNKNOWN } });
      assert.deepEqual(await violationsOf(stream), []);
      assert.deepEqual(await advisoriesOf(stream), [
        `${SKIPPED}opensearchConfiguration.s3Configuration (prefix expressions)`,
      ]);
    });
  });

  describe("partition keys against dynamic partitioning", () => {
    it("names every partition key when dynamic partitioning is off, comma-separated", async () => {
      const stream = patched(partitionedWith("data/!{partitionKeyFromQuery:a}/!{partitionKeyFromQuery:b}/"), {
        extendedS3Configuration: { dynamicPartitioningConfiguration: { enabled: false } },
      });
      assert.deepEqual(await violationsOf(stream), [
        `${STREAM}extendedS3Configuration.prefix "data/!{partitionKeyFromQuery:a}/!{partitionKeyFromQuery:b}/" ` +
          "uses !{partitionKeyFromQuery:a}, !{partitionKeyFromQuery:b} but dynamicPartitioningConfiguration.enabled " +
          'is not true; AWS: "Dynamic Partitioning Namespaces can only be part of a prefix expression when Dynamic ' +
          'Partitioning is enabled": enable dynamic partitioning (only possible when the stream is created) or ' +
          "remove the keys",
      ]);
    });

    it("accepts a prefix without partition keys when dynamic partitioning is off", async () => {
      const stream = patched(partitionedWith("data/!{timestamp:yyyy/MM/dd}/"), {
        extendedS3Configuration: { dynamicPartitioningConfiguration: { enabled: false } },
      });
      assert.deepEqual(await violationsOf(stream), []);
    });

    it("reports prefix problems and notes the key check when dynamic partitioning is unknown at preview", async () => {
      const stream = patched(partitionedWith("data/!{firehose:error-output-type}/"), {
        extendedS3Configuration: { dynamicPartitioningConfiguration: { enabled: UNKNOWN } },
      });
      assert.deepEqual(await violationsOf(stream), [
        `${STREAM}extendedS3Configuration.prefix "data/!{firehose:error-output-type}/" contains ` +
          "!{firehose:error-output-type}, which only errorOutputPrefix may use: remove it",
      ]);
      assert.deepEqual(await advisoriesOf(stream), [
        `${SKIPPED}extendedS3Configuration.dynamicPartitioningConfiguration.enabled (partition keys match dynamic ` +
          "partitioning)",
      ]);
    });
  });

  describe("partition keys against the processors that produce them", () => {
    it("requires a MetadataExtraction processor for query keys, whatever other processors run", async () => {
      const stream = partitionedWith("data/!{partitionKeyFromQuery:a}/!{partitionKeyFromQuery:b}/", [lambda]);
      assert.deepEqual(await violationsOf(stream), [
        `${STREAM}extendedS3Configuration.prefix uses !{partitionKeyFromQuery:a}, !{partitionKeyFromQuery:b} but ` +
          "no MetadataExtraction processor runs (processingConfiguration with enabled: true): add one whose " +
          "MetadataExtractionQuery produces the keys",
      ]);
    });

    it("accepts Lambda keys from a Lambda processor without any MetadataExtraction processor", async () => {
      const stream = partitionedWith("data/!{partitionKeyFromLambda:tenant}/", [lambda]);
      assert.deepEqual(await violationsOf(stream), []);
    });

    it("accepts query and Lambda keys when both processors run", async () => {
      const stream = partitionedWith(
        "data/!{partitionKeyFromQuery:country}/!{partitionKeyFromLambda:tenant}/",
        [extractor("{country: .country}"), lambda],
      );
      assert.deepEqual(await violationsOf(stream), []);
    });

    it("names every Lambda key when no Lambda processor runs, comma-separated", async () => {
      const stream = partitionedWith("data/!{partitionKeyFromLambda:a}/!{partitionKeyFromLambda:b}/");
      assert.deepEqual(await violationsOf(stream), [
        `${STREAM}extendedS3Configuration.prefix uses !{partitionKeyFromLambda:a}, !{partitionKeyFromLambda:b} ` +
          "but no Lambda processor runs: add a Lambda processor that returns metadata.partitionKeys, or use " +
          "partitionKeyFromQuery with a MetadataExtraction query",
      ]);
    });

    it("lists every key the query produces when a prefix key is missing from it", async () => {
      const stream = partitionedWith("data/!{partitionKeyFromQuery:country}/", [
        extractor("{region: .region, city: .city}"),
      ]);
      assert.deepEqual(await violationsOf(stream), [
        `${STREAM}extendedS3Configuration.prefix uses !{partitionKeyFromQuery:country} but MetadataExtractionQuery ` +
          `'{region: .region, city: .city}' of ${PROCESSORS}[0] produces region, city: add country: .<field> to ` +
          "the query or fix the prefix",
      ]);
    });

    it("does not match keys against a query with a computed key, which may produce any key", async () => {
      const stream = partitionedWith("data/!{partitionKeyFromQuery:country}/", [
        extractor("{region: .region, (.k): .v}"),
      ]);
      assert.deepEqual(await violationsOf(stream), []);
    });

    it("reports a MetadataExtraction processor without a query once, not as missing keys", async () => {
      const stream = partitionedWith("data/!{partitionKeyFromQuery:country}/", [extractor(undefined)]);
      assert.deepEqual(await violationsOf(stream), [
        `${STREAM}${PROCESSORS}[0] has no MetadataExtractionQuery parameter: add a jq object query such as ` +
          "{customer_id: .customer_id}",
      ]);
    });

    it("notes, without a violation, processors whose enabled flag is unknown at preview", async () => {
      const stream = patched(partitionedParquetStream(), {
        extendedS3Configuration: { processingConfiguration: { enabled: UNKNOWN } },
      });
      assert.deepEqual(await violationsOf(stream), []);
      assert.deepEqual(await advisoriesOf(stream), [
        `${SKIPPED}extendedS3Configuration.processingConfiguration.enabled (partition keys are produced by a ` +
          "processor)",
      ]);
    });

    it("notes, without a violation, a query that is unknown at preview", async () => {
      const stream = partitionedWith("data/!{partitionKeyFromQuery:country}/", [extractor(UNKNOWN)]);
      assert.deepEqual(await violationsOf(stream), []);
      assert.deepEqual(await advisoriesOf(stream), [
        `${SKIPPED}${PROCESSORS}[0].parameters[0].parameterValue (MetadataExtractionQuery is a jq object); ` +
          `${PROCESSORS}[0].parameters[0].parameterValue (partition keys are produced by the jq query)`,
      ]);
    });
  });

  describe("MetadataExtraction processors", () => {
    it("accepts an extended S3 configuration without processing", async () => {
      const stream = patched(partitionedParquetStream(), {
        extendedS3Configuration: {
          prefix: "data/!{timestamp:yyyy}/",
          dynamicPartitioningConfiguration: undefined,
          processingConfiguration: undefined,
        },
      });
      assert.deepEqual(await violationsOf(stream), []);
      assert.deepEqual(await advisoriesOf(stream), []);
    });

    it("checks a MetadataExtraction processor even when the prefix has no partition keys", async () => {
      const stream = patched(partitionedWith("data/!{timestamp:yyyy}/", [extractor(".country")]), {
        extendedS3Configuration: { dynamicPartitioningConfiguration: undefined },
      });
      assert.deepEqual(await violationsOf(stream), [
        `${STREAM}${PROCESSORS}[0] MetadataExtractionQuery '.country' is not a jq object construction such as ` +
          "{customer_id: .customer_id}",
      ]);
    });

    it("notes, without a violation, a processor list that is unknown at preview", async () => {
      const stream = patched(partitionedParquetStream(), {
        extendedS3Configuration: { processingConfiguration: UNKNOWN },
      });
      assert.deepEqual(await violationsOf(stream), []);
      assert.deepEqual(await advisoriesOf(stream), [
        `${SKIPPED}extendedS3Configuration.processingConfiguration (MetadataExtraction query); ` +
          "extendedS3Configuration.processingConfiguration (partition keys are produced by a processor)",
      ]);
    });

    it("notes, without a violation, processors of an enabled configuration that are unknown at preview", async () => {
      const stream = patched(partitionedParquetStream(), {
        extendedS3Configuration: { processingConfiguration: { enabled: true, processors: UNKNOWN } },
      });
      assert.deepEqual(await violationsOf(stream), []);
      assert.deepEqual(await advisoriesOf(stream), [
        `${SKIPPED}${PROCESSORS} (MetadataExtraction query); ${PROCESSORS} (partition keys are produced by a ` +
          "processor)",
      ]);
    });

    it("says when JsonParsingEngine is not set", async () => {
      const withoutEngine = {
        type: "MetadataExtraction",
        parameters: [{ parameterName: "MetadataExtractionQuery", parameterValue: "{country: .country}" }],
      };
      const stream = partitionedWith("data/!{partitionKeyFromQuery:country}/", [withoutEngine]);
      assert.deepEqual(await violationsOf(stream), [
        `${STREAM}${PROCESSORS}[0] parameter JsonParsingEngine is not set: set it to "JQ-1.6"`,
      ]);
    });

    it("notes, without a violation, a JsonParsingEngine that is unknown at preview", async () => {
      const stream = partitionedWith("data/!{partitionKeyFromQuery:country}/", [
        extractor("{country: .country}", UNKNOWN),
      ]);
      assert.deepEqual(await violationsOf(stream), []);
      assert.deepEqual(await advisoriesOf(stream), [
        `${SKIPPED}${PROCESSORS}[0].parameters[1].parameterValue (JsonParsingEngine is JQ-1.6)`,
      ]);
    });

    it("rejects a query with more keys than maxPartitionKeys", async () => {
      const stream = partitionedWith("data/!{partitionKeyFromQuery:a}/", [
        extractor("{a: .a, b: .b, c: .c}"),
      ]);
      const config = { "firehose-prefix-expressions": { maxPartitionKeys: 2 } };
      assert.deepEqual(await violationsOf(stream, config), [
        `${STREAM}${PROCESSORS}[0] MetadataExtractionQuery produces 3 keys; the limit is 2: extract fewer ` +
          "partition keys",
      ]);
    });

    it("accepts a query with exactly maxPartitionKeys keys", async () => {
      const stream = partitionedWith("data/!{partitionKeyFromQuery:a}/", [extractor("{a: .a, b: .b}")]);
      const config = { "firehose-prefix-expressions": { maxPartitionKeys: 2 } };
      assert.deepEqual(await violationsOf(stream, config), []);
    });
  });
});
