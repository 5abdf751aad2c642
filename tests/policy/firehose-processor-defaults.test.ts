import * as assert from "assert";
import { firehoseProcessorDefaults } from "../../policy/policies/firehose-processor-defaults";
import { directPutS3Stream } from "./fixtures";
import { patched, UNKNOWN } from "./helpers";
import { itPassesEveryValidStream, streamViolations } from "./stream-policy";

const STREAM = "FirehoseDeliveryStream 'events': ";
const PROCESSOR = "extendedS3Configuration.processingConfiguration.processors[0]";

/** The direct-put stream with its Lambda processor's tuning parameters replaced. */
function withParameters(...parameters: { parameterName: string; parameterValue: unknown }[]) {
  const stream = directPutS3Stream();
  const lambda = stream.extendedS3Configuration.processingConfiguration.processors[0];
  lambda.parameters = [lambda.parameters[0], ...(parameters as typeof lambda.parameters)];
  return stream;
}

const advisories = (props: Record<string, unknown>, config = {}) =>
  streamViolations(firehoseProcessorDefaults, props, config, "advisory");

describe("firehose-processor-defaults", () => {
  itPassesEveryValidStream(firehoseProcessorDefaults);

  it("flags each parameter set to Firehose's default, naming it and its value", async () => {
    const stream = withParameters(
      { parameterName: "BufferSizeInMBs", parameterValue: "1" },
      { parameterName: "BufferIntervalInSeconds", parameterValue: "60" },
      { parameterName: "NumberOfRetries", parameterValue: "3" },
    );
    const fix = "the provider drops it from state, so every preview shows a diff; leave the parameter out";
    assert.deepEqual(await advisories(stream), [
      `${STREAM}${PROCESSOR} sets BufferSizeInMBs to "1", Firehose's default: ${fix}`,
      `${STREAM}${PROCESSOR} sets BufferIntervalInSeconds to "60", Firehose's default: ${fix}`,
      `${STREAM}${PROCESSOR} sets NumberOfRetries to "3", Firehose's default: ${fix}`,
    ]);
  });

  it("compares numerically ('1.0' is the default too) and passes other values", async () => {
    assert.equal(
      (await advisories(withParameters({ parameterName: "BufferSizeInMBs", parameterValue: "1.0" }))).length,
      1,
    );
    assert.deepEqual(
      await advisories(withParameters({ parameterName: "NumberOfRetries", parameterValue: "5" })),
      [],
    );
  });

  it("takes the defaults from config", async () => {
    const stream = withParameters({ parameterName: "NumberOfRetries", parameterValue: "5" });
    assert.equal(
      (await advisories(stream, { "firehose-processor-defaults": { defaults: { NumberOfRetries: "5" } } }))
        .length,
      1,
    );
  });

  it("does not flag an unknown value", async () => {
    assert.deepEqual(
      await advisories(withParameters({ parameterName: "BufferSizeInMBs", parameterValue: UNKNOWN })),
      [],
    );
  });

  it("flags processors under a disabled processing configuration: AWS accepts them, they never run", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { processingConfiguration: { enabled: false } },
    });
    assert.deepEqual(await advisories(stream), [
      `${STREAM}extendedS3Configuration.processingConfiguration.enabled is false, so its 1 processor(s) never ` +
        "run: set enabled: true, or remove them",
    ]);
  });

  it("says when enabled is not set: the processors never run either", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { processingConfiguration: { enabled: undefined } },
    });
    assert.deepEqual(await advisories(stream), [
      `${STREAM}extendedS3Configuration.processingConfiguration.enabled is not set, so its 1 processor(s) never ` +
        "run: set enabled: true, or remove them",
    ]);
  });

  it("does not flag a disabled processing configuration that has no processors", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { processingConfiguration: { enabled: false, processors: [] } },
    });
    assert.deepEqual(await advisories(stream), []);
  });

  it("compares only a Lambda processor's parameters with the Lambda defaults", async () => {
    const stream = directPutS3Stream();
    stream.extendedS3Configuration.processingConfiguration.processors.push({
      type: "MetadataExtraction",
      parameters: [
        { parameterName: "MetadataExtractionQuery", parameterValue: "{country: .country}" },
        { parameterName: "NumberOfRetries", parameterValue: "3" },
      ],
    });
    assert.deepEqual(await advisories(stream), []);
  });

  it("notes a processor list that is unknown at preview as not checked", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { processingConfiguration: { processors: UNKNOWN } },
    });
    assert.deepEqual(await advisories(stream), [
      "can't run policy 'firehose-processor-defaults' during preview: not checked until the values are known at " +
        "deployment: extendedS3Configuration.processingConfiguration.processors (processor parameters left at " +
        "their defaults)",
    ]);
  });

  it("is advisory: never blocks an update", async () => {
    const stream = withParameters({ parameterName: "NumberOfRetries", parameterValue: "3" });
    assert.deepEqual(await streamViolations(firehoseProcessorDefaults, stream), []);
  });
});
