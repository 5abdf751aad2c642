// The transform is idempotent: transform(transform(x)) = transform(x), byte for byte, partition keys included.
// Replay relies on it: a format-conversion, partitioning, OpenSearch or HTTP failure holds the transform's output,
// and replaying it sends that output through the transform again.
import { FirehoseTransformationResultRecord } from "aws-lambda";
import fc from "fast-check";
import * as assert from "node:assert/strict";
import { transformBatch } from "../../lambda/transform/transform-batch";
import { ARRIVAL_MS, pipelineFor, recordOf } from "./helpers";
import { anyCase, filler, inArrays, placed } from "./pii-arbitraries";

const PATHS = ["email", "user.contact.phone", "ids.ssn"];

/** Text a detector finds: e-mail addresses, international phone numbers, Luhn-valid card numbers. */
const detectable = fc.oneof(
  fc.nat().map((n) => `u${n}@example.com`),
  fc.nat({ max: 99_999_999 }).map((n) => `+44 20 ${String(n).padStart(8, "0")}`),
  fc.constantFrom("4111 1111 1111 1111", "5555-5555-5555-4444", "378282246310005"),
);

/** Values a PII field or the detector may meet, pseudonym-shaped strings included. */
const piiLike: fc.Arbitrary<unknown> = fc.oneof(
  detectable,
  detectable.map((text) => `write to ${text} please`),
  fc.constantFrom(
    4111111111111111,
    "",
    null,
    true,
    `email_hash_${"ab".repeat(16)}`,
    `phone_hash_${"0".repeat(12)}`,
  ),
  fc.array(detectable, { maxLength: 3 }),
  detectable.map((text) => ({ nested: [text, { deeper: text }] })),
);

const tree: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    piiLike,
    fc.jsonValue({ maxDepth: 0 }),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 5 }), detectable), tie("value"), { maxKeys: 3 }),
  ),
})).value;

const record = fc
  .record(
    {
      paths: fc.array(
        fc.constantFrom(...PATHS).chain((path) => placed(path.split("."), inArrays(piiLike))),
        { maxLength: 4 },
      ),
      other: fc.dictionary(fc.oneof(fc.string({ maxLength: 5 }), detectable), tree, { maxKeys: 4 }),
      country: fc.oneof(fc.string({ unit: "binary", maxLength: 4 }), piiLike, fc.jsonValue({ maxDepth: 1 })),
      countryKey: anyCase("country"),
      ts: fc.oneof(fc.constantFrom(null, "", "2026-11-02T10:00:00Z", 1793613600, "not a time"), detectable),
      timestamp: fc.oneof(fc.constantFrom(null, "", 1793613600123), detectable),
      eventVersion: fc.constantFrom(undefined, null, 2),
      filler,
    },
    { requiredKeys: ["paths", "other", "filler", "countryKey"] },
  )
  .map(({ paths, other, filler: extra, countryKey, ...fields }) => {
    const value: Record<string, unknown> = { ...extra, ...other, ...Object.fromEntries(paths) };
    if ("country" in fields) value[countryKey] = fields.country;
    if ("ts" in fields) value.ts = fields.ts;
    if ("timestamp" in fields) value.timestamp = fields.timestamp;
    if (fields.eventVersion !== undefined) value.event_version = fields.eventVersion;
    return value;
  });

/** Every setting that changes what the transform writes: hash modes and lengths, detector actions, defaults. */
const environment = fc
  .record({
    mode: fc.constantFrom("hmac-sha256", "sha256-salt"),
    length: fc.constantFrom("8", "32", "64"),
    action: fc.constantFrom("mask", "fail"),
    maskCountry: fc.boolean(),
  })
  .map(({ mode, length, action, maskCountry }) => ({
    PII_FIELDS: [...PATHS, ...(maskCountry ? ["Country"] : [])].join(","),
    PII_HASH_MODE: mode,
    PII_HASH_LENGTH: length,
    PII_DETECT: "email,phone,card",
    PII_DETECT_ACTION: action,
    FIELD_DEFAULTS: '{"source":"web","country":"de","tags":["a"]}',
    PARTITION_FIELDS: "country,source",
    PARTITION_TIME: "hour",
  }));

function once(pipeline: ReturnType<typeof pipelineFor>, data: string): FirehoseTransformationResultRecord {
  return transformBatch([{ recordId: "r", approximateArrivalTimestamp: ARRIVAL_MS, data }], pipeline).result
    .records[0];
}

describe("the transform is idempotent (replay sends transformed records through it again)", () => {
  it("a second pass writes the same bytes and partition keys, for every hash mode and detector action", () => {
    let ok = 0;
    fc.assert(
      fc.property(environment, fc.array(record, { minLength: 1, maxLength: 8 }), (env, values) => {
        const pipeline = pipelineFor(env);
        for (const value of values) {
          const first = once(pipeline, recordOf(value, "r").data);
          if (first.result !== "Ok") continue;
          const second = once(pipeline, first.data as string);
          assert.deepEqual(second, first, `input ${JSON.stringify(value)} with ${JSON.stringify(env)}`);
          ok++;
        }
      }),
      { numRuns: 300 },
    );
    assert.ok(ok > 400, `only ${ok} records came out Ok`);
  });
});
