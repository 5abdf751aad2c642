import fc from "fast-check";
import * as assert from "node:assert/strict";
import { transformBatch } from "../../lambda/transform/transform-batch";
import { pipelineFor, recordOf, textOf } from "./helpers";

/** A raw PII value: unique enough that it appears in the output only if it leaked. */
const raw = fc.nat().map((n) => `Raw${n}Pii@leak.example`);
const RAW = /Raw\d+Pii@leak\.example/g;
const piiValue: fc.Arbitrary<unknown> = fc.oneof(
  raw,
  fc.array(raw, { minLength: 1, maxLength: 3 }),
  raw.map((value) => ({ nested: [value] })),
);
const filler = fc.dictionary(
  fc.string({ maxLength: 6 }),
  fc.jsonValue({ maxDepth: 1 }).filter((value) => !JSON.stringify(value).includes("Pii@")),
  { maxKeys: 3 },
);

function anyCase(segment: string): fc.Arbitrary<string> {
  return fc
    .array(fc.boolean(), { minLength: segment.length, maxLength: segment.length })
    .map((upper) => [...segment].map((char, i) => (upper[i] ? char.toUpperCase() : char)).join(""));
}

/** Wraps a value in 0-2 levels of arrays, next to elements that are not objects. */
function inArrays(value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(value, fc.nat({ max: 2 }), fc.array(fc.jsonValue({ maxDepth: 0 }), { maxLength: 2 }))
    .map(([inner, depth, others]) => {
      let wrapped = inner;
      for (let i = 0; i < depth; i++) wrapped = [...others, wrapped];
      return wrapped;
    });
}

/**
 * A member that reaches the PII path `segments` in any way the semantics allow: any key case, a literal dotted key
 * for some consecutive segments, objects wrapped in arrays, filler members around.
 */
function placed(segments: readonly string[]): fc.Arbitrary<[string, unknown]> {
  return fc.integer({ min: 1, max: segments.length }).chain((taken) => {
    const key = fc.tuple(...segments.slice(0, taken).map(anyCase)).map((parts) => parts.join("."));
    const rest = segments.slice(taken);
    const value: fc.Arbitrary<unknown> =
      rest.length === 0
        ? piiValue
        : inArrays(
            fc
              .tuple(fc.array(placed(rest), { minLength: 1, maxLength: 2 }), filler)
              .map(([members, other]) => ({ ...other, ...Object.fromEntries(members) })),
          );
    return fc.tuple(key, value);
  });
}

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
