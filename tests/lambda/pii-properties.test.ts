import fc from "fast-check";
import * as assert from "node:assert/strict";
import { transformBatch } from "../../lambda/transform/transform-batch";
import { pipelineFor, recordOf, textOf } from "./helpers";
import { filler, placed, raw, RAW } from "./pii-arbitraries";

const PATHS = ["email", "user.contact.phone", "ids.tax.ssn"];

function assertNoRawValueLeft(values: readonly unknown[], env: Record<string, string>): number {
  const records = values.map((value, index) => recordOf(value, `id-${index}`));
  const { result } = transformBatch(records, pipelineFor(env));
  let checked = 0;
  result.records.forEach((entry, index) => {
    assert.equal(entry.result, "Ok");
    const output = `${textOf(entry.data)}${JSON.stringify(entry.metadata ?? {})}`;
    for (const rawValue of JSON.stringify(values[index]).match(RAW) ?? []) {
      assert.ok(!output.includes(rawValue), `${rawValue} leaked: ${output}`);
      checked++;
    }
  });
  return checked;
}

describe("no raw PII in the output (properties)", () => {
  it("configured paths: any key case, case duplicates, literal dotted keys, arrays at any depth", () => {
    const member = fc.constantFrom(...PATHS).chain((path) => placed(path.split(".")));
    const record = fc
      .tuple(fc.array(member, { minLength: 1, maxLength: 5 }), filler)
      .map(([members, other]) => ({ ...other, ...Object.fromEntries(members) }) as unknown);
    let checked = 0;
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 10 }), (values) => {
        checked += assertNoRawValueLeft(values, {
          PII_FIELDS: PATHS.join(","),
          PARTITION_FIELDS: "email",
        });
      }),
    );
    assert.ok(checked > 100, `only ${checked} raw values were generated`);
  });

  it("the detector: e-mail addresses under any key, at any depth, and as keys", () => {
    const anyKey = fc.oneof(fc.string({ maxLength: 5 }), raw);
    const tree: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        raw.map((value) => `see ${value} now`),
        raw,
        fc.jsonValue({ maxDepth: 0 }),
        fc.array(tie("value"), { maxLength: 3 }),
        fc.dictionary(anyKey, tie("value"), { maxKeys: 3 }),
      ),
    })).value;
    const record = fc.dictionary(anyKey, tree, { minKeys: 1, maxKeys: 5 });
    let checked = 0;
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 10 }), (values) => {
        checked += assertNoRawValueLeft(values, { PII_FIELDS: "", PII_DETECT: "email" });
      }),
    );
    assert.ok(checked > 100, `only ${checked} raw values were generated`);
  });
});
