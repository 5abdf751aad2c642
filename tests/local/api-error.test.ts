import * as assert from "node:assert/strict";
import { ApiError } from "../../local/api-error";

describe("local: API errors in Firehose's JSON 1.1 shape", () => {
  it("is a 400 named after its type unless given a status", () => {
    const error = new ApiError("InvalidArgumentException", "Records must not be empty.");
    assert.ok(error instanceof Error);
    assert.equal(error.type, "InvalidArgumentException");
    assert.equal(error.name, "InvalidArgumentException");
    assert.equal(error.message, "Records must not be empty.");
    assert.equal(error.status, 400);
    assert.equal(new ApiError("InternalFailure", "boom", 500).status, 500);
  });

  it("has the body the AWS SDKs read: __type and message", () => {
    const error = new ApiError("ResourceNotFoundException", 'Firehose "x" not found.', 400);
    assert.equal(
      error.body(),
      '{"__type":"ResourceNotFoundException","message":"Firehose \\"x\\" not found."}',
    );
  });
});
