// The bridge from @pulumi/policy's stack validation to a pure stack rule: what the rule sees of each resource
// (its links to others by URN, its config with defaults) and how its findings are reported.
import * as assert from "node:assert/strict";
import { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { stringAt } from "../../policy/lib/fields";
import { Finding, skipped, violation } from "../../policy/lib/findings";
import { runStackRule, StackRule } from "../../policy/lib/run-rule";
import { isUnknown } from "../../policy/lib/unknown-values";
import { evaluate, resource, TYPES, UNKNOWN, urnOf } from "./helpers";

interface LabelConfig {
  readonly label: string;
}

const configSchema: PolicyConfigSchema = {
  properties: { label: { type: "string", default: "seen" } },
};

function stackPolicy(rule: StackRule<LabelConfig>): StackValidationPolicy {
  return {
    name: "stack-rule-under-test",
    description: "Reports what a stack rule sees.",
    enforcementLevel: "mandatory",
    configSchema,
    validateStack: (args, reportViolation) =>
      runStackRule<LabelConfig>(args, reportViolation, configSchema, rule),
  };
}

/** One violation per resource, against it, listing its links as the rule sees them. */
const describeLinks: StackRule<LabelConfig> = (resources, config) =>
  resources.map((r) =>
    violation(
      `${config.label} ${r.name}: parent ${r.parentUrn ?? "none"}; depends on [${r.dependencyUrns.join(", ")}]; ` +
        `bucket input from [${(r.propertyDependencyUrns.bucket ?? []).join(", ")}]`,
      r.urn,
    ),
  );

describe("runStackRule (policy/lib/run-rule.ts)", () => {
  const bucketUrn = urnOf(TYPES.bucket, "lake");
  const keyUrn = urnOf(TYPES.kmsKey, "lake-key");
  const resources = [
    resource(TYPES.bucket, { bucket: "lake" }, "lake"),
    resource(TYPES.kmsKey, {}, "lake-key"),
    resource(TYPES.bucketEncryption, { bucket: "lake" }, "lake-encryption", {
      parent: bucketUrn,
      dependencies: [bucketUrn, keyUrn],
      propertyDependencies: { bucket: [bucketUrn] },
    }),
  ];

  it("gives the rule each resource's parent, dependencies and input dependencies by URN", async () => {
    const violations = await evaluate(stackPolicy(describeLinks), resources);
    assert.deepEqual(
      violations.map((v) => [v.urn, v.message]),
      [
        [bucketUrn, "seen lake: parent none; depends on []; bucket input from []"],
        [keyUrn, "seen lake-key: parent none; depends on []; bucket input from []"],
        [
          urnOf(TYPES.bucketEncryption, "lake-encryption"),
          `seen lake-encryption: parent ${bucketUrn}; depends on [${bucketUrn}, ${keyUrn}]; bucket input from ` +
            `[${bucketUrn}]`,
        ],
      ],
    );
  });

  it("runs the rule with the configured properties over the schema's defaults", async () => {
    const config = { "stack-rule-under-test": { label: "checked" } };
    const [first] = await evaluate(stackPolicy(describeLinks), resources, config);
    assert.equal(first.message, "checked lake: parent none; depends on []; bucket input from []");
  });

  it("reports violations first, then each skipped check once in one advisory note", async () => {
    const skipsUnknownBuckets: StackRule<LabelConfig> = (all) =>
      all.flatMap((r): Finding[] => {
        const bucket = stringAt(r.inputs, "bucket");
        if (isUnknown(bucket))
          return [skipped(bucket, "bucket encryption"), skipped(bucket, "bucket encryption")];
        return bucket === undefined ? [] : [violation(`${r.name} names ${bucket}`, r.urn)];
      });
    const withUnknown = [...resources, resource(TYPES.bucketEncryption, { bucket: UNKNOWN }, "pending")];
    const violations = await evaluate(stackPolicy(skipsUnknownBuckets), withUnknown);
    assert.deepEqual(
      violations.map((v) => [v.level, v.message]),
      [
        ["mandatory", "lake names lake"],
        ["mandatory", "lake-encryption names lake"],
        [
          "advisory",
          "can't run policy 'stack-rule-under-test' during preview: not checked until the values are known at " +
            "deployment: bucket (bucket encryption)",
        ],
      ],
    );
  });
});
