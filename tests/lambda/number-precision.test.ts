import * as assert from "node:assert/strict";
import { JsonObject } from "../../lambda/transform/json";
import { losesNumberPrecision } from "../../lambda/transform/number-precision";

/** Whether a record written as `text` would have a number changed by JSON.parse and JSON.stringify. */
function loses(text: string): boolean {
  return losesNumberPrecision(JSON.parse(text) as JsonObject, text);
}

describe("number precision", () => {
  it("finds a number a double cannot hold directly inside an array, at any depth", () => {
    assert.equal(loses('{"n":[9007199254740993]}'), true);
    assert.equal(loses('{"n":[1,[2,[-12345678901234567890]]]}'), true);
    assert.equal(loses('{"n":[1e400]}'), true);
    assert.equal(loses('{"n":[9007199254740992,[-9007199254740992]]}'), false);
  });

  it("checks arrays of strings, nulls and booleans without walking into a string's characters", () => {
    assert.equal(loses('{"tags":["a","bc"],"n":[null,true,"x",{"s":"yz"}],"o":{"t":["uv"]}}'), false);
    assert.equal(loses('{"tags":["abc",null],"big":9007199254740993}'), true);
  });

  it("keeps a big number written with a fraction, leading zeros or trailing zeros when its value is exact", () => {
    for (const token of [
      "9007199254740992.0",
      "9007199254740992.000",
      "9.007199254740992e15",
      "9.007199254740992e+15",
      "0.9007199254740992e16",
      "0.09007199254740992e17",
      "0.0009007199254740992E19",
      "90071992547409920e-1",
      "1.0e21",
    ]) {
      assert.equal(loses(`{"n":${token}}`), false, token);
    }
  });

  it("fails a big number whose digits would change, however it is written", () => {
    for (const token of [
      "9007199254740993.0",
      "9.007199254740993e15",
      "9.007199254740993e+15",
      "9007199254740993E+0",
      "0.09007199254740993e17",
      "90071992547409930e-1",
    ]) {
      assert.equal(loses(`{"n":${token}}`), true, token);
    }
  });

  it("rounding a fraction below 2^53 is no loss, even in a record that also holds a big exact number", () => {
    assert.equal(
      loses('{"big":9007199254740992,"ratio":0.30000000000000000000001,"price":123456789012345.678}'),
      false,
    );
    assert.equal(loses('{"big":[9007199254740992],"n":[-0.1000000000000000000001,1e-400]}'), false);
  });
});
