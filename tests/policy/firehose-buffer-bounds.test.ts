import * as assert from "assert";
import { firehoseBufferBounds } from "../../policy/policies/firehose-buffer-bounds";
import { firehoseBufferOrganisationBounds } from "../../policy/policies/firehose-buffer-organisation-bounds";
import {
  directPutS3Stream,
  httpEndpointStream,
  openSearchStream,
  partitionedParquetStream,
  redshiftStream,
} from "./fixtures";
import { evaluate, messagesOf, patched, resource, TYPES, UNKNOWN } from "./helpers";
import { itPassesEveryValidStream, streamViolations } from "./stream-policy";

const STREAM = "FirehoseDeliveryStream 'events': ";

function violationsOf(
  props: Record<string, unknown>,
  config = {},
  level: "mandatory" | "advisory" = "mandatory",
) {
  return streamViolations(firehoseBufferBounds, props, config, level);
}

describe("firehose-buffer-bounds", () => {
  itPassesEveryValidStream(firehoseBufferBounds);

  it("checks backup and failed-data S3 buffers too: 1-128 MiB and 0-900 s", async () => {
    const backup = patched(directPutS3Stream(), {
      extendedS3Configuration: {
        s3BackupMode: "Enabled",
        s3BackupConfiguration: { bucketArn: "arn:aws:s3:::backup", bufferingSize: 129 },
      },
    });
    assert.deepEqual(await violationsOf(backup), [
      `${STREAM}extendedS3Configuration.s3BackupConfiguration.bufferingSize is 129 MiB; AWS accepts 1-128 MiB ` +
        "for an S3 configuration: set it within that range",
    ]);
    const failedData = patched(openSearchStream(), {
      opensearchConfiguration: { s3Configuration: { bufferingInterval: 901 } },
    });
    assert.deepEqual(await violationsOf(failedData), [
      `${STREAM}opensearchConfiguration.s3Configuration.bufferingInterval is 901 s; AWS accepts 0-900 s ` +
        "for an S3 configuration: set it within that range",
    ]);
  });

  it("rejects an extended S3 buffer above 128 MiB", async () => {
    const stream = patched(directPutS3Stream(), { extendedS3Configuration: { bufferingSize: 256 } });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.bufferingSize is 256 MiB; AWS accepts 1-128 MiB for extended_s3: set it ` +
        "within that range",
    ]);
  });

  it("rejects a buffer interval above 900 s", async () => {
    const stream = patched(directPutS3Stream(), { extendedS3Configuration: { bufferingInterval: 1200 } });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.bufferingInterval is 1200 s; AWS accepts 0-900 s for extended_s3: set it ` +
        "within that range",
    ]);
  });

  it("rejects dynamic partitioning with a 32 MiB buffer (CloudFormation: SizeInMBs must be at least 64)", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: { bufferingSize: 32, dataFormatConversionConfiguration: undefined },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.bufferingSize must be at least 64 MiB when dynamic partitioning is ` +
        "enabled, got 32 MiB: AWS rejects the stream; set bufferingSize to 64 or more",
    ]);
  });

  it("counts an unset size as the provider's 5 MiB when dynamic partitioning is on", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: { bufferingSize: undefined, dataFormatConversionConfiguration: undefined },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.bufferingSize must be at least 64 MiB when dynamic partitioning is ` +
        "enabled, got 5 MiB (unset: the provider's default): AWS rejects the stream; set bufferingSize to 64 or more",
    ]);
  });

  it("rejects zero buffering (interval 0) with dynamic partitioning", async () => {
    const stream = patched(partitionedParquetStream(), { extendedS3Configuration: { bufferingInterval: 0 } });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.bufferingInterval must be at least 60 s when dynamic partitioning is ` +
        "enabled, got 0 s: AWS rejects the stream; set bufferingInterval to 60 or more",
    ]);
  });

  it("rejects format conversion with a 32 MiB buffer", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: { bufferingSize: 32, dynamicPartitioningConfiguration: undefined },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.bufferingSize must be at least 64 MiB when data format conversion is ` +
        "enabled, got 32 MiB: AWS rejects the stream; set bufferingSize to 64 or more",
    ]);
  });

  it("accepts a small buffer when format conversion is configured but disabled", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: {
        bufferingSize: 32,
        dynamicPartitioningConfiguration: undefined,
        dataFormatConversionConfiguration: { enabled: false },
      },
    });
    assert.deepEqual(await violationsOf(stream), []);
  });

  it("rejects an OpenSearch buffer above 100 MiB", async () => {
    const stream = patched(openSearchStream(), { opensearchConfiguration: { bufferingSize: 128 } });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}opensearchConfiguration.bufferingSize is 128 MiB; AWS accepts 1-100 MiB for opensearch: set it ` +
        "within that range",
    ]);
  });

  it("rejects an HTTP endpoint buffer above 64 MiB, which the Terraform provider would let through", async () => {
    const stream = patched(httpEndpointStream(), { httpEndpointConfiguration: { bufferingSize: 100 } });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}httpEndpointConfiguration.bufferingSize is 100 MiB; AWS accepts 1-64 MiB for http_endpoint: ` +
        "set it within that range",
    ]);
  });

  it("rejects a Redshift staging buffer of 0 MiB", async () => {
    const stream = patched(redshiftStream(), {
      redshiftConfiguration: { s3Configuration: { bufferingSize: 0 } },
    });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}redshiftConfiguration.s3Configuration.bufferingSize is 0 MiB; AWS accepts 1-128 MiB for ` +
        "redshift: set it within that range",
    ]);
  });

  it("rejects a Lambda processor buffer above 3 MiB", async () => {
    const stream = directPutS3Stream();
    stream.extendedS3Configuration.processingConfiguration.processors[0].parameters[1].parameterValue = "6";
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.processingConfiguration.processors[0] parameter BufferSizeInMBs is "6"; ` +
        "it must be a number within 0.2-3 MiB: set it within that range or leave it out for the default",
    ]);
  });

  it("rejects a Lambda processor interval below the safe 60 s, unless config lowers it", async () => {
    const stream = directPutS3Stream();
    stream.extendedS3Configuration.processingConfiguration.processors[0].parameters[2].parameterValue = "10";
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}extendedS3Configuration.processingConfiguration.processors[0] parameter BufferIntervalInSeconds ` +
        'is "10"; it must be a number within 60-900 s: set it within that range or leave it out for the default',
    ]);
    const config = { "firehose-buffer-bounds": { lambdaMinBufferIntervalSeconds: 0 } };
    assert.deepEqual(await violationsOf(stream, config), []);
  });

  it("skips with an advisory note, and no violation, when dynamic partitioning is unknown", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: {
        bufferingSize: 32,
        dynamicPartitioningConfiguration: { enabled: UNKNOWN },
        dataFormatConversionConfiguration: undefined,
      },
    });
    assert.deepEqual(await violationsOf(stream), []);
    assert.deepEqual(await violationsOf(stream, {}, "advisory"), [
      "can't run policy 'firehose-buffer-bounds' during preview: not checked until the values are known at " +
        "deployment: extendedS3Configuration.dynamicPartitioningConfiguration.enabled (buffer minimums of " +
        "dynamic partitioning)",
    ]);
  });

  it("accepts exactly the minimums of dynamic partitioning: 64 MiB and 60 s", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: { bufferingSize: 64, bufferingInterval: 60 },
    });
    assert.deepEqual(await violationsOf(stream), []);
  });

  it("counts an unset interval as the provider's 300 s, which meets dynamic partitioning's 60 s", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: { bufferingInterval: undefined },
    });
    assert.deepEqual(await violationsOf(stream), []);
  });

  it("notes, without a violation, a buffer size unknown at preview instead of checking its minimums", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: { bufferingSize: UNKNOWN, dataFormatConversionConfiguration: undefined },
    });
    assert.deepEqual(await violationsOf(stream), []);
    assert.deepEqual(await violationsOf(stream, {}, "advisory"), [
      "can't run policy 'firehose-buffer-bounds' during preview: not checked until the values are known at " +
        "deployment: extendedS3Configuration.bufferingSize (within AWS's 1-128 MiB); " +
        "extendedS3Configuration.bufferingSize (at least 64 MiB when dynamic partitioning is enabled)",
    ]);
  });

  it("notes, without a violation, a format conversion switch unknown at preview", async () => {
    const stream = patched(partitionedParquetStream(), {
      extendedS3Configuration: {
        bufferingSize: 32,
        dynamicPartitioningConfiguration: undefined,
        dataFormatConversionConfiguration: { enabled: UNKNOWN },
      },
    });
    assert.deepEqual(await violationsOf(stream), []);
    assert.deepEqual(await violationsOf(stream, {}, "advisory"), [
      "can't run policy 'firehose-buffer-bounds' during preview: not checked until the values are known at " +
        "deployment: extendedS3Configuration.dataFormatConversionConfiguration.enabled (buffer minimum of " +
        "format conversion)",
    ]);
  });

  it("accepts a Lambda processor without buffer parameters, which then gets Firehose's defaults", async () => {
    const stream = directPutS3Stream();
    const lambda = stream.extendedS3Configuration.processingConfiguration.processors[0];
    lambda.parameters = lambda.parameters.slice(0, 1);
    assert.deepEqual(await violationsOf(stream), []);
  });

  it("accepts Lambda processor buffers at both ends of their ranges: 0.2-3 MiB and 60-900 s", async () => {
    for (const [size, interval] of [
      ["0.2", "60"],
      ["3", "900"],
    ]) {
      const stream = directPutS3Stream();
      const [, sizeParameter, intervalParameter] =
        stream.extendedS3Configuration.processingConfiguration.processors[0].parameters;
      sizeParameter.parameterValue = size;
      intervalParameter.parameterValue = interval;
      assert.deepEqual(
        await violationsOf(stream),
        [],
        `BufferSizeInMBs ${size}, BufferIntervalInSeconds ${interval}`,
      );
    }
  });

  it("holds only Lambda processors to the Lambda buffer ranges", async () => {
    const stream = directPutS3Stream();
    stream.extendedS3Configuration.processingConfiguration.processors.push({
      type: "AppendDelimiterToRecord",
      parameters: [{ parameterName: "BufferIntervalInSeconds", parameterValue: "10" }],
    });
    assert.deepEqual(await violationsOf(stream), []);
  });

  it("notes, without a violation, Lambda processor settings unknown at preview", async () => {
    const unknownProcessing = patched(directPutS3Stream(), {
      extendedS3Configuration: { processingConfiguration: UNKNOWN },
    });
    assert.deepEqual(await violationsOf(unknownProcessing), []);
    assert.deepEqual(await violationsOf(unknownProcessing, {}, "advisory"), [
      "can't run policy 'firehose-buffer-bounds' during preview: not checked until the values are known at " +
        "deployment: extendedS3Configuration.processingConfiguration (Lambda processor buffer parameters)",
    ]);

    const unknownSize = directPutS3Stream();
    const parameters = unknownSize.extendedS3Configuration.processingConfiguration.processors[0].parameters;
    parameters[1].parameterValue = UNKNOWN;
    assert.deepEqual(await violationsOf(unknownSize), []);
    assert.deepEqual(await violationsOf(unknownSize, {}, "advisory"), [
      "can't run policy 'firehose-buffer-bounds' during preview: not checked until the values are known at " +
        "deployment: extendedS3Configuration.processingConfiguration.processors[0].parameters[1].parameterValue " +
        "(BufferSizeInMBs within 0.2-3 MiB)",
    ]);
  });
});

describe("firehose-buffer-organisation-bounds", () => {
  const check = (props: Record<string, unknown>, config = {}, level: "mandatory" | "advisory" = "advisory") =>
    messagesOf(
      evaluate(firehoseBufferOrganisationBounds, resource(TYPES.stream, props, "events"), config),
      level,
    );

  it("passes buffers within the default bounds", async () => {
    assert.deepEqual(await check(directPutS3Stream()), []);
    assert.deepEqual(await check(redshiftStream()), []);
  });

  it("flags, as advisory, an extended S3 buffer below the organisation's minimum", async () => {
    const stream = patched(directPutS3Stream(), { extendedS3Configuration: { bufferingSize: 4 } });
    assert.deepEqual(await check(stream), [
      `${STREAM}extendedS3Configuration.bufferingSize is 4 MiB, outside the organisation's bounds for ` +
        "extended_s3 (at least 16 MiB): set it within that range to keep object sizes and delivery latency as agreed",
    ]);
  });

  it("flags a buffer above the organisation's maximum, and leaves backup buffers to AWS's bounds", async () => {
    const config = {
      "firehose-buffer-organisation-bounds": { bounds: { extended_s3: { maxSizeMiB: 64 } } },
    };
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: {
        bufferingSize: 65,
        s3BackupMode: "Enabled",
        s3BackupConfiguration: { bucketArn: "arn:aws:s3:::backup", bufferingSize: 128 },
      },
    });
    assert.deepEqual(await check(stream, config), [
      `${STREAM}extendedS3Configuration.bufferingSize is 65 MiB, outside the organisation's bounds for ` +
        "extended_s3 (at most 64 MiB): set it within that range to keep object sizes and delivery latency as agreed",
    ]);
  });

  it("takes bounds per destination from config, and a mandatory level when configured", async () => {
    const config = {
      "firehose-buffer-organisation-bounds": {
        enforcementLevel: "mandatory",
        bounds: { opensearch: { minIntervalSeconds: 120, maxIntervalSeconds: 300 } },
      },
    };
    assert.deepEqual(await check(openSearchStream(), config, "mandatory"), [
      `${STREAM}opensearchConfiguration.bufferingInterval is 60 s, outside the organisation's bounds for ` +
        "opensearch (120-300 s): set it within that range to keep object sizes and delivery latency as agreed",
    ]);
  });

  it("accepts buffers at the organisation's bounds themselves, and a maximum with no minimum", async () => {
    const exact = {
      "firehose-buffer-organisation-bounds": {
        bounds: {
          opensearch: { minSizeMiB: 5, maxSizeMiB: 5, minIntervalSeconds: 60, maxIntervalSeconds: 60 },
        },
      },
    };
    assert.deepEqual(await check(openSearchStream(), exact), []);
    const maxOnly = {
      "firehose-buffer-organisation-bounds": { bounds: { extended_s3: { maxSizeMiB: 64 } } },
    };
    assert.deepEqual(await check(directPutS3Stream(), maxOnly), []);
  });

  it("reports an unset interval as the provider's 300 s", async () => {
    const config = {
      "firehose-buffer-organisation-bounds": { bounds: { opensearch: { maxIntervalSeconds: 200 } } },
    };
    const stream = patched(openSearchStream(), { opensearchConfiguration: { bufferingInterval: undefined } });
    assert.deepEqual(await check(stream, config), [
      `${STREAM}opensearchConfiguration.bufferingInterval is 300 s (unset: the provider's default), outside the ` +
        "organisation's bounds for opensearch (at most 200 s): set it within that range to keep object sizes and " +
        "delivery latency as agreed",
    ]);
  });

  it("notes a buffer size unknown at preview instead of checking it", async () => {
    const stream = patched(directPutS3Stream(), { extendedS3Configuration: { bufferingSize: UNKNOWN } });
    assert.deepEqual(await check(stream), [
      "can't run policy 'firehose-buffer-organisation-bounds' during preview: not checked until the values are " +
        "known at deployment: extendedS3Configuration.bufferingSize (the organisation's bounds for extended_s3)",
    ]);
  });

  it("does not wait for a value the organisation sets no bounds on", async () => {
    const config = {
      "firehose-buffer-organisation-bounds": { bounds: { opensearch: { minIntervalSeconds: 60 } } },
    };
    const stream = patched(openSearchStream(), { opensearchConfiguration: { bufferingSize: UNKNOWN } });
    assert.deepEqual(await check(stream, config), []);
  });
});
