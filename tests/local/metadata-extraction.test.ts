import * as assert from "node:assert/strict";
import fc from "fast-check";
import { compileMetadataQuery, Extraction } from "../../local/metadata-extraction";

const records = (...texts: string[]) => texts.map((t) => Buffer.from(t));

/**
 * The fast path words errors as jq 1.6 (Firehose's engine) does; jq-wasm is jq 1.7.1, which adds the key's type:
 * `Cannot index array with string "a"`. Everything else must match exactly.
 */
function comparable(e: Extraction): unknown {
  return e.ok ? e.keys : { failed: e.message.replace(' with string "', ' with "') };
}

describe("local: inline jq partition keys (MetadataExtraction)", () => {
  it("the stack's query shape compiles to the fast path; other queries run in jq-wasm", () => {
    assert.equal(compileMetadataQuery("{country:.country}").engine, "fast");
    assert.equal(compileMetadataQuery('{ "c" : .a.b , d }').engine, "fast");
    assert.equal(compileMetadataQuery("{year: .ts | .[0:4]}").engine, "jq");
  });

  it("extracts keys, and fails records as Firehose routes them to partitioning-failed", async () => {
    const extractor = compileMetadataQuery("{country:.country, device:.type.device}");
    const out = await extractor.extract(
      records(
        '{"country":"DE","type":{"device":"mobile"}}\n',
        '{"country":"DE","type":null}',
        '{"country":7,"type":{"device":true}}',
        '{"country":"","type":{"device":"x"}}',
        '{"country":"DE","type":"web"}',
        "not json",
        '{"country":{"a":1},"type":{"device":"x"}}',
      ),
    );
    assert.deepEqual(out, [
      { ok: true, keys: { country: "DE", device: "mobile" } },
      { ok: false, message: "partitionKeys values must not be null or empty, got device=null" },
      { ok: true, keys: { country: "7", device: "true" } },
      { ok: false, message: 'partitionKeys values must not be null or empty, got country=""' },
      { ok: false, message: 'jq: error: Cannot index string with "device"' },
      { ok: false, message: out[5].ok ? "" : out[5].message },
      { ok: false, message: 'partition key country must be a string, number or boolean, got {"a":1}' },
    ]);
    assert.match(out[5].ok ? "" : out[5].message, /^record is not valid JSON/);
  });

  it("a general jq query runs in jq-wasm, one result per record", async () => {
    const extractor = compileMetadataQuery('{year: .ts[0:4], kind: (.kind // "none")}');
    const out = await extractor.extract(
      records('{"ts":"2026-01-02"}', '{"ts":"2025-05-05","kind":"a"}', "[1]", "{}"),
    );
    assert.deepEqual(out.slice(0, 2), [
      { ok: true, keys: { year: "2026", kind: "none" } },
      { ok: true, keys: { year: "2025", kind: "a" } },
    ]);
    assert.match(out[2].ok ? "" : out[2].message, /^jq: error: Cannot index array with (string )?"ts"/);
    assert.deepEqual(out[3], {
      ok: false,
      message: "partitionKeys values must not be null or empty, got year=null",
    });
  });

  it("the fast path gives what jq gives, for arbitrary records (property)", async () => {
    const query = "{country:.country, device:.type.device}";
    const fast = compileMetadataQuery(query);
    const real = compileMetadataQuery(query, { engine: "jq" });
    const scalar = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.oneof(
      scalar,
      fc.array(scalar, { maxLength: 2 }),
      fc.dictionary(fc.constantFrom("device", "x"), scalar),
    );
    const record = fc.oneof(
      fc.record({ country: value, type: value }, { requiredKeys: [] }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 20 }), async (values) => {
        const input = records(...values.map((v) => JSON.stringify(v)));
        const [a, b] = await Promise.all([fast.extract(input), real.extract(input)]);
        assert.deepEqual(a.map(comparable), b.map(comparable));
      }),
      { numRuns: 60 },
    );
  });
});
