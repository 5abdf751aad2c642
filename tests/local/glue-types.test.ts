import { DuckDBInstance } from "@duckdb/node-api";
import * as assert from "node:assert/strict";
import { parseGlueType } from "../../config/glue-type";
import { columnValue, duckdbTypeOf } from "../../local/glue-types";

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
    ["timestamp", "2026-01-02T03:04:05Z", "2026-01-02 03:04:05.000000"],
    ["date", "2026-01-02", "2026-01-02"],
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
    [
      "timestamp",
      "yesterday",
      `column 'c' (timestamp) cannot hold "yesterday": not a timestamp (yyyy-MM-dd'T'HH:mm:ss[.S]'Z', yyyy-[M]M-[d]d HH:mm:ss[.S], or epoch seconds or milliseconds)`,
    ],
    ["date", "02/01/2026", `column 'c' (date) cannot hold "02/01/2026": not a date (yyyy-MM-dd)`],
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

describe("local: OpenX timestamps, as the record format conversion page lists them", () => {
  // Every form the developer guide documents, read as the OpenX SerDe reads it (UTC).
  const documented: [unknown, string][] = [
    [1518033528, "2018-02-07 19:58:48.000000"], // epoch seconds
    ["1518033528", "2018-02-07 19:58:48.000000"],
    [1518033528123, "2018-02-07 19:58:48.123000"], // epoch milliseconds: 13 digits or more
    ["1518033528123", "2018-02-07 19:58:48.123000"],
    [1518033528.123, "2018-02-07 19:58:48.123000"], // floating point epoch seconds
    ["1518033528.5", "2018-02-07 19:58:48.500000"],
    [-86400, "1969-12-31 00:00:00.000000"],
    ["2017-02-07T15:13:01.39256Z", "2017-02-07 15:13:01.392560"], // fraction up to 9 digits
    ["2017-02-07T15:13:01.123456789Z", "2017-02-07 15:13:01.123456"],
    ["2017-02-07T15:13:01Z", "2017-02-07 15:13:01.000000"],
    ["2017-02-07 15:13:01.14", "2017-02-07 15:13:01.140000"],
    ["2017-2-7 15:13:01", "2017-02-07 15:13:01.000000"], // yyyy-[M]M-[d]d
    ["0099-01-01 00:00:00", "0099-01-01 00:00:00.000000"],
  ];
  for (const [value, expected] of documented) {
    it(`reads ${JSON.stringify(value)} as ${expected}`, () => {
      assert.equal(columnValue(parseGlueType("timestamp"), value, "ts"), expected);
    });
  }

  it("gives text DuckDB reads as that same TIMESTAMP", async () => {
    const db = await DuckDBInstance.create(":memory:");
    const connection = await db.connect();
    try {
      for (const [, expected] of documented) {
        const reader = await connection.runAndReadAll(
          `SELECT strftime('${expected}'::TIMESTAMP, '%Y-%m-%d %H:%M:%S.%f')`,
        );
        assert.equal(reader.getRows()[0][0], expected);
      }
    } finally {
      connection.closeSync();
      db.closeSync();
    }
  });

  // One value the SerDe cannot read fails its record, with a message naming column, value and reason.
  const refused: [unknown, string][] = [
    [1e20, "100000000000000000000: out of range: 100000000000000000000 is outside 0001-01-01 to 9999-12-31"],
    [1e300, "1e+300: out of range: 1e+300 is outside 0001-01-01 to 9999-12-31"],
    [
      "99999999999999999",
      '"99999999999999999": out of range: 99999999999999999 is outside 0001-01-01 to 9999-12-31',
    ],
    ["2017-02-30 00:00:00", '"2017-02-30 00:00:00": not a valid date and time'],
    ["2017-02-07 24:00:00", '"2017-02-07 24:00:00": not a valid date and time'],
    ["2017-02-07T15:13:01+01:00", '"2017-02-07T15:13:01+01:00": not a timestamp'],
    ["2017-02-07T15:13:01.1234567890Z", '"2017-02-07T15:13:01.1234567890Z": not a timestamp'],
    ["2017-02-07", '"2017-02-07": not a timestamp'],
    [true, "true: not a timestamp"],
  ];
  for (const [value, message] of refused) {
    it(`refuses ${JSON.stringify(value)}`, () => {
      const result = columnValue(parseGlueType("timestamp"), value, "ts");
      assert.ok(result instanceof Error, `got ${String(result)}`);
      assert.ok(result.message.startsWith(`column 'ts' (timestamp) cannot hold ${message}`), result.message);
    });
  }
});
