// The SDKs' PutRecordBatch layout, read without JSON.parse, at each place a body can leave it.
import * as assert from "node:assert/strict";
import { ApiError } from "../../local/api-error";
import { jsonObjectOf, usualPutRecordBatch } from "../../local/request-body";

const read = (text: string) => usualPutRecordBatch(Buffer.from(text, "latin1"));

describe("local: the usual PutRecordBatch body", () => {
  it("reads one record and several, with a name of any printable ASCII", () => {
    assert.deepEqual(read('{"DeliveryStreamName":"s","Records":[{"Data":"QQ=="}]}'), {
      DeliveryStreamName: "s",
      Records: [{ Data: "QQ==" }],
    });
    assert.deepEqual(
      read('{"DeliveryStreamName":" ~","Records":[{"Data":""},{"Data":"QQ=="},{"Data":"Qg=="}]}'),
      {
        DeliveryStreamName: " ~",
        Records: [{ Data: "" }, { Data: "QQ==" }, { Data: "Qg==" }],
      },
    );
  });

  it("leaves any body that ends early, or goes on after the records, to JSON.parse", () => {
    for (const text of [
      "",
      '{"DeliveryStreamName":"',
      '{"DeliveryStreamName":"s',
      '{"DeliveryStreamName":"s"',
      '{"DeliveryStreamName":"s","Records":[',
      '{"DeliveryStreamName":"s","Records":[{"Data":"',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ==',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ=="',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ=="}',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ=="},',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ=="}]',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ=="}]}}',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ=="}]]',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ=="}}]}',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ=="},{"Data":"Qg=="}]} ',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ=="} {"Data":"Qg=="}]}',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ=="},{"Data":"Qg==",}]}',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ=="},{"Data":"Qg=="]}',
      '{"DeliveryStreamName":"s","records":[{"Data":"QQ=="}]}',
      '{"DeliveryStreamName":"s","Records":[{"data":"QQ=="}]}',
      '{"DeliveryStreamName":"s\x7f","Records":[{"Data":"QQ=="}]}',
      '{"DeliveryStreamName":"s\x1f","Records":[{"Data":"QQ=="}]}',
      ' {"DeliveryStreamName":"s","Records":[{"Data":"QQ=="}]}',
      '{"deliveryStreamName":"s","Records":[{"Data":"QQ=="}]}',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ==" ]}',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ=="}xy',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ=="}x}',
      '{"DeliveryStreamName":"s","Records":[{"Data":"QQ=="}]x',
    ]) {
      assert.equal(read(text), undefined, JSON.stringify(text));
    }
  });

  it("jsonObjectOf says whether the body is not JSON or not an object", () => {
    const rejects = (text: string, message: string) =>
      assert.throws(
        () => jsonObjectOf(Buffer.from(text)),
        (err: unknown) =>
          err instanceof ApiError && err.type === "SerializationException" && err.message === message,
        text,
      );
    rejects("{", "the request body is not valid JSON");
    for (const text of ["null", "[]", "1", '"{}"', "true"])
      rejects(text, "the request body must be a JSON object");
    assert.deepEqual(jsonObjectOf(Buffer.from('{"a":[1]}')), { a: [1] });
  });
});
