import * as assert from "node:assert/strict";
import fc from "fast-check";
import { ApiError } from "../../local/api-error";
import { jsonObjectOf, usualPutRecordBatch } from "../../local/request-body";

const base64 = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString("base64"));
const streamName = fc.stringMatching(/^[a-zA-Z0-9_.-]{1,64}$/);

function body(name: unknown, data: unknown[]): Buffer {
  return Buffer.from(JSON.stringify({ DeliveryStreamName: name, Records: data.map((Data) => ({ Data })) }));
}

describe("local: request bodies", () => {
  it("reads the SDKs' PutRecordBatch body as JSON.parse does", () => {
    fc.assert(
      fc.property(streamName, fc.array(base64, { minLength: 1, maxLength: 50 }), (name, data) => {
        const text = body(name, data);
        assert.deepEqual(usualPutRecordBatch(text), JSON.parse(text.toString()));
      }),
    );
  });

  it("any other valid JSON body is either read as JSON.parse does or left to it", () => {
    const json = fc.oneof(
      fc
        .tuple(fc.string({ unit: "binary" }), fc.array(fc.string({ unit: "binary" }), { maxLength: 5 }))
        .map(([n, d]) => body(n, d)),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
    );
    fc.assert(
      fc.property(json, (text) => {
        const read = usualPutRecordBatch(text);
        if (read !== undefined) assert.deepEqual(read, JSON.parse(text.toString()));
      }),
    );
  });

  it("leaves bodies in another layout, with escapes or not ASCII to JSON.parse", () => {
    for (const text of [
      '{"DeliveryStreamName":"s","Records":[]}',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ=="}] }',
      '{"Records":[{"Data":"QQ=="}],"DeliveryStreamName":"s"}',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ\\u003d="}]}',
      '{"DeliveryStreamName":"s\u00e9","Records":[{"Data":"QQ=="}]}',
      '{"DeliveryStreamName":"s\u0001","Records":[{"Data":"QQ=="}]}',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ==","X":1}]}',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ=="},]}',
    ]) {
      assert.equal(usualPutRecordBatch(Buffer.from(text)), undefined, text);
    }
  });

  it("jsonObjectOf answers SerializationException for text that is not a JSON object", () => {
    for (const text of ["{", "[]", "1", '{"a":"\u0001"}']) {
      assert.throws(
        () => jsonObjectOf(Buffer.from(text)),
        (err: unknown) => err instanceof ApiError && err.type === "SerializationException",
      );
    }
    assert.deepEqual(jsonObjectOf(Buffer.alloc(0)), {});
  });
});
