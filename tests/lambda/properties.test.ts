import { FirehoseTransformationEventRecord, FirehoseTransformationResult } from "aws-lambda";
import fc from "fast-check";
import * as assert from "node:assert/strict";
import { BatchOutput, transformBatch } from "../../lambda/transform/transform-batch";
import { hmacPseudonym, pipelineFor, recordOf, textOf } from "./helpers";

const pipeline = pipelineFor({
  PII_FIELDS: "email,user.email",
  DROP_RULES: '[{"field":"action","equals":"healthcheck"}]',
  PARTITION_FIELDS: "country,action",
  PARTITION_TIME: "hour",
});
const SPECIAL_FIELDS = new Set(["email", "user", "country", "ts", "event_version"]);
const PSEUDONYM = /^email_hash_[0-9a-f]{32}$/;
const json = fc.jsonValue({ stringUnit: "binary", maxDepth: 3 });

function recordsFromBytes(payloads: readonly Uint8Array[]): FirehoseTransformationEventRecord[] {
  return payloads.map((bytes, index) => ({
    recordId: `id-${index}`,
    approximateArrivalTimestamp: 1764078310000,
    data: Buffer.from(bytes).toString("base64"),
  }));
}

/** The invariants every batch keeps, whatever its records contain. */
function assertBatchInvariants(
  records: readonly FirehoseTransformationEventRecord[],
  output: BatchOutput,
): void {
  const { result, stats } = output;
  assert.deepEqual(
    result.records.map((entry) => entry.recordId),
    records.map((record) => record.recordId),
  );
  for (const entry of result.records) {
    assert.ok(["Ok", "Dropped", "ProcessingFailed"].includes(entry.result));
    if (entry.result !== "Ok") continue;
    const decoded: unknown = JSON.parse(textOf(entry.data));
    assert.ok(typeof decoded === "object" && decoded !== null && !Array.isArray(decoded));
    for (const value of Object.values(entry.metadata?.partitionKeys ?? {}))
      assert.match(value, /^[A-Za-z0-9_.%-]+$/);
  }
  assert.equal(stats.ok + stats.dropped + stats.failed, records.length);
  assert.equal(stats.responseBytes, Buffer.byteLength(JSON.stringify(result), "utf8"));
}

function okObjects(result: FirehoseTransformationResult): Record<string, unknown>[] {
  return result.records.map((entry) => {
    assert.equal(entry.result, "Ok");
    return JSON.parse(textOf(entry.data)) as Record<string, unknown>;
  });
}

describe("transform properties", () => {
  it("any bytes: one result per id, in order, never a throw, Ok data is one JSON object line", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 120 }), { maxLength: 40 }), (payloads) => {
        const records = recordsFromBytes(payloads);
        assertBatchInvariants(records, transformBatch(records, pipeline));
      }),
    );
  });

  it("any JSON text: objects are Ok, everything else is ProcessingFailed", () => {
    fc.assert(
      fc.property(fc.array(json, { maxLength: 30 }), (values) => {
        const records = values.map((value, index) => recordOf(value, `id-${index}`));
        const output = transformBatch(records, pipeline);
        assertBatchInvariants(records, output);
        values.forEach((value, index) => {
          const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
          const expected = !isObject
            ? "ProcessingFailed"
            : (value as Record<string, unknown>).action === "healthcheck"
              ? "Dropped"
              : "Ok";
          assert.equal(output.result.records[index].result, expected);
        });
      }),
    );
  });

  it("any JSON object: every input field is carried, non-PII fields unchanged, PII fields masked", () => {
    const piiValue = fc.oneof(fc.emailAddress(), json);
    const event = fc.record(
      {
        email: piiValue,
        user: fc.oneof(fc.record({ email: piiValue, id: fc.integer() }), json),
        country: json,
        ts: json,
        event_version: json,
        other: fc.dictionary(fc.string({ unit: "binary" }), json, { maxKeys: 6 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 20 }), (generated) => {
        const values = generated
          .map(({ other, ...fields }) => ({ ...(other ?? {}), ...fields }))
          .map((value) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>)
          .filter((value) => value.action !== "healthcheck");
        const records = values.map((value, index) => recordOf(value, `id-${index}`));
        const output = transformBatch(records, pipeline);
        assertBatchInvariants(records, output);
        okObjects(output.result).forEach((out, index) => {
          const input = values[index];
          const outputText = JSON.stringify(out);
          for (const key of Object.keys(input)) {
            assert.ok(Object.prototype.hasOwnProperty.call(out, key), `field ${key} is carried`);
            if (!SPECIAL_FIELDS.has(key)) assert.deepEqual(out[key], input[key], `field ${key} unchanged`);
          }
          assertMasked(input.email, out.email, input, outputText);
          const inputUser = input.user;
          if (typeof inputUser === "object" && inputUser !== null && !Array.isArray(inputUser)) {
            const { email, ...rest } = inputUser as Record<string, unknown>;
            const { email: outEmail, ...outRest } = out.user as Record<string, unknown>;
            assert.deepEqual(outRest, rest);
            assertMasked(email, outEmail, input, outputText);
          } else {
            assert.deepEqual(out.user, inputUser);
          }
          assert.equal(out.country, typeof input.country === "string" ? input.country.toUpperCase() : "ZZ");
          if ("event_version" in input) assert.deepEqual(out.event_version, input.event_version);
          else assert.equal(out.event_version, 1);
          const tsKept = input.ts !== undefined && input.ts !== null && input.ts !== "";
          if (tsKept) assert.deepEqual(out.ts, input.ts);
        });
      }),
    );
  });

  it("any record entries, however malformed: one answer each and no throw", () => {
    const entry = fc.oneof(
      fc.anything(),
      fc.record({
        recordId: fc.string(),
        data: fc.oneof(fc.string(), fc.anything()),
        approximateArrivalTimestamp: fc.anything(),
      }),
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 20 }), (entries) => {
        const output = transformBatch(entries, pipeline);
        assert.equal(output.result.records.length, entries.length);
        assert.equal(output.stats.responseBytes, Buffer.byteLength(JSON.stringify(output.result), "utf8"));
      }),
    );
  });

  it("large batches of realistic and broken records keep every invariant", () => {
    const realistic = fc.record({
      email: fc.emailAddress(),
      action: fc.constantFrom("click", "view", "healthcheck"),
      country: fc.constantFrom("de", "us", "", null),
      ts: fc.oneof(
        fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
        fc.constant(null),
      ),
    });
    const payload = fc.oneof(
      realistic.map((value) => new Uint8Array(Buffer.from(JSON.stringify(value)))),
      fc.uint8Array({ maxLength: 60 }),
    );
    fc.assert(
      fc.property(fc.array(payload, { minLength: 500, maxLength: 2000 }), (payloads) => {
        const records = recordsFromBytes(payloads);
        assertBatchInvariants(records, transformBatch(records, pipeline));
      }),
      { numRuns: 10 },
    );
  });
});

/** A PII value is replaced by its pseudonym unless empty or null, and its text appears nowhere in the output. */
function assertMasked(
  input: unknown,
  output: unknown,
  wholeInput: Record<string, unknown>,
  outputText: string,
): void {
  if (input === undefined || input === null || input === "") {
    assert.deepEqual(output, input);
    return;
  }
  assert.ok(typeof output === "string" && PSEUDONYM.test(output), `masked: ${String(output)}`);
  const text = typeof input === "string" ? input : JSON.stringify(input);
  assert.equal(output, hmacPseudonym("email", text));
  if (typeof input === "string" && input.includes("@")) {
    const escaped = JSON.stringify(input).slice(1, -1);
    const elsewhere = JSON.stringify({ ...wholeInput, email: null, user: null });
    if (!elsewhere.includes(escaped)) assert.ok(!outputText.includes(escaped), `${input} leaked`);
  }
}
