// A replayed record in a Kinesis-sourced stack reaches every delivery stream reading the source: the transform
// unwraps the envelope in the stream it names, drops it in the others, and fails a malformed one (its bytes stay
// in the error prefix).
import * as assert from "node:assert/strict";
import { FirehoseTransformationResultRecord } from "aws-lambda";
import { createHandler } from "../../lambda/transform/handler";
import { REPLAY_ENVELOPE_KEY, wrapForReplay } from "../../lambda/transform/replay-envelope";
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
