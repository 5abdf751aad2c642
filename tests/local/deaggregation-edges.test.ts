// De-aggregation at its edges: the splitter each setting picks, positions named in errors, the 500-record cap.
import * as assert from "node:assert/strict";
import { splitDelimited, splitJsonObjects, splitter } from "../../local/deaggregation";

const text = (parts: ReturnType<typeof splitJsonObjects>) =>
  "error" in parts ? parts : parts.map((p) => p.toString("utf8"));
const json = (record: string) => text(splitJsonObjects(Buffer.from(record)));
const delimited = (record: string, delimiter: string) =>
  text(splitDelimited(Buffer.from(record), Buffer.from(delimiter)));
const TOO_MANY = { error: "it holds more than 500 records, Firehose's cap on de-aggregation" };

describe("local: de-aggregation edges", () => {
  it("JSON settings split objects; DELIMITED without a delimiter is refused", () => {
    assert.deepEqual(text(splitter({ subRecordType: "JSON" })(Buffer.from('{"a":1} {}'))), ['{"a":1}', "{}"]);
    assert.throws(() => splitter({ subRecordType: "DELIMITED" }), {
      message: "deaggregation.delimiter: DELIMITED needs a delimiter, got none",
    });
  });

  it("names the first byte that is neither JSON whitespace nor an object", () => {
    for (const [record, at] of [
      ["x", 0],
      ["\f{}", 0],
      ["\v{}", 0],
      [" \t\r\nx", 4],
      ['{"a":1} "b"', 8],
    ] as const) {
      assert.deepEqual(json(record), {
        error: `it is not a sequence of JSON objects: byte ${at} is not '{'`,
      });
    }
    assert.deepEqual(json(" ["), {
      error: "it is not a sequence of JSON objects: byte 1 is not '{' (an array of objects is not split)",
    });
  });

  it("names where an unclosed object starts, escapes and strings included", () => {
    assert.deepEqual(json('{}\n{"a":'), { error: "the JSON object at byte 3 is not closed" });
    assert.deepEqual(json('{"a":"\\'), { error: "the JSON object at byte 0 is not closed" });
    assert.deepEqual(json('{"a":"}"'), { error: "the JSON object at byte 0 is not closed" });
    assert.deepEqual(json('{"a":"\\\\"}{}'), ['{"a":"\\\\"}', "{}"]);
    assert.deepEqual(json('{"a":{"b":{}}}'), ['{"a":{"b":{}}}']);
    assert.deepEqual(json("{}"), ["{}"]);
  });

  it("caps JSON at 500 objects even with whitespace after the last", () => {
    assert.equal((json("{}\n".repeat(500)) as string[]).length, 500);
    assert.deepEqual(json("{}\n".repeat(501)), TOO_MANY);
  });

  it("splits at delimiters of several bytes anywhere in the record", () => {
    assert.deepEqual(delimited("|a", "|"), ["a"]);
    assert.deepEqual(delimited("aébéc", "é"), ["a", "b", "c"]);
    assert.deepEqual(delimited("a::b:c", "::"), ["a", "b:c"]);
    assert.deepEqual(delimited("", "|"), { error: "it holds nothing but delimiters" });
  });

  it("caps DELIMITED at 500 records, counting the one after the last delimiter", () => {
    assert.equal((delimited(`${"x|".repeat(499)}x`, "|") as string[]).length, 500);
    assert.deepEqual(delimited(`${"x|".repeat(500)}x`, "|"), TOO_MANY);
    assert.equal((delimited(`${"x||".repeat(500)}`, "||") as string[]).length, 500);
  });
});
