import * as assert from "node:assert/strict";
import { JsonObject } from "../../lambda/transform/json";
import { parentOf, parseFieldPath, valueAt } from "../../lambda/transform/field-path";

const path = (text: string) => parseFieldPath(text, "DROP_RULES");

describe("field paths", () => {
  it("finds a value through nested objects, exactly and case-sensitively", () => {
    const record: JsonObject = { user: { contact: { email: "a@example.com" } }, level: 0 };
    assert.equal(valueAt(record, path("user.contact.email")), "a@example.com");
    assert.equal(valueAt(record, path("level")), 0);
    assert.equal(valueAt(record, path("User.contact.email")), undefined);
    assert.equal(valueAt(record, path("user.email")), undefined);
    assert.equal(parentOf(record, path("user.contact.email")), (record.user as JsonObject).contact);
  });

  it("goes through objects only: never into arrays, strings or null", () => {
    const record: JsonObject = { items: ["first"], name: "abc", missing: null, user: { tags: [1] } };
    assert.equal(valueAt(record, path("items.0")), undefined);
    assert.equal(valueAt(record, path("name.length")), undefined);
    assert.equal(valueAt(record, path("missing.email")), undefined);
    assert.equal(valueAt(record, path("missing.user.email")), undefined);
    assert.equal(valueAt(record, path("user.tags.length")), undefined);
  });

  it("never reads inherited properties such as constructor or toString", () => {
    const record: JsonObject = { user: {} };
    assert.equal(valueAt(record, path("constructor")), undefined);
    assert.equal(valueAt(record, path("constructor.name")), undefined);
    assert.equal(valueAt(record, path("user.toString")), undefined);
    assert.equal(
      valueAt(JSON.parse('{"constructor":{"name":"x"}}') as JsonObject, path("constructor.name")),
      "x",
    );
  });

  it("rejects empty segments and __proto__, naming the variable", () => {
    assert.throws(() => path("user..email"), {
      message: 'DROP_RULES has an empty segment in field path "user..email"',
    });
    assert.throws(() => path("user.__proto__"), {
      message: 'DROP_RULES may not use "__proto__" as a field name, got "user.__proto__"',
    });
    assert.deepEqual(path("user.email"), { path: "user.email", segments: ["user", "email"], name: "email" });
  });
});
