import * as assert from "assert";
import { firehoseDestinationConfig } from "../../policy/policies/firehose-destination-config";
import { directPutS3Stream, httpEndpointStream, partitionedParquetStream, redshiftStream } from "./fixtures";
import { patched, UNKNOWN } from "./helpers";
import { itPassesEveryValidStream, streamViolations } from "./stream-policy";

const STREAM = "FirehoseDeliveryStream 'events': ";

function violationsOf(props: Record<string, unknown>, config = {}) {
  return streamViolations(firehoseDestinationConfig, props, config);
}

function advisoriesOf(props: Record<string, unknown>) {
  return streamViolations(firehoseDestinationConfig, props, {}, "advisory");
}

const PREVIEW_NOTE =
  "can't run policy 'firehose-destination-config' during preview: not checked until the values are known at " +
  "deployment: ";

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

  it("rejects a destination the provider does not know, listing the values it takes", async () => {
    const stream = patched(directPutS3Stream(), { destination: "kafka" });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}destination is "kafka", which the provider rejects: use one of extended_s3, redshift, opensearch, ` +
        "opensearchserverless, http_endpoint, splunk, snowflake, iceberg, elasticsearch",
    ]);
  });

  it("accepts retry durations of 0 and 7200 s, the ends of AWS's range", async () => {
    for (const retryDuration of [0, 7200]) {
      const stream = patched(redshiftStream(), { redshiftConfiguration: { retryDuration } });
      assert.deepEqual(await violationsOf(stream), [], `retryDuration ${retryDuration}`);
    }
  });

  it("rejects a negative retry duration", async () => {
    const stream = patched(redshiftStream(), { redshiftConfiguration: { retryDuration: -1 } });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}redshiftConfiguration.retryDuration is -1 s; AWS accepts 0-7200 s: set it within that range`,
    ]);
  });

  it("rejects a dynamic partitioning retry duration above 7200 s", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: { dynamicPartitioningConfiguration: { retryDuration: 7201 } },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.dynamicPartitioningConfiguration.retryDuration is 7201 s; AWS accepts ` +
        "0-7200 s: set it within that range",
    ]);
  });

  it("accepts processors under a disabled processing configuration, as AWS does (the advisory flags them)", async () => {
    for (const enabled of [false, undefined]) {
      const stream = patched(directPutS3Stream(), {
        extendedS3Configuration: { processingConfiguration: { enabled } },
      });
      assert.deepEqual(await violationsOf(stream), []);
    }
  });

  it("rejects a disabled processing configuration when dynamic partitioning needs its processors", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: { processingConfiguration: { enabled: false } },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.processingConfiguration.enabled is false while dynamic partitioning ` +
        "is enabled, so no partition keys are extracted and AWS rejects the stream: set enabled: true",
    ]);
  });

  it("rejects a processing configuration without enabled when dynamic partitioning needs its processors", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: { processingConfiguration: { enabled: undefined } },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.processingConfiguration.enabled is not set while dynamic partitioning ` +
        "is enabled, so no partition keys are extracted and AWS rejects the stream: set enabled: true",
    ]);
  });

  it("does not require enabled: true on a partitioned stream that declares no processors", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: { processingConfiguration: { enabled: false, processors: [] } },
    });
    assert.deepEqual(await violationsOf(stream), []);
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

  it("rejects a processor without a type", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: {
        processingConfiguration: {
          processors: [{ parameters: [{ parameterName: "LambdaArn", parameterValue: "arn:aws:lambda:x" }] }],
        },
      },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.processingConfiguration.processors[0].type is not set: use one of ` +
        "RecordDeAggregation, Lambda, MetadataExtraction, AppendDelimiterToRecord, Decompression, " +
        "CloudWatchLogProcessing",
    ]);
  });

  describe("values unknown at preview", () => {
    const PROCESSING = "extendedS3Configuration.processingConfiguration";
    const cases: [string, Record<string, unknown>, string][] = [
      [
        "the destination",
        patched(directPutS3Stream(), { destination: UNKNOWN }),
        "destination (destination is valid)",
      ],
      [
        "a retry duration",
        patched(redshiftStream(), { redshiftConfiguration: { retryDuration: UNKNOWN } }),
        "redshiftConfiguration.retryDuration (retry duration within 0-7200 s)",
      ],
      [
        "the processor list",
        patched(directPutS3Stream(), {
          extendedS3Configuration: { processingConfiguration: { processors: UNKNOWN } },
        }),
        `${PROCESSING}.processors (processors are enabled and well-formed)`,
      ],
      [
        "whether processing is enabled",
        patched(partitionedParquetStream(), {
          extendedS3Configuration: { processingConfiguration: { enabled: UNKNOWN } },
        }),
        `${PROCESSING}.enabled (processors run)`,
      ],
      [
        "whether dynamic partitioning is enabled",
        patched(partitionedParquetStream(), {
          extendedS3Configuration: { dynamicPartitioningConfiguration: { enabled: UNKNOWN } },
        }),
        "extendedS3Configuration.dynamicPartitioningConfiguration.enabled (processors run)",
      ],
      [
        "a processor's type",
        patched(directPutS3Stream(), {
          extendedS3Configuration: { processingConfiguration: { processors: [{ type: UNKNOWN }] } },
        }),
        `${PROCESSING}.processors[0].type (processor type is valid)`,
      ],
      [
        "a Lambda processor's parameter list (built in an apply)",
        patched(directPutS3Stream(), {
          extendedS3Configuration: {
            processingConfiguration: { processors: [{ type: "Lambda", parameters: UNKNOWN }] },
          },
        }),
        `${PROCESSING}.processors[0].parameters (a Lambda processor has a LambdaArn)`,
      ],
      [
        "a parameter's name",
        patched(directPutS3Stream(), {
          extendedS3Configuration: {
            processingConfiguration: {
              processors: [
                { type: "Lambda", parameters: [{ parameterName: UNKNOWN, parameterValue: "arn" }] },
              ],
            },
          },
        }),
        `${PROCESSING}.processors[0].parameters[0].parameterName (a Lambda processor has a LambdaArn)`,
      ],
    ];
    it("passes a LambdaArn set to a value unknown at preview (the function's ARN) without a note", async () => {
      const stream = patched(directPutS3Stream(), {
        extendedS3Configuration: {
          processingConfiguration: {
            processors: [
              { type: "Lambda", parameters: [{ parameterName: "LambdaArn", parameterValue: UNKNOWN }] },
            ],
          },
        },
      });
      assert.deepEqual(await violationsOf(stream), []);
      assert.deepEqual(await advisoriesOf(stream), []);
    });

    for (const [what, stream, note] of cases) {
      it(`skips the check that needs ${what}, with an advisory note and no violation`, async () => {
        assert.deepEqual(await violationsOf(stream), []);
        assert.deepEqual(await advisoriesOf(stream), [PREVIEW_NOTE + note]);
      });
    }
  });

  describe("RecordDeAggregation", () => {
    /** `stream` with a RecordDeAggregation processor of `parameters` first. */
    const withDeaggregation = <T extends { extendedS3Configuration: Record<string, unknown> }>(
      stream: T,
      parameters: Record<string, string>,
    ): T => {
      const processing = stream.extendedS3Configuration.processingConfiguration as {
        enabled: boolean;
        processors: unknown[];
      };
      processing.processors.unshift({
        type: "RecordDeAggregation",
        parameters: Object.entries(parameters).map(([parameterName, parameterValue]) => ({
          parameterName,
          parameterValue,
        })),
      });
      return stream;
    };
    const AT = `${STREAM}extendedS3Configuration.processingConfiguration.processors[0]`;

    it("passes JSON and DELIMITED (base64 delimiter) on a partitioned stream", async () => {
      for (const parameters of <Record<string, string>[]>[
        { SubRecordType: "JSON" },
        { SubRecordType: "DELIMITED", Delimiter: Buffer.from("####").toString("base64") },
      ]) {
        assert.deepEqual(await violationsOf(withDeaggregation(partitionedParquetStream(), parameters)), []);
      }
    });

    it("rejects it without dynamic partitioning, as Firehose does", async () => {
      const stream = withDeaggregation(directPutS3Stream(), { SubRecordType: "JSON" });
      assert.deepEqual(await violationsOf(stream), [
        `${AT} is a RecordDeAggregation processor but dynamic partitioning is not enabled; Firehose rejects the ` +
          "stream (the processor can only be present when Dynamic Partitioning is enabled): set " +
          "dynamicPartitioningConfiguration.enabled to true, or remove the processor",
      ]);
    });

    it("rejects an unknown or missing SubRecordType", async () => {
      assert.deepEqual(
        await violationsOf(withDeaggregation(partitionedParquetStream(), { SubRecordType: "CSV" })),
        [`${AT} SubRecordType is "CSV": use JSON or DELIMITED`],
      );
      assert.deepEqual(await violationsOf(withDeaggregation(partitionedParquetStream(), {})), [
        `${AT} SubRecordType is not set: use JSON or DELIMITED`,
      ]);
    });

    it("rejects DELIMITED without a base64 Delimiter", async () => {
      const plain = withDeaggregation(partitionedParquetStream(), {
        SubRecordType: "DELIMITED",
        Delimiter: "####",
      });
      assert.deepEqual(await violationsOf(plain), [
        `${AT} SubRecordType is DELIMITED but its Delimiter is "####", which is not base64: set it to the ` +
          "delimiter base64-encoded (#### is IyMjIw==)",
      ]);
      const missing = withDeaggregation(partitionedParquetStream(), { SubRecordType: "DELIMITED" });
      assert.deepEqual(await violationsOf(missing), [
        `${AT} SubRecordType is DELIMITED but its Delimiter is not set: set it to the delimiter base64-encoded ` +
          "(#### is IyMjIw==)",
      ]);
    });

    it("notes, without a violation, dynamic partitioning unknown at preview", async () => {
      const stream = withDeaggregation(
        patched(partitionedParquetStream(), {
          extendedS3Configuration: { dynamicPartitioningConfiguration: { enabled: UNKNOWN } },
        }),
        { SubRecordType: "JSON" },
      );
      const partitioning = "extendedS3Configuration.dynamicPartitioningConfiguration.enabled";
      assert.deepEqual(await violationsOf(stream), []);
      assert.deepEqual(await advisoriesOf(stream), [
        `${PREVIEW_NOTE}${partitioning} (processors run); ${partitioning} (dynamic partitioning is on for ` +
          "RecordDeAggregation)",
      ]);
    });

    it("notes, without a violation, a SubRecordType or Delimiter unknown at preview", async () => {
      const parameters = "extendedS3Configuration.processingConfiguration.processors[0].parameters";
      const unknownType = withDeaggregation(partitionedParquetStream(), { SubRecordType: UNKNOWN });
      assert.deepEqual(await violationsOf(unknownType), []);
      assert.deepEqual(await advisoriesOf(unknownType), [
        `${PREVIEW_NOTE}${parameters}[0].parameterValue (SubRecordType is JSON or DELIMITED)`,
      ]);
      const unknownDelimiter = withDeaggregation(partitionedParquetStream(), {
        SubRecordType: "DELIMITED",
        Delimiter: UNKNOWN,
      });
      assert.deepEqual(await violationsOf(unknownDelimiter), []);
      assert.deepEqual(await advisoriesOf(unknownDelimiter), [
        `${PREVIEW_NOTE}${parameters}[1].parameterValue (Delimiter is base64)`,
      ]);
    });
  });
});
