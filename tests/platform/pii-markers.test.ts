// The program puts each column's PII decision where the transform-pii-fields policy reads it, and a stack built
// from a valid config passes that policy: Glue columns carry a parameter, Redshift opt-outs a stream tag.
import { strict as assert } from "assert";
import { policyResourceOf } from "../../offline/check-stack";
import { EvaluatedStack, evaluateStack } from "../../offline/evaluate-stack";
import { evaluatePolicies } from "../../policy/evaluate";
import { transformPiiFields } from "../../policy/policies/transform-pii-fields";
import { RawConfig, TYPES, only, settingsOf } from "../support/stacks";

type Column = { name: string; type: string; pii?: boolean };

describe("PII markers on the prod stack's tables (with opt-outs added)", () => {
  let prod: EvaluatedStack;
  before(async () => {
    prod = await evaluateStack(
      settingsOf("prod", (raw) => {
        (raw.table as { columns: Column[] }).columns.push({ name: "name", type: "string", pii: false });
        const warehouse = (raw.pipelines as { destination: { type: string; columns: Column[] } }[]).find(
          (p) => p.destination.type === "redshift",
        )!;
        warehouse.destination.columns.push({ name: "street", type: "VARCHAR(64)", pii: false });
        (raw.transform as RawConfig).piiFields = ["user_id"];
      }),
    );
  });

  it("marks Glue columns true or false, and leaves undecided ones without parameters", () => {
    const columns = only(prod.resources, TYPES.glueTable).inputs.storageDescriptor.columns as {
      name: string;
      parameters?: Record<string, string>;
    }[];
    assert.deepEqual(
      columns.filter((c) => c.parameters).map((c) => [c.name, c.parameters]),
      [
        ["email", { "firehose-etl:pii": "true" }],
        ["name", { "firehose-etl:pii": "false" }],
      ],
    );
  });

  it("tags the Redshift stream with its opt-outs, and masks piiFields with the marked columns", () => {
    const stream = only(prod.resources, TYPES.stream, "warehouse-stream").inputs;
    assert.deepEqual(stream.tags, { "firehose-etl:not-pii-columns": "street" });
    const variables = only(prod.resources, TYPES.function, "transform-function").inputs.environment.variables;
    assert.equal(variables.PII_FIELDS, "user_id,email");
  });

  it("passes transform-pii-fields as built", async () => {
    const violations = await evaluatePolicies(prod.resources.map(policyResourceOf), {
      policies: [transformPiiFields],
    });
    assert.deepEqual(violations, []);
  });
});
