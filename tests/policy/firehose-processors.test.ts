// The processors of a destination block as the rules read them: processingOf (every processor, for the checks AWS
// makes whether or not they run) and activeProcessors (only those that run).
import * as assert from "assert";
import { activeProcessors, processingOf } from "../../policy/rules/firehose-processors";
import { InputObject, isUnknown, readInputs } from "../../policy/lib/unknown-values";
import { UNKNOWN } from "./helpers";

const PATH = "extendedS3Configuration";
const LAMBDA_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:transform";

/** The extended S3 block with `processingConfiguration`, read as a rule reads a stream's inputs. */
function block(processingConfiguration?: unknown): InputObject {
  const inputs = readInputs({ [PATH]: { bucketArn: "arn:aws:s3:::lake", processingConfiguration } });
  return inputs[PATH] as InputObject;
}

const lambda = (...parameters: unknown[]) => ({ type: "Lambda", parameters });

describe("processingOf", () => {
  it("is undefined for a block without a processing configuration", () => {
    assert.equal(processingOf(block(), PATH), undefined);
  });

  it("reads each processor with its path, type and parameters by name", () => {
    const processing = processingOf(
      block({
        enabled: true,
        processors: [
          {
            type: "RecordDeAggregation",
            parameters: [{ parameterName: "SubRecordType", parameterValue: "JSON" }],
          },
          lambda({ parameterName: "LambdaArn", parameterValue: LAMBDA_ARN }),
        ],
      }),
      PATH,
    );
    assert.ok(processing !== undefined && !isUnknown(processing.processors));
    assert.equal(processing.path, `${PATH}.processingConfiguration`);
    assert.equal(processing.enabled, true);
    assert.deepEqual(
      processing.processors.map((p) => [p.path, p.type, [...p.parameters]]),
      [
        [`${PATH}.processingConfiguration.processors[0]`, "RecordDeAggregation", [["SubRecordType", "JSON"]]],
        [`${PATH}.processingConfiguration.processors[1]`, "Lambda", [["LambdaArn", LAMBDA_ARN]]],
      ],
    );
  });

  it("reads a configuration without processors as having none", () => {
    assert.deepEqual(processingOf(block({ enabled: true }), PATH)?.processors, []);
  });

  it("leaves out a parameter without a name, and keeps an unknown value as unknown", () => {
    const processing = processingOf(
      block({
        enabled: true,
        processors: [
          lambda({ parameterValue: "3" }, { parameterName: "LambdaArn", parameterValue: UNKNOWN }),
        ],
      }),
      PATH,
    );
    assert.ok(processing !== undefined && !isUnknown(processing.processors));
    const parameters = [...processing.processors[0].parameters];
    assert.deepEqual(
      parameters.map(([name, value]) => [name, isUnknown(value)]),
      [["LambdaArn", true]],
    );
  });

  it("reads a parameter not set as unknown while the list or a name in it is unknown, and as unset otherwise", () => {
    /** The parameters of the one processor of `processor`'s processing configuration. */
    const parametersOf = (processor: unknown) => {
      const processing = processingOf(block({ enabled: true, processors: [processor] }), PATH);
      assert.ok(processing !== undefined && !isUnknown(processing.processors));
      return processing.processors[0].parameters;
    };
    const unknownList = parametersOf({ type: "Lambda", parameters: UNKNOWN });
    assert.ok(isUnknown(unknownList.get("LambdaArn")) && !unknownList.has("LambdaArn"));
    const unknownName = parametersOf(
      lambda(
        { parameterName: UNKNOWN, parameterValue: "3" },
        { parameterName: "LambdaArn", parameterValue: "a" },
      ),
    );
    assert.ok(isUnknown(unknownName.get("NumberOfRetries")));
    assert.equal(unknownName.get("LambdaArn"), "a");
    const known = parametersOf(lambda({ parameterName: "LambdaArn", parameterValue: LAMBDA_ARN }));
    assert.equal(known.get("NumberOfRetries"), undefined);
    assert.equal(known.get("LambdaArn"), LAMBDA_ARN);
  });

  it("keeps an unknown processing configuration unknown in both enabled and processors", () => {
    const processing = processingOf(block(UNKNOWN), PATH);
    assert.ok(processing !== undefined);
    assert.equal(processing.path, `${PATH}.processingConfiguration`);
    assert.ok(isUnknown(processing.enabled) && isUnknown(processing.processors));
  });
});

describe("activeProcessors", () => {
  const processors = [lambda({ parameterName: "LambdaArn", parameterValue: LAMBDA_ARN })];

  it("is empty without a processing configuration", () => {
    assert.deepEqual(activeProcessors(processingOf(block(), PATH)), []);
  });

  it("is empty when the configuration is disabled or enabled is not set: those processors never run", () => {
    assert.deepEqual(activeProcessors(processingOf(block({ enabled: false, processors }), PATH)), []);
    assert.deepEqual(activeProcessors(processingOf(block({ processors }), PATH)), []);
  });

  it("is the processors of an enabled configuration", () => {
    const active = activeProcessors(processingOf(block({ enabled: true, processors }), PATH));
    assert.ok(!isUnknown(active));
    assert.deepEqual(
      active.map((p) => p.type),
      ["Lambda"],
    );
  });

  it("is unknown when enabled is unknown at preview", () => {
    assert.ok(isUnknown(activeProcessors(processingOf(block({ enabled: UNKNOWN, processors }), PATH))));
  });
});
