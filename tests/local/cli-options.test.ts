import * as assert from "node:assert/strict";
import { STACK_HELP, STACK_OPTIONS } from "../../config/stack-options";
import { COMMON_HELP, COMMON_OPTIONS, parseCommandLine, positiveNumber } from "../../local/cli-options";

describe("local: shared command-line options", () => {
  it("adds the lake directory, time scale and help to the stack flags, with their defaults", () => {
    assert.deepEqual(COMMON_OPTIONS, {
      ...STACK_OPTIONS,
      "lake-dir": { type: "string", default: ".lake" },
      "time-scale": { type: "string", default: "1" },
      help: { type: "boolean", default: false },
    });
  });

  it("documents the flags after the stack flags", () => {
    assert.equal(
      COMMON_HELP,
      `${STACK_HELP}\n` +
        "  --lake-dir <dir>        local data lake root; the bucket is a folder in it (default: .lake)\n" +
        "  --time-scale <factor>   multiplies every buffer interval, e.g. 0.01 (default: 1)",
    );
  });

  describe("positiveNumber", () => {
    it("reads a positive number", () => {
      assert.equal(positiveNumber("events", "3"), 3);
      assert.equal(positiveNumber("time-scale", "0.01"), 0.01);
      assert.equal(positiveNumber("time-scale", "1e-9"), 1e-9);
    });

    it("refuses zero, negatives, non-numbers, infinity and a missing value, naming the flag and the value", () => {
      for (const value of ["0", "-0", "-1", "abc", "Infinity", "NaN"]) {
        assert.throws(
          () => positiveNumber("time-scale", value),
          (error: Error) => error.message === `--time-scale must be a positive number, got "${value}"`,
          value,
        );
      }
      assert.throws(() => positiveNumber("events", undefined), {
        message: "--events must be a positive number, got undefined",
      });
    });
  });

  describe("parseCommandLine", () => {
    const realArgv = process.argv;
    afterEach(() => {
      process.argv = realArgv;
    });

    it("parses the arguments after the script, with defaults and positionals", () => {
      process.argv = ["node", "serve.ts", "--lake-dir", "/tmp/lake", "extra"];
      const { values, positionals } = parseCommandLine(COMMON_OPTIONS);
      assert.deepEqual(
        { ...values },
        { stack: "dev", "lake-dir": "/tmp/lake", "time-scale": "1", help: false },
      );
      assert.deepEqual(positionals, ["extra"]);
    });

    it("refuses a flag the command does not know", () => {
      process.argv = ["node", "serve.ts", "--nope"];
      assert.throws(() => parseCommandLine(COMMON_OPTIONS), { code: "ERR_PARSE_ARGS_UNKNOWN_OPTION" });
    });
  });
});
