// The policy config validator the offline check rejects a bad --policy-config file with: each keyword of the
// JSON Schema subset our schemas use, with the message it gives.
import * as assert from "node:assert/strict";
import { PolicyConfigSchema } from "@pulumi/policy";
import { configDefaults, validateConfig } from "../../policy/lib/config-schema";

const schema: PolicyConfigSchema = {
  properties: {
    level: { type: "string", enum: ["low", "high"] },
    count: { type: "integer", minimum: 1, maximum: 10 },
    ratio: { type: "number" },
    name: { type: "string", minLength: 2, pattern: "^[a-z]+$" },
    tags: { type: "array", minItems: 1, items: { type: "string" } },
    either: { type: ["string", "null"] },
    flag: { type: "boolean", default: false },
    // Boolean schemas are JSON Schema; the SDK's type has no room for them.
    open: true as never,
    closed: false as never,
    nested: {
      type: "object",
      properties: { inner: { type: "integer" } },
      additionalProperties: false,
      required: ["inner"],
    },
    map: { type: "object", additionalProperties: { type: "number" } },
    loose: { type: "object" },
  },
  required: ["count", "flag"],
};

const errors = (config: Record<string, unknown>) => validateConfig(schema, { count: 5, ...config });

describe("policy config validation (policy/lib/config-schema.ts)", () => {
  it("accepts values of the declared types, bounds and shapes", () => {
    assert.deepEqual(
      errors({
        level: "high",
        count: 10,
        ratio: 0.5,
        name: "ab",
        tags: ["a"],
        either: null,
        open: { anything: 1 },
        nested: { inner: 3 },
        map: { a: 1, b: 2 },
        loose: { x: [1] },
      }),
      [],
    );
    assert.deepEqual(errors({ count: 1, either: "text" }), []);
  });

  it("names the property, what was expected and what it got", () => {
    assert.deepEqual(
      errors({
        level: "mid",
        count: 11,
        ratio: Infinity,
        name: "A",
        tags: [],
        either: 3,
        closed: 1,
        unknown: 1,
      }),
      [
        "count: must be at most 10, got 11",
        'level: must be one of "low", "high", got "mid"',
        "ratio: expected number, got null",
        "name: must have at least 2 characters",
        'name: must match ^[a-z]+$, got "A"',
        "tags: must have at least 1 items, got 0",
        "either: expected string or null, got 3",
        "closed: not allowed",
        "unknown: unknown property (known: level, count, ratio, name, tags, either, flag, open, closed, nested, map, loose)",
      ],
    );
    assert.deepEqual(errors({ count: 0 }), ["count: must be at least 1, got 0"]);
    assert.deepEqual(errors({ count: 1.5 }), ["count: expected integer, got 1.5"]);
    assert.deepEqual(errors({ tags: "a" }), ['tags: expected array, got "a"']);
    assert.deepEqual(errors({ loose: [] }), ["loose: expected object, got []"]);
    assert.deepEqual(errors({ loose: null }), ["loose: expected object, got null"]);
  });

  it("checks array items, nested properties, additionalProperties and nested required", () => {
    assert.deepEqual(errors({ tags: ["a", 2] }), ["tags[1]: expected string, got 2"]);
    assert.deepEqual(errors({ nested: { inner: "x", extra: 1 } }), [
      'nested.inner: expected integer, got "x"',
      "nested.extra: unknown property (known: inner)",
    ]);
    assert.deepEqual(errors({ nested: {} }), ["nested.inner: required"]);
    assert.deepEqual(errors({ map: { a: "1" } }), ['map.a: expected number, got "1"']);
  });

  it("requires a required property only when it has no default", () => {
    assert.deepEqual(validateConfig(schema, {}), ["count: required"]);
    assert.deepEqual(validateConfig(undefined, { a: 1 }), ["a: unknown property (known: none)"]);
  });

  it("applies each keyword of an untyped property only to values of the keyword's own type", () => {
    const untyped: PolicyConfigSchema = {
      properties: {
        bounded: { minimum: 1, maximum: 10 },
        short: { minLength: 2 },
        word: { pattern: "^[a-z]+$" },
        several: { minItems: 2 },
        listOf: { items: { type: "string" } },
        shaped: { properties: { inner: { type: "integer" } }, required: ["inner"] },
      },
    };
    assert.deepEqual(
      validateConfig(untyped, {
        bounded: "0",
        short: [1],
        word: 5,
        several: "a",
        listOf: "a",
        shaped: "ab",
      }),
      [],
    );
    assert.deepEqual(
      validateConfig(untyped, {
        bounded: 0,
        short: "a",
        word: "A",
        several: ["a"],
        listOf: [1],
        shaped: {},
      }),
      [
        "bounded: must be at least 1, got 0",
        "short: must have at least 2 characters",
        'word: must match ^[a-z]+$, got "A"',
        "several: must have at least 2 items, got 1",
        "listOf[0]: expected string, got 1",
        "shaped.inner: required",
      ],
    );
  });

  it("accepts any items in an array that declares no item schema", () => {
    const schemaOfList: PolicyConfigSchema = { properties: { list: { type: "array" } } };
    assert.deepEqual(validateConfig(schemaOfList, { list: [1, "a", null, { b: 2 }] }), []);
  });

  it("rejects a value of another type where a number or an object is expected", () => {
    assert.deepEqual(errors({ ratio: "1", loose: "x" }), [
      'ratio: expected number, got "1"',
      'loose: expected object, got "x"',
    ]);
  });

  it("says a nested property declared false is not allowed, rather than unknown", () => {
    const withBanned: PolicyConfigSchema = {
      properties: {
        nested: { type: "object", properties: { inner: { type: "integer" }, banned: false as never } },
      },
    };
    assert.deepEqual(validateConfig(withBanned, { nested: { inner: 1, banned: 2 } }), [
      "nested.banned: not allowed",
    ]);
  });

  it("requires a required property that the schema does not describe", () => {
    assert.deepEqual(validateConfig({ properties: {}, required: ["threshold"] }, {}), [
      "threshold: required",
    ]);
  });

  it("lists as defaults only the properties that declare one", () => {
    assert.deepEqual(configDefaults(schema), { flag: false });
  });

  it("copies the declared defaults, so a policy cannot change them", () => {
    const withObject: PolicyConfigSchema = { properties: { bounds: { type: "object", default: { a: 1 } } } };
    const defaults = configDefaults(withObject);
    assert.deepEqual(defaults, { bounds: { a: 1 } });
    (defaults.bounds as { a: number }).a = 2;
    assert.deepEqual(configDefaults(withObject), { bounds: { a: 1 } });
    assert.deepEqual(configDefaults(undefined), {});
  });
});
