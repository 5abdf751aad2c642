// A replayed record in a Kinesis-sourced stack reaches every delivery stream reading the source: the transform
// unwraps the envelope in the stream it names, drops it in the others, and fails a malformed one (its bytes stay
// in the error prefix).
import * as assert from "node:assert/strict";
import { FirehoseTransformationResultRecord } from "aws-lambda";
import { createHandler } from "../../lambda/transform/handler";
import { JsonValue } from "../../lambda/transform/json";
import {
  deliveryStreamNameOf,
  REPLAY_ENVELOPE_KEY,
  unwrapReplay,
  wrapForReplay,
} from "../../lambda/transform/replay-envelope";
import { eventOf, hmacPseudonym, TEST_KEY, textOf } from "./helpers";

const ORIGINAL = { event_id: "e1", action: "click", email: "jane@example.com", country: "de" };
const STREAM = "test";

function envelope(stream: string, original: unknown = ORIGINAL): unknown {
  return JSON.parse(wrapForReplay(stream, Buffer.from(JSON.stringify(original))).toString());
}

async function transform(values: unknown[], arn?: string): Promise<FirehoseTransformationResultRecord[]> {
  const handler = createHandler({
    env: { PII_HASH_KEY: TEST_KEY, PII_FIELDS: "email" },
    writeLine: () => undefined,
  });
  const event = eventOf(values);
  return (await handler(arn === undefined ? { ...event, deliveryStreamArn: "" } : event)).records;
}

describe("transform: replay envelopes (Kinesis-sourced stacks)", () => {
  it("unwraps an envelope for the invoking stream and transforms the original exactly as a live record", async () => {
    const [replayed, live] = await transform([envelope(STREAM), ORIGINAL], "default");
    assert.equal(replayed.result, "Ok");
    assert.equal(textOf(replayed.data), textOf(live.data));
    const out = JSON.parse(textOf(replayed.data)) as Record<string, unknown>;
    assert.equal(out.email, hmacPseudonym("email", "jane@example.com"), "masked after unwrapping");
    assert.equal(out[REPLAY_ENVELOPE_KEY], undefined);
  });

  it("drops an envelope for another stream, so a pipeline that had no failure does not deliver it twice", async () => {
    const [other] = await transform([envelope("another-stream")], "default");
    assert.equal(other.result, "Dropped");
  });

  it("fails a malformed envelope and one without an invoking stream, keeping the record for the error prefix", async () => {
    const results = await transform(
      [{ [REPLAY_ENVELOPE_KEY]: "x" }, { [REPLAY_ENVELOPE_KEY]: { stream: STREAM } }],
      "default",
    );
    assert.deepEqual(
      results.map((r) => r.result),
      ["ProcessingFailed", "ProcessingFailed"],
    );
    const [noArn] = await transform([envelope(STREAM)]);
    assert.equal(noArn.result, "ProcessingFailed");
  });

  it("fails an unwrapped original that is not a JSON object, as a live one would", async () => {
    const [result] = await transform(
      [JSON.parse(wrapForReplay(STREAM, Buffer.from("not json")).toString())],
      "default",
    );
    assert.equal(result.result, "ProcessingFailed");
  });
});

describe("unwrapReplay", () => {
  const data = Buffer.from(JSON.stringify(ORIGINAL)).toString("base64");

  it("is undefined for a record without the envelope key", () => {
    assert.equal(unwrapReplay({ stream: STREAM, data }, STREAM), undefined);
  });

  it("answers the original's bytes for the invoking stream and 'other' for any other stream", () => {
    assert.deepEqual(unwrapReplay({ [REPLAY_ENVELOPE_KEY]: { stream: STREAM, data } }, STREAM), { data });
    assert.equal(unwrapReplay({ [REPLAY_ENVELOPE_KEY]: { stream: "another", data } }, STREAM), "other");
  });

  it("calls an envelope invalid unless it is an object with a string stream and string data", () => {
    const envelopes: JsonValue[] = [
      null,
      "text",
      [STREAM, data],
      {},
      { stream: STREAM },
      { data },
      { stream: 5, data },
      { stream: null, data },
      { stream: STREAM, data: 5 },
      { stream: STREAM, data: null },
    ];
    for (const envelope of envelopes) {
      assert.equal(
        unwrapReplay({ [REPLAY_ENVELOPE_KEY]: envelope }, STREAM),
        "invalid",
        JSON.stringify(envelope),
      );
    }
  });

  it("calls a well-formed envelope invalid when the invoking stream is unknown", () => {
    assert.equal(unwrapReplay({ [REPLAY_ENVELOPE_KEY]: { stream: STREAM, data } }, undefined), "invalid");
  });
});

describe("deliveryStreamNameOf", () => {
  it("takes the name after the last slash of the event's delivery stream ARN", () => {
    assert.equal(
      deliveryStreamNameOf("arn:aws:firehose:eu-west-1:123456789012:deliverystream/orders"),
      "orders",
    );
  });

  it("is undefined for an ARN without a slash, and for a missing or non-string ARN", () => {
    for (const arn of ["", "orders", undefined, null, 42, { name: "orders" }])
      assert.equal(deliveryStreamNameOf(arn), undefined, String(arn));
  });
});
