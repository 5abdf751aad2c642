// Reading inputs that hold unknown values, as they arrive during preview.
import { unknownCheckingProxy } from "@pulumi/policy";
import * as assert from "assert";
import { arrayAt, numberAt, stringAt } from "../../policy/lib/fields";
import {
  isSdkUnknownValueError,
  isUnknown,
  readInputs,
  UnknownInputsError,
} from "../../policy/lib/unknown-values";
import { UNKNOWN } from "./helpers";

describe("readInputs", () => {
  const raw = {
    destination: "extended_s3",
    extendedS3Configuration: { prefix: UNKNOWN, bufferingSize: 64 },
    tags: ["a", UNKNOWN],
    whole: UNKNOWN,
  };

  for (const [how, props] of [
    ["plain inputs holding sentinels (the engine)", raw],
    ["the SDK's unknown-checking proxy", unknownCheckingProxy(raw) as object],
  ] as const) {
    it(`marks every unknown with its path, from ${how}`, () => {
      const inputs = readInputs(props);
      assert.equal(stringAt(inputs, "destination"), "extended_s3");
      assert.equal(numberAt(inputs, "extendedS3Configuration", "bufferingSize"), 64);
      const prefix = stringAt(inputs, "extendedS3Configuration", "prefix");
      assert.ok(isUnknown(prefix) && prefix.path === "extendedS3Configuration.prefix");
      const tags = arrayAt(inputs, "tags");
      assert.ok(Array.isArray(tags) && tags[0] === "a" && isUnknown(tags[1]) && tags[1].path === "tags[1]");
      const below = stringAt(inputs, "whole", "anything");
      assert.ok(isUnknown(below) && below.path === "whole");
    });
  }

  it("keeps null, drops absent values and functions, and reads an absent list element as null", () => {
    const inputs = readInputs({
      tags: null,
      name: undefined,
      transform: () => "x",
      size: 0,
      list: [undefined, 2],
      nested: { on: false, off: undefined },
    });
    assert.deepStrictEqual(inputs, { tags: null, size: 0, list: [null, 2], nested: { on: false } });
  });

  it("lets an error other than the SDK's unknown-value error through", () => {
    const props = {
      get broken(): string {
        throw new Error("boom");
      },
    };
    assert.throws(() => readInputs(props), { message: "boom" });
  });

  it("raises skipped checks as the SDK's UnknownValueError, listing each one", () => {
    const prefix = stringAt(readInputs(raw), "extendedS3Configuration", "prefix");
    assert.ok(isUnknown(prefix));
    const error = new UnknownInputsError([{ value: prefix, check: "prefix expressions" }]);
    assert.equal(isSdkUnknownValueError(error), true);
    assert.equal(
      error.message,
      "not checked until the values are known at deployment: extendedS3Configuration.prefix (prefix expressions)",
    );
  });
});
