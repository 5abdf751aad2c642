// The engine behaves like @pulumi/policy's analyzer server: argument bags, config and levels, not-applicable,
// unknown values, and failures.
import * as aws from "@pulumi/aws";
import {
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import * as assert from "assert";
import { evaluatePolicies } from "../../policy/evaluate";
import { firehoseBufferBounds } from "../../policy/policies/firehose-buffer-bounds";
import { directPutS3Stream } from "./fixtures";
import { evaluate, patched, resource, TYPES, UNKNOWN, urnOf } from "./helpers";

/** A policy that records the args it was called with and reports one violation. */
function recordingPolicy(seen: ResourceValidationArgs[]): ResourceValidationPolicy {
  return {
    name: "recording",
    description: "Records its arguments.",
    enforcementLevel: "mandatory",
    configSchema: {
      properties: { threshold: { type: "integer", default: 3 }, label: { type: "string", default: "x" } },
    },
    validateResource: (args, reportViolation) => {
      seen.push(args);
      reportViolation(`saw ${args.name}`);
    },
  };
}

describe("evaluatePolicies", () => {
  it("builds complete resource args: type checks, config with schema defaults, stack tags, options", async () => {
    const seen: ResourceValidationArgs[] = [];
    const stream = resource(TYPES.stream, { destination: "extended_s3" }, "events", {
      parent: urnOf("firehose-etl:ingest:DeliveryStream", "events"),
    });
    const violations = await evaluatePolicies([stream], {
      policies: [recordingPolicy(seen)],
      config: { recording: { threshold: 5 } },
      stackTags: { team: "data" },
    });
    assert.deepEqual(violations, [
      {
        policy: "recording",
        level: "mandatory",
        urn: stream.urn,
        message: "saw events",
        description: "Records its arguments.",
      },
    ]);
    const [args] = seen;
    assert.equal(args.type, TYPES.stream);
    assert.equal(args.isType(aws.kinesis.FirehoseDeliveryStream), true);
    assert.equal(args.isType(aws.s3.Bucket), false);
    assert.equal(args.asType(aws.kinesis.FirehoseDeliveryStream)?.destination, "extended_s3");
    assert.equal(args.asType(aws.s3.Bucket), undefined);
    assert.deepEqual(args.getConfig(), { threshold: 5, label: "x" });
    assert.equal(args.stackTags.get("team"), "data");
    assert.equal(args.opts.parent, stream.parent);
    assert.equal(args.opts.protect, false);
    assert.throws(() => args.notApplicable("not mine"));
  });

  it("takes enforcement levels from the policy, then `all`, then the policy's own entry", async () => {
    const stream = resource(TYPES.stream, {});
    const levelWith = async (config: Record<string, unknown>) =>
      (await evaluatePolicies([stream], { policies: [recordingPolicy([])], config })).map((v) => v.level);
    assert.deepEqual(await levelWith({}), ["mandatory"]);
    assert.deepEqual(await levelWith({ all: "advisory" }), ["advisory"]);
    assert.deepEqual(await levelWith({ all: "advisory", recording: { enforcementLevel: "mandatory" } }), [
      "mandatory",
    ]);
    assert.deepEqual(await levelWith({ recording: "disabled" }), []);
    // As in the SDK, a violation that remains at level remediate is reported as mandatory.
    assert.deepEqual(await levelWith({ recording: "remediate" }), ["mandatory"]);
  });

  it("runs every function of a validateResource array, skipping those that are not applicable", async () => {
    const policy: ResourceValidationPolicy = {
      name: "two-types",
      description: "Validates buckets and streams.",
      configSchema: { properties: {} },
      validateResource: [
        validateResourceOfType(aws.s3.Bucket, (_bucket, _args, report) => report("bucket")),
        validateResourceOfType(aws.kinesis.FirehoseDeliveryStream, async (_stream, _args, report) => {
          await Promise.resolve();
          report("stream");
        }),
      ],
    };
    const violations = await evaluate(policy, [resource(TYPES.stream, {}), resource(TYPES.bucket, {}, "b")]);
    assert.deepEqual(
      violations.map((v) => [v.message, v.level]),
      [
        ["stream", "advisory"],
        ["bucket", "advisory"],
      ],
    );
  });

  it("gives stack policies every resource with parent, dependencies and property dependencies resolved", async () => {
    let seen: StackValidationArgs | undefined;
    const policy: StackValidationPolicy = {
      name: "stack",
      description: "Looks at the stack.",
      configSchema: { properties: { limit: { type: "integer", default: 1 } } },
      validateStack: (args, report) => {
        seen = args;
        report("whole stack");
        report("one resource", args.resources[1].urn);
      },
    };
    const bucket = resource(TYPES.bucket, { bucket: "b" }, "b");
    const encryption = resource(TYPES.bucketEncryption, { bucket: "b" }, "enc", {
      parent: bucket.urn,
      dependencies: [bucket.urn, "urn:not-in-stack"],
      propertyDependencies: { bucket: [bucket.urn] },
    });
    const violations = await evaluate(policy, [bucket, encryption]);
    assert.deepEqual(
      violations.map((v) => [v.message, v.urn]),
      [
        ["whole stack", undefined],
        ["one resource", encryption.urn],
      ],
    );
    assert.ok(seen !== undefined);
    const [seenBucket, seenEncryption] = seen.resources;
    assert.equal(seenEncryption.parent, seenBucket);
    assert.deepEqual(seenEncryption.dependencies, [seenBucket]);
    assert.deepEqual(seenEncryption.propertyDependencies, { bucket: [seenBucket] });
    assert.equal(seenEncryption.isType(aws.s3.BucketServerSideEncryptionConfiguration), true);
    assert.equal(seenBucket.asType(aws.s3.Bucket)?.bucket, "b");
    assert.deepEqual(seen.getConfig(), { limit: 1 });
  });

  it("unwraps secrets and drops undefined inputs, as the SDK's deserialization does", async () => {
    const seen: ResourceValidationArgs[] = [];
    const secretPassword = { [specialSigKey]: specialSecretSig, value: "hunter2" };
    await evaluate(
      recordingPolicy(seen),
      resource(TYPES.cluster, { masterPassword: secretPassword, port: undefined }),
    );
    assert.equal(seen[0].props.masterPassword, "hunter2");
    assert.equal("port" in seen[0].props, false);
  });

  it("reports a policy that reads an unknown value as an advisory note, like the SDK", async () => {
    const policy: ResourceValidationPolicy = {
      name: "naive",
      description: "Reads a value without caring whether it is known.",
      enforcementLevel: "mandatory",
      configSchema: { properties: {} },
      validateResource: (args, report) => report(`prefix is ${String(args.props.prefix)}`),
    };
    const violations = await evaluate(policy, resource(TYPES.stream, { prefix: UNKNOWN }));
    assert.deepEqual(
      violations.map((v) => [v.level, v.message]),
      [
        [
          "advisory",
          "can't run policy 'naive' during preview: string value at .prefix can't be known during preview",
        ],
      ],
    );
  });

  it("keeps the definite violations of a pack policy and notes only the checks an unknown value skipped", async () => {
    const stream = patched(directPutS3Stream(), {
      extendedS3Configuration: { bufferingSize: 200, bufferingInterval: UNKNOWN },
    });
    const violations = await evaluate(firehoseBufferBounds, resource(TYPES.stream, stream, "events"));
    assert.deepEqual(
      violations.map((v) => [v.level, v.message]),
      [
        [
          "mandatory",
          "FirehoseDeliveryStream 'events': extendedS3Configuration.bufferingSize is 200 MiB; AWS accepts " +
            "1-128 MiB for extended_s3: set it within that range",
        ],
        [
          "advisory",
          "can't run policy 'firehose-buffer-bounds' during preview: not checked until the values are known at " +
            "deployment: extendedS3Configuration.bufferingInterval (within AWS's 0-900 s)",
        ],
      ],
    );
  });

  it("names the policy and resource when a policy throws", async () => {
    const policy: ResourceValidationPolicy = {
      name: "broken",
      description: "Throws.",
      configSchema: { properties: {} },
      validateResource: () => {
        throw new Error("boom");
      },
    };
    const stream = resource(TYPES.stream, {});
    await assert.rejects(evaluate(policy, stream), {
      message: `policy 'broken' failed on ${stream.urn}: boom`,
    });
  });
});
