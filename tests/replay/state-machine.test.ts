// The replay state machine (`replay.stateMachine`) as the program declares it under the mocks: a definition that
// asl-validator accepts, a Distributed Map over the lake's error objects with the configured concurrency and the
// worker as its task, the worker's archive and environment, and the bucket policy's second raw-record reader.
import * as assert from "node:assert/strict";
import aslValidator from "asl-validator";
import { replayFunctionNameOf } from "../../config/naming";
import { evaluateStack, NO_SECRETS, StackResource } from "../../offline/evaluate-stack";
import { REPLAY_RESULTS_ROOT, replayStateMachineDefinition } from "../../replay/state-machine-definition";
import { WORKER_BUCKET_VARIABLE, WORKER_SETTINGS_FILE } from "../../replay/worker";
import { only, ofType, problemsOf, rawConfigOf, settingsOf, statementsOf, TYPES } from "../support/stacks";

interface TaskState {
  readonly Resource: string;
  readonly Parameters: unknown;
  readonly Retry: { readonly ErrorEquals: string[] }[];
}

interface MapState {
  readonly Type: string;
  readonly ItemReader: unknown;
  readonly ItemSelector: unknown;
  MaxConcurrency: unknown;
  readonly ToleratedFailurePercentage?: number;
  readonly ItemProcessor: { ProcessorConfig: unknown; StartAt: string; States: Record<string, TaskState> };
  readonly ResultWriter: { readonly Parameters: unknown };
}

interface Definition {
  readonly StartAt: string;
  readonly States: Record<string, MapState>;
}

describe("replay state machine: declared resources (prod: replay.stateMachine true, maxConcurrency 20)", function () {
  this.timeout(120_000);
  let resources: StackResource[];
  let definition: Definition;
  const prod = settingsOf("prod");

  before(async () => {
    ({ resources } = await evaluateStack(prod, NO_SECRETS));
    definition = JSON.parse(only(resources, TYPES.stateMachine).inputs.definition) as Definition;
  });

  it("is a definition asl-validator accepts, and asl-validator is strict enough to refuse a broken one", () => {
    const result = aslValidator(structuredClone(definition));
    assert.deepEqual(result.errors, []);
    assert.equal(result.isValid, true);
    const broken = structuredClone(definition);
    broken.States.ReplayEachObject.MaxConcurrency = "20";
    assert.equal(aslValidator(broken).isValid, false);
  });

  it("maps over ListObjectsV2 of the lake bucket at the input's prefix, 20 objects at once, one worker invocation each", () => {
    const bucket = only(resources, TYPES.bucket).state.bucket;
    const worker = only(resources, TYPES.function, "replay-worker");
    const map = definition.States[definition.StartAt];
    assert.equal(map.Type, "Map");
    assert.deepEqual(map.ItemReader, {
      Resource: "arn:aws:states:::s3:listObjectsV2",
      Parameters: { Bucket: bucket, "Prefix.$": "$.prefix" },
    });
    assert.deepEqual(map.ItemSelector, { "key.$": "$$.Map.Item.Value.Key" });
    assert.equal(map.MaxConcurrency, 20);
    assert.equal(
      map.ToleratedFailurePercentage,
      undefined,
      "the first object failing after retries stops the run",
    );
    assert.deepEqual(map.ItemProcessor.ProcessorConfig, { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" });
    const task = map.ItemProcessor.States[map.ItemProcessor.StartAt];
    assert.equal(task.Resource, "arn:aws:states:::lambda:invoke");
    assert.deepEqual(task.Parameters, { FunctionName: worker.state.arn, "Payload.$": "$" });
    assert.ok(
      task.Retry.some((r) => r.ErrorEquals.includes("ReplayIncomplete")),
      "a worker that left records unsent is retried",
    );
    assert.deepEqual(map.ResultWriter.Parameters, { Bucket: bucket, Prefix: REPLAY_RESULTS_ROOT });
  });

  it("the state machine and its worker are named after the stack, and the machine runs as its own role", () => {
    const machine = only(resources, TYPES.stateMachine);
    assert.equal(machine.inputs.name, replayFunctionNameOf("firehose-etl-prod"));
    assert.equal(machine.inputs.type, "STANDARD");
    assert.equal(machine.inputs.roleArn, only(resources, TYPES.role, "replay-role").state.arn);
  });

  it("the worker runs as the lake's replay-worker role, with the stack's settings in its archive and the bucket in its environment", async () => {
    const worker = only(resources, TYPES.function, "replay-worker");
    assert.equal(worker.inputs.role, only(resources, TYPES.role, "lake-replay-worker").state.arn);
    assert.equal(worker.inputs.timeout, 900);
    assert.equal(
      worker.inputs.environment.variables[WORKER_BUCKET_VARIABLE],
      only(resources, TYPES.bucket).state.bucket,
    );
    const assets = await archiveAssets(worker.inputs.code);
    assert.deepEqual(Object.keys(assets).sort(), ["index.js", WORKER_SETTINGS_FILE]);
    assert.deepEqual(JSON.parse(assets[WORKER_SETTINGS_FILE]), JSON.parse(JSON.stringify(prod)));
    assert.match(assets["index.js"], /exports/);
    const logs = only(resources, TYPES.logGroup, "replay-logs");
    assert.equal(logs.inputs.name, `/aws/lambda/${replayFunctionNameOf("firehose-etl-prod")}`);
    assert.equal(logs.inputs.kmsKeyId, only(resources, TYPES.key).state.arn);
  });

  it("the bucket policy lets the break-glass role and the worker read raw records, nobody else", () => {
    const policy = statementsOf(only(resources, TYPES.bucketPolicy).inputs.policy);
    const deny = policy.find((s) => s.Sid === "DenyRawRecordReadsButBreakGlass");
    assert.deepEqual(deny?.Condition, {
      ArnNotEquals: {
        "aws:PrincipalArn": [
          only(resources, TYPES.role, "lake-error-reader").state.arn,
          only(resources, TYPES.role, "lake-replay-worker").state.arn,
        ],
      },
    });
  });
});

describe("replay state machine: off by default", function () {
  this.timeout(120_000);

  it("dev (replay.stateMachine false) has no state machine, no worker and one raw-record reader", async () => {
    const { resources } = await evaluateStack(settingsOf("dev"), NO_SECRETS);
    assert.deepEqual(ofType(resources, TYPES.stateMachine), []);
    assert.deepEqual(
      ofType(resources, TYPES.function).map((f) => f.name),
      ["transform-function"],
    );
    const deny = statementsOf(only(resources, TYPES.bucketPolicy).inputs.policy).find(
      (s) => s.Sid === "DenyRawRecordReadsButBreakGlass",
    );
    assert.equal(typeof deny?.Condition?.ArnNotEquals?.["aws:PrincipalArn"], "string");
  });

  it("refuses a concurrency a Distributed Map cannot run, naming the key and the value", () => {
    for (const maxConcurrency of [0, 10001, 2.5]) {
      const raw = rawConfigOf("prod");
      raw.replay = { stateMachine: true, maxConcurrency };
      const problems = problemsOf(raw);
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.match(problems[0], /firehose-etl:replay\.maxConcurrency/);
      assert.match(problems[0], new RegExp(`got ${maxConcurrency}`));
    }
  });

  it("the definition is built from its arguments alone", () => {
    const d = replayStateMachineDefinition({
      bucket: "b",
      functionArn: "arn:f",
      maxConcurrency: 3,
    }) as unknown as Definition;
    assert.equal(d.States.ReplayEachObject.MaxConcurrency, 3);
    assert.equal(aslValidator(d).isValid, true);
  });
});

/** The files of a Lambda code archive as the mocks record it (an AssetArchive of StringAssets, each awaited). */
async function archiveAssets(code: unknown): Promise<Record<string, string>> {
  const archive = code as { assets?: Promise<Record<string, { text?: Promise<string> }>> };
  if (!archive.assets) throw new Error(`not an asset archive: ${JSON.stringify(code).slice(0, 200)}`);
  const assets = await archive.assets;
  return Object.fromEntries(
    await Promise.all(Object.entries(assets).map(async ([name, asset]) => [name, (await asset.text) ?? ""])),
  );
}
