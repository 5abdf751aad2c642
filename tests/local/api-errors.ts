// Shared by the request-checking tests: payloads of a given size, and the exact error the service answers with.
import * as assert from "node:assert/strict";
import { ApiError } from "../../local/api-error";

/** Base64 of `bytes` zero bytes. */
export const zeros = (bytes: number) => Buffer.alloc(bytes).toString("base64");

/** Asserts that `action` throws the service's `type` of error with exactly `message`. */
export function rejects(action: () => unknown, type: ApiError["type"], message: string): void {
  assert.throws(action, (err: unknown) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.type, type);
    assert.equal(err.message, message);
    return true;
  });
}
