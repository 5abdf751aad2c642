import * as assert from "node:assert/strict";
import { hasOwn, JsonObject, setOwn } from "../../lambda/transform/json";

describe("JSON object helpers", () => {
  it("setOwn replaces a record's own __proto__ key, leaving its prototype alone", () => {
    const record = JSON.parse('{"__proto__":"a@example.com","b":1}') as JsonObject;
    setOwn(record, "__proto__", "email_hash_0a");
    assert.equal(Object.getPrototypeOf(record), Object.prototype);
    assert.equal(JSON.stringify(record), '{"__proto__":"email_hash_0a","b":1}');
  });

  it("setOwn adds a __proto__ key as JSON.parse creates one: writable, enumerable and configurable", () => {
    const record: JsonObject = { a: 1 };
    setOwn(record, "__proto__", { nested: true });
    assert.equal(Object.getPrototypeOf(record), Object.prototype);
    assert.deepEqual(
      Object.getOwnPropertyDescriptor(record, "__proto__"),
      Object.getOwnPropertyDescriptor(JSON.parse('{"__proto__":{"nested":true}}'), "__proto__"),
    );
    assert.equal(JSON.stringify(record), '{"a":1,"__proto__":{"nested":true}}');
    setOwn(record, "__proto__", null);
    assert.equal(JSON.stringify(record), '{"a":1,"__proto__":null}');
  });

  it("setOwn sets any other key, and hasOwn sees own keys only", () => {
    const record: JsonObject = {};
    setOwn(record, "", 0);
    setOwn(record, "email", "x");
    assert.deepEqual(record, { "": 0, email: "x" });
    assert.equal(hasOwn(record, "email"), true);
    assert.equal(hasOwn(record, "constructor"), false);
  });
});
