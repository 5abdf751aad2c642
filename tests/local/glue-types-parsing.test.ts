import * as assert from "node:assert/strict";
import { parseGlueType } from "../../config/glue-type";
import { columnValue, duckdbTypeOf } from "../../local/glue-types";

describe("local: Glue column types, as written and as refused", () => {
  const types: [string, string][] = [
    ["smallint", "SMALLINT"],
    ["tinyint", "TINYINT"],
    ["float", "FLOAT"],
    ["date", "DATE"],
    ["binary", "BLOB"],
    [" INT ", "INTEGER"],
    ["Array<String>", "VARCHAR[]"],
    ["array< int >", "INTEGER[]"],
    ["map< string , int >", "MAP(VARCHAR, INTEGER)"],
    ["decimal(38,  0)", "DECIMAL(38,0)"],
    ["decimal(38,10)", "DECIMAL(38,10)"],
    ["struct< a : int, b : string>", 'STRUCT("a" INTEGER, "b" VARCHAR)'],
    ["struct<_a1:map<string,array<int>>>", 'STRUCT("_a1" MAP(VARCHAR, INTEGER[]))'],
    ["struct<>", "STRUCT()"],
    ["struct<a:int ,b:int >", 'STRUCT("a" INTEGER, "b" INTEGER)'],
  ];
  for (const [glue, duckdb] of types) {
    it(`${JSON.stringify(glue)} is DuckDB ${duckdb}`, () =>
      assert.equal(duckdbTypeOf(parseGlueType(glue)), duckdb));
  }

  it("reads a type into its parts", () => {
    assert.deepEqual(parseGlueType("map<string,decimal(10,2)>"), {
      kind: "map",
      key: { kind: "scalar", name: "string" },
      value: { kind: "decimal", precision: 10, scale: 2 },
    });
    assert.deepEqual(parseGlueType("struct<a:array<int>,b:boolean>"), {
      kind: "struct",
      fields: [
        { name: "a", type: { kind: "array", element: { kind: "scalar", name: "int" } } },
        { name: "b", type: { kind: "scalar", name: "boolean" } },
      ],
    });
  });

  const refused: [string, string][] = [
    ["int x", `Glue type "int x": unexpected text at 3`],
    ["struct<a:int>x", `Glue type "struct<a:int>x": unexpected text at 13`],
    ["", `Glue type "": unknown type ''`],
    ["array<", `Glue type "array<": unknown type ''`],
    ["array<1int>", `Glue type "array<1int>": unknown type ''`],
    ["decimal x(1,2)", `Glue type "decimal x(1,2)": decimal needs (precision,scale)`],
    ["array", `Glue type "array": expected '<' at 5`],
    ["array<int", `Glue type "array<int": expected '>' at 9`],
    ["map<int;int>", `Glue type "map<int;int>": expected ',' at 7`],
    ["map<int,int", `Glue type "map<int,int": expected '>' at 11`],
    ["struct<a int>", `Glue type "struct<a int>": expected ':' at 9`],
    ["struct<1a:int>", `Glue type "struct<1a:int>": expected a field name at 7`],
    ["struct<a:int b:int>", `Glue type "struct<a:int b:int>": expected '>' at 13`],
    ["struct<a:int,>", `Glue type "struct<a:int,>": expected a field name at 13`],
    ["struct<a:int", `Glue type "struct<a:int": expected '>' at 12`],
    ["decimal", `Glue type "decimal": decimal needs (precision,scale)`],
    ["decimal(10)", `Glue type "decimal(10)": decimal needs (precision,scale)`],
  ];
  for (const [glue, message] of refused) {
    it(`refuses ${JSON.stringify(glue)}`, () => assert.throws(() => parseGlueType(glue), { message }));
  }
});

describe("local: a JSON value in a Glue column, as the OpenX SerDe reads it", () => {
  const held: [string, unknown, unknown][] = [
    ["decimal(5,2)", "1.5", 1.5],
    ["decimal(5,2)", 2, 2],
    ["map<string,int>", { a: 1 }, { a: 1 }],
    ["struct<a:int>", [1], [1]],
    ["string", "s", "s"],
    ["string", true, "true"],
    ["string", [1, "a"], '[1,"a"]'],
    ["float", " 0.5 ", 0.5],
    ["int", " 7 ", 7],
    ["int", "-7", -7],
    ["tinyint", -128, -128],
    ["tinyint", 127, 127],
    ["smallint", -32768, -32768],
    ["smallint", "32767", 32767],
    ["int", -2147483648, -2147483648],
    ["int", 2147483647, 2147483647],
    ["bigint", "-9007199254740991", -9007199254740991],
    ["boolean", true, true],
    ["boolean", false, false],
    ["boolean", "false", false],
    ["date", " 2026-1-2 ", "2026-1-2"],
    ["binary", "AAE=", "AAE="],
    ["timestamp", 0, "1970-01-01 00:00:00.000000"],
  ];
  for (const [type, value, expected] of held) {
    it(`${type} holds ${JSON.stringify(value)} as ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(columnValue(parseGlueType(type), value, "c"), expected);
    });
  }

  it("bigint holds its range's ends", () => {
    for (const end of ["-9223372036854775808", "9223372036854775807"]) {
      assert.equal(typeof columnValue(parseGlueType("bigint"), end, "c"), "number", end);
    }
  });

  const refused: [string, unknown, string][] = [
    ["decimal(5,2)", true, `column 'c' (decimal(5,2)) cannot hold true: not a number`],
    ["decimal(5,2)", "", `column 'c' (decimal(5,2)) cannot hold "": not a number`],
    ["float", " ", `column 'c' (float) cannot hold " ": not a number`],
    ["double", "Infinity", `column 'c' (double) cannot hold "Infinity": not a number`],
    ["double", false, `column 'c' (double) cannot hold false: not a number`],
    [
      "map<string,int>",
      "x",
      `column 'c' (map(varchar, integer)) cannot hold "x": not an array, map or struct`,
    ],
    ["struct<a:int>", 1, `column 'c' (struct("a" integer)) cannot hold 1: not an array, map or struct`],
    ["int", true, "column 'c' (integer) cannot hold true: not an integer"],
    ["int", "", `column 'c' (integer) cannot hold "": not an integer`],
    ["int", "7a", `column 'c' (integer) cannot hold "7a": not an integer`],
    ["int", "a7", `column 'c' (integer) cannot hold "a7": not an integer`],
    ["int", [7], "column 'c' (integer) cannot hold [7]: not an integer"],
    ["tinyint", -129, "column 'c' (tinyint) cannot hold -129: out of range"],
    ["tinyint", 128, "column 'c' (tinyint) cannot hold 128: out of range"],
    ["smallint", -32769, "column 'c' (smallint) cannot hold -32769: out of range"],
    ["smallint", 32768, "column 'c' (smallint) cannot hold 32768: out of range"],
    ["int", -2147483649, "column 'c' (integer) cannot hold -2147483649: out of range"],
    ["int", 2147483648, "column 'c' (integer) cannot hold 2147483648: out of range"],
    [
      "bigint",
      "-9223372036854775809",
      `column 'c' (bigint) cannot hold "-9223372036854775809": out of range`,
    ],
    ["bigint", "9223372036854775808", `column 'c' (bigint) cannot hold "9223372036854775808": out of range`],
    ["boolean", 1, "column 'c' (boolean) cannot hold 1: not a boolean"],
    ["boolean", "TRUE", `column 'c' (boolean) cannot hold "TRUE": not a boolean`],
    ["timestamp", {}, "column 'c' (timestamp) cannot hold {}: not a timestamp"],
    ["date", 20260102, "column 'c' (date) cannot hold 20260102: not a date (yyyy-MM-dd)"],
    ["date", "2026-02-32", `column 'c' (date) cannot hold "2026-02-32": not a date (yyyy-MM-dd)`],
    ["date", "x2026-01-02", `column 'c' (date) cannot hold "x2026-01-02": not a date (yyyy-MM-dd)`],
    ["date", "2026-01-02x", `column 'c' (date) cannot hold "2026-01-02x": not a date (yyyy-MM-dd)`],
    ["binary", 5, "column 'c' (blob) cannot hold 5: not a string"],
  ];
  for (const [type, value, message] of refused) {
    it(`${type} refuses ${JSON.stringify(value)}`, () => {
      const result = columnValue(parseGlueType(type), value, "c");
      assert.ok(result instanceof Error, `got ${JSON.stringify(result)}`);
      assert.equal(result.message, message);
    });
  }
});
