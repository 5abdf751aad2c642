import * as assert from "node:assert/strict";
import { columnValue, duckdbTypeOf, parseGlueType } from "../../local/glue-types";

describe("local: Glue column types", () => {
  const types: [string, string][] = [
    ["string", "VARCHAR"],
    ["int", "INTEGER"],
    ["bigint", "BIGINT"],
    ["double", "DOUBLE"],
    ["boolean", "BOOLEAN"],
    ["timestamp", "TIMESTAMP"],
    ["decimal(10, 2)", "DECIMAL(10,2)"],
    ["array<string>", "VARCHAR[]"],
    ["map<string,int>", "MAP(VARCHAR, INTEGER)"],
    ["struct<a:int, b:array<double>>", 'STRUCT("a" INTEGER, "b" DOUBLE[])'],
  ];
  for (const [glue, duckdb] of types) {
    it(`${glue} is DuckDB ${duckdb}`, () => assert.equal(duckdbTypeOf(parseGlueType(glue)), duckdb));
  }

  it("rejects what it cannot read, naming the type", () => {
    assert.throws(() => parseGlueType("strin"), /Glue type "strin": unknown type 'strin'/);
    assert.throws(() => parseGlueType("array<int"), /expected '>'/);
  });

  const values: [string, unknown, unknown][] = [
    ["double", 1.5, 1.5],
    ["double", "2.25", 2.25],
    ["int", 7, 7],
    ["int", "7", 7],
    ["string", 12, "12"],
    ["string", { a: 1 }, '{"a":1}'],
    ["boolean", "true", true],
    ["timestamp", "2026-01-02T03:04:05Z", "2026-01-02T03:04:05Z"],
    ["int", null, null],
    ["int", undefined, null],
  ];
  for (const [type, value, expected] of values) {
    it(`${type} holds ${JSON.stringify(value)} as ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(columnValue(parseGlueType(type), value, "c"), expected);
    });
  }

  const refused: [string, unknown, string][] = [
    ["double", "n/a", `column 'c' (double) cannot hold "n/a": not a number`],
    ["int", 1.5, "column 'c' (integer) cannot hold 1.5: not an integer"],
    ["tinyint", 300, "column 'c' (tinyint) cannot hold 300: out of range"],
    ["boolean", "yes", `column 'c' (boolean) cannot hold "yes": not a boolean`],
    ["timestamp", "yesterday", `column 'c' (timestamp) cannot hold "yesterday": not a timestamp`],
    ["array<int>", 3, "column 'c' (integer[]) cannot hold 3: not an array, map or struct"],
  ];
  for (const [type, value, message] of refused) {
    it(`${type} refuses ${JSON.stringify(value)}`, () => {
      const result = columnValue(parseGlueType(type), value, "c");
      assert.ok(result instanceof Error);
      assert.equal(result.message, message);
    });
  }
});
