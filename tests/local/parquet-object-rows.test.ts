import { DuckDBInstance } from "@duckdb/node-api";
import * as assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as path from "node:path";
import {
  ParquetColumn,
  ParquetCompression,
  parquetColumnsOf,
  rowOf,
  sqlString,
  writeParquet,
} from "../../local/parquet-object";
import { tempDir } from "../support/temp-dir";

const COLUMNS = parquetColumnsOf([
  { name: "id", type: "string" },
  { name: "qty", type: "int" },
  { name: "tags", type: "array<string>" },
]);

/** Each row of a Parquet file as JSON values, and the compression of its first column chunk. */
async function readParquet(file: string): Promise<{ rows: unknown[]; compression: unknown }> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const rows = (
      await connection.runAndReadAll(`SELECT * FROM read_parquet(${sqlString(file)})`)
    ).getRowObjectsJson();
    const meta = await connection.runAndReadAll(
      `SELECT compression FROM parquet_metadata(${sqlString(file)}) LIMIT 1`,
    );
    return { rows, compression: meta.getRowObjectsJson()[0].compression };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe("local: Parquet rows", () => {
  it("reads the Glue columns' types", () => {
    assert.deepEqual(parquetColumnsOf([{ name: "a", type: "bigint" }]), [
      { name: "a", type: { kind: "scalar", name: "bigint" } },
    ]);
  });

  it("reads a record's keys case-insensitively into the columns, missing ones as null", () => {
    assert.deepEqual(rowOf(Buffer.from('{"ID":"a","Qty":"7","other":1}'), COLUMNS), {
      id: "a",
      qty: 7,
      tags: null,
    });
  });

  it("a record that is not JSON says so with the parser's reason", () => {
    const err = rowOf(Buffer.from("{x"), COLUMNS);
    assert.ok(err instanceof Error);
    assert.match(err.message, /^record is not valid JSON: .*JSON/);
  });

  it("a record that is not a JSON object names what it is, cut to 100 characters", () => {
    const cases: [string, string][] = [
      ["[1,2]", "[1,2]"],
      ["null", "null"],
      ["42", "42"],
      [JSON.stringify("x".repeat(200)), `"${"x".repeat(99)}`],
    ];
    for (const [record, shown] of cases) {
      const err = rowOf(Buffer.from(record), COLUMNS);
      assert.ok(err instanceof Error, record);
      assert.equal(err.message, `record must be a JSON object, got ${shown}`);
    }
  });

  it("a value a column cannot hold is the record's error, naming the column", () => {
    const err = rowOf(Buffer.from('{"id":"a","qty":"many"}'), COLUMNS);
    assert.ok(err instanceof Error);
    assert.equal(err.message, `column 'qty' (integer) cannot hold "many": not an integer`);
  });

  it("a value the reader cannot read at all fails the record, not the object", () => {
    const broken = [{ name: "odd", type: undefined }] as unknown as ParquetColumn[];
    const err = rowOf(Buffer.from('{"odd":1}'), broken);
    assert.ok(err instanceof Error);
    assert.match(err.message, /^column 'odd' cannot hold its value: Cannot read properties of undefined/);
  });
});

describe("local: Parquet objects", () => {
  const rows = [
    { id: "a'b", qty: 1, tags: ["x"] },
    { id: "c", qty: null, tags: null },
  ];

  for (const [compression, stored] of [
    ["SNAPPY", "SNAPPY"],
    ["GZIP", "GZIP"],
    ["UNCOMPRESSED", "UNCOMPRESSED"],
  ] as [ParquetCompression, string][]) {
    it(`writes the rows with the columns' types, ${compression}, and removes its scratch file`, async () => {
      const dir = tempDir("parquet-out");
      const out = path.join(dir, "o'ut.parquet");
      const scratch = path.join(dir, "scratch.json");
      assert.equal(await writeParquet(rows, COLUMNS, compression, out, scratch), undefined);
      assert.equal(existsSync(scratch), false);
      const read = await readParquet(out);
      assert.deepEqual(read.rows, [
        { id: "a'b", qty: 1, tags: ["x"] },
        { id: "c", qty: null, tags: null },
      ]);
      assert.equal(read.compression, stored);
    });
  }

  it("returns DuckDB's error for a value that does not fit its column, and removes its scratch file", async () => {
    const dir = tempDir("parquet-misfit");
    const scratch = path.join(dir, "scratch.json");
    const err = await writeParquet(
      [{ id: "a", qty: "abc", tags: null }],
      COLUMNS,
      "SNAPPY",
      path.join(dir, "x"),
      scratch,
    );
    assert.ok(err instanceof Error);
    assert.match(err.message, /abc/);
    assert.equal(existsSync(scratch), false);
    // The queue goes on after a failed statement.
    const out = path.join(dir, "after.parquet");
    assert.equal(await writeParquet(rows, COLUMNS, "GZIP", out, scratch), undefined);
    assert.equal((await readParquet(out)).rows.length, 2);
  });

  it("throws when the object or the scratch file cannot be written", async () => {
    const dir = tempDir("parquet-io");
    const scratch = path.join(dir, "scratch.json");
    await assert.rejects(
      writeParquet(rows, COLUMNS, "SNAPPY", path.join(dir, "missing", "x.parquet"), scratch),
      /^Error: IO Error/,
    );
    assert.equal(existsSync(scratch), false);
    await assert.rejects(
      writeParquet(rows, COLUMNS, "SNAPPY", path.join(dir, "x.parquet"), path.join(dir, "missing", "s.json")),
      { code: "ENOENT" },
    );
  });

  it("quotes SQL strings", () => {
    assert.equal(sqlString("it's 'x'"), "'it''s ''x'''");
  });
});
