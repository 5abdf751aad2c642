import * as assert from "node:assert/strict";
import { PiiDetectedCounts } from "../../lambda/transform/pii-detect";
import { REPLAY_ENVELOPE_KEY, wrapForReplay } from "../../lambda/transform/replay-envelope";
import { transformRecord } from "../../lambda/transform/transform-record";
import { ARRIVAL_MS, base64Of, hmacPseudonym, pipelineFor, textOf } from "./helpers";

function transform(env: Record<string, string>, value: unknown, detected: PiiDetectedCounts = {}) {
  return transformRecord(base64Of(value), ARRIVAL_MS, pipelineFor(env), detected);
}

describe("one record's steps, in their documented order", () => {
  it("drop rules see the normalised but unmasked record: a rule on a PII field's raw value drops it", () => {
    const env = { PII_FIELDS: "email", DROP_RULES: '[{"field":"email","equals":"bot@example.com"}]' };
    assert.deepEqual(transform(env, { email: "bot@example.com" }), { result: "Dropped" });
    const countryRule = { PII_FIELDS: "email", DROP_RULES: '[{"field":"country","equals":"DE"}]' };
    assert.deepEqual(transform(countryRule, { country: "de" }), { result: "Dropped" });
  });

  it("partition keys see the masked record, whether a path or the detector masked the value", () => {
    const env = { PII_FIELDS: "email", PII_DETECT: "email", PARTITION_FIELDS: "email,contact" };
    const outcome = transform(env, { email: "jane@example.com", contact: "bob@example.org" });
    assert.equal(outcome.result, "Ok");
    if (outcome.result !== "Ok") return;
    assert.deepEqual(outcome.partition?.keys, {
      email: hmacPseudonym("email", "jane@example.com"),
      contact: hmacPseudonym("contact", "bob@example.org"),
    });
    assert.ok(!textOf(outcome.data).includes("@"));
  });

  it("runs the detector after masking, so configured fields are not counted, and counts into the batch", () => {
    const detected: PiiDetectedCounts = { email: 0 };
    const env = { PII_FIELDS: "user.email", PII_DETECT: "email", PII_DETECT_ACTION: "fail" };
    assert.equal(transform(env, { USER: [{ Email: "jane@example.com" }] }, detected).result, "Ok");
    assert.deepEqual(detected, { email: 0 });
    assert.deepEqual(transform(env, { user: { mail: "jane@example.com" } }, detected), {
      result: "ProcessingFailed",
      reason: "pii_detected",
    });
    assert.deepEqual(detected, { email: 1 });
  });

  it("fails a malformed replay envelope with its own reason, before any other step", () => {
    const pipeline = { ...pipelineFor({ PII_FIELDS: "" }), deliveryStream: "orders" };
    for (const envelope of ["x", { stream: "orders" }, { stream: 5, data: base64Of({}) }]) {
      assert.deepEqual(
        transformRecord(base64Of({ [REPLAY_ENVELOPE_KEY]: envelope }), ARRIVAL_MS, pipeline, {}),
        {
          result: "ProcessingFailed",
          reason: "invalid_replay_envelope",
        },
      );
    }
  });

  it("fails a replayed original that does not decode with the reason a live record would get", () => {
    const pipeline = { ...pipelineFor({ PII_FIELDS: "" }), deliveryStream: "orders" };
    const replayOf = (original: string) => wrapForReplay("orders", Buffer.from(original)).toString("base64");
    assert.deepEqual(transformRecord(replayOf("not json"), ARRIVAL_MS, pipeline, {}), {
      result: "ProcessingFailed",
      reason: "invalid_json",
    });
    assert.deepEqual(transformRecord(replayOf("[1]"), ARRIVAL_MS, pipeline, {}), {
      result: "ProcessingFailed",
      reason: "not_an_object",
    });
    assert.deepEqual(transformRecord(base64Of("[1]"), ARRIVAL_MS, pipeline, {}), {
      result: "ProcessingFailed",
      reason: "not_an_object",
    });
  });
});
