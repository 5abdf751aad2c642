// The typed readers every rule reads inputs with: absent, unknown (at any step), null, other types, and the
// string forms providers give numbers and booleans.
import * as assert from "node:assert/strict";
import {
  arrayAt,
  booleanAt,
  numberAt,
  objectAt,
  stringAt,
  stringsAt,
  valueAt,
} from "../../policy/lib/fields";
import { InputObject, UnknownValue } from "../../policy/lib/unknown-values";

const unknown = new UnknownValue("a.b", "unknown-sentinel");
const inputs: InputObject = {
  block: {
    name: "x",
    blank: "  ",
    size: 5,
    sizeText: "64",
    bad: "64x",
    on: true,
    onText: "false",
    list: ["a", 1, unknown],
    nil: null,
  },
  pending: unknown,
  list: [{ a: 1 }],
  text: "plain",
};

describe("policy/lib/fields", () => {
  it("valueAt: the value, undefined past an absent step or a non-object, the unknown itself, null as absent", () => {
    assert.equal(valueAt(inputs, "block", "name"), "x");
    assert.equal(valueAt(inputs, "missing", "name"), undefined);
    assert.equal(valueAt(inputs, "text", "name"), undefined, "a string has no members");
    assert.equal(valueAt(inputs, "list", "0"), undefined, "an array is not read by key");
    assert.equal(valueAt(inputs, "pending", "deeper", "still"), unknown);
    assert.equal(valueAt(inputs, "block", "nil"), undefined);
    assert.equal(valueAt(undefined, "a"), undefined);
    assert.equal(valueAt(inputs), inputs);
  });

  it("valueAt: a null step, and a string's or a number's own members, read as absent", () => {
    assert.equal(valueAt(inputs, "block", "nil", "deeper"), undefined);
    assert.equal(valueAt(inputs, "text", "length"), undefined);
    assert.equal(valueAt(inputs, "block", "size", "toFixed"), undefined);
    assert.equal(stringAt(inputs, "block", "nil", "deeper"), undefined);
    assert.equal(numberAt(inputs, "text", "length"), undefined);
  });

  it("objectAt and arrayAt: only their own kind", () => {
    assert.deepEqual(objectAt(inputs, "block", "name"), undefined);
    assert.equal(objectAt(inputs, "list"), undefined);
    assert.equal(objectAt(inputs, "pending"), unknown);
    assert.equal(objectAt(inputs, "block"), inputs.block);
    assert.deepEqual(arrayAt(inputs, "list"), [{ a: 1 }]);
    assert.equal(arrayAt(inputs, "block"), undefined);
    assert.equal(arrayAt(inputs, "pending"), unknown);
    assert.equal(arrayAt(inputs, "none"), undefined);
  });

  it("stringAt: strings and numbers as text; blank, booleans and objects as absent", () => {
    assert.equal(stringAt(inputs, "block", "name"), "x");
    assert.equal(stringAt(inputs, "block", "size"), "5");
    assert.equal(stringAt(inputs, "block", "blank"), undefined);
    assert.equal(stringAt(inputs, "block", "on"), undefined);
    assert.equal(stringAt(inputs, "block"), undefined);
    assert.equal(stringAt(inputs, "pending"), unknown);
    assert.equal(stringAt(inputs, "none"), undefined);
  });

  it("numberAt: numbers and numeric strings; blank, partly numeric and other types as absent", () => {
    assert.equal(numberAt(inputs, "block", "size"), 5);
    assert.equal(numberAt(inputs, "block", "sizeText"), 64);
    assert.equal(numberAt(inputs, "block", "bad"), undefined);
    assert.equal(numberAt(inputs, "block", "blank"), undefined);
    assert.equal(numberAt(inputs, "block", "on"), undefined);
    assert.equal(numberAt({ v: "Infinity" }, "v"), undefined);
    assert.equal(numberAt(inputs, "pending"), unknown);
    assert.equal(numberAt(inputs, "none"), undefined);
  });

  it("booleanAt: booleans and exactly 'true'/'false'", () => {
    assert.equal(booleanAt(inputs, "block", "on"), true);
    assert.equal(booleanAt(inputs, "block", "onText"), false);
    assert.equal(booleanAt({ v: "true" }, "v"), true);
    assert.equal(booleanAt({ v: "TRUE" }, "v"), undefined);
    assert.equal(booleanAt(inputs, "block", "size"), undefined);
    assert.equal(booleanAt(inputs, "pending"), unknown);
    assert.equal(booleanAt(inputs, "none"), undefined);
  });

  it("stringsAt: the strings of a list, unknown elements kept, others dropped", () => {
    assert.deepEqual(stringsAt(inputs, "block", "list"), ["a", unknown]);
    assert.equal(stringsAt(inputs, "pending"), unknown);
    assert.equal(stringsAt(inputs, "block", "name"), undefined);
    assert.equal(stringsAt(inputs, "none"), undefined);
  });
});
