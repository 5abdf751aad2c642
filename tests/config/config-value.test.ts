// The one rule for what a config value is: the engine's text for a top-level value, the value that text stands
// for, and how a string is read where the schema wants a boolean or a number.
import { strict as assert } from "assert";
import { coerceText, engineText, fromEngineText } from "../../config/config-value";

describe("config values: the engine's text and what it stands for", () => {
  describe("engineText", () => {
    it("passes a string through as it is, even one that spells a boolean or a number", () => {
      assert.equal(engineText("events"), "events");
      assert.equal(engineText("false"), "false");
      assert.equal(engineText("12"), "12");
    });

    it("writes scalars as their text and structured values as JSON", () => {
      assert.equal(engineText(false), "false");
      assert.equal(engineText(14), "14");
      assert.equal(engineText({ a: 1, b: ["x"] }), '{"a":1,"b":["x"]}');
      assert.equal(engineText([1, 2]), "[1,2]");
    });
  });

  describe("fromEngineText", () => {
    it("reads an object or an array as JSON, after leading whitespace", () => {
      assert.deepEqual(fromEngineText('{"a":1}'), { a: 1 });
      assert.deepEqual(fromEngineText("[1,2]"), [1, 2]);
      assert.deepEqual(fromEngineText(' {"a":1}'), { a: 1 });
      assert.deepEqual(fromEngineText('\n  ["x"]'), ["x"]);
    });

    it("keeps scalar text as text, though it would parse as JSON", () => {
      assert.equal(fromEngineText("12"), "12");
      assert.equal(fromEngineText("true"), "true");
      assert.equal(fromEngineText("null"), "null");
      assert.equal(fromEngineText('"a[b"'), '"a[b"');
      assert.equal(fromEngineText('"{}"'), '"{}"');
    });

    it("keeps text that starts like JSON but is not JSON", () => {
      assert.equal(fromEngineText("{not json"), "{not json");
      assert.equal(fromEngineText("[x]"), "[x]");
    });
  });

  describe("coerceText", () => {
    it("reads exactly 'true' and 'false' as booleans, nothing else", () => {
      assert.equal(coerceText("true", "boolean"), true);
      assert.equal(coerceText("false", "boolean"), false);
      for (const text of ["True", "FALSE", "1", "0", "yes", "", " true"]) {
        assert.equal(coerceText(text, "boolean"), undefined, text);
      }
    });

    it("does not read a boolean's text where a number is wanted", () => {
      assert.equal(coerceText("true", "number"), undefined);
      assert.equal(coerceText("false", "number"), undefined);
    });

    it("reads decimal numbers: signs, fractions and exponents", () => {
      const cases: [string, number][] = [
        ["0", 0],
        ["5", 5],
        ["-5", -5],
        ["100", 100],
        ["1.5", 1.5],
        ["-0.25", -0.25],
        ["1e3", 1000],
        ["1E3", 1000],
        ["1e+3", 1000],
        ["1e-3", 0.001],
        ["2.5e10", 25_000_000_000],
      ];
      for (const [text, n] of cases) assert.equal(coerceText(text, "number"), n, text);
    });

    it("refuses what Number() reads but a decimal does not spell", () => {
      const refused = [
        "",
        " 5",
        "5 ",
        "007",
        "+5",
        "1.",
        ".5",
        "1e",
        "1e+",
        "0x10",
        "0b1",
        "1_000",
        "Infinity",
        "NaN",
        "5 days",
        "--5",
      ];
      for (const text of refused) assert.equal(coerceText(text, "number"), undefined, JSON.stringify(text));
    });

    it("refuses a decimal too large to be a finite number", () => {
      assert.equal(coerceText("1e999", "number"), undefined);
      assert.equal(coerceText("-1e999", "number"), undefined);
    });
  });
});
