// The views the local query defines: their columns and types, which objects they read, and Iceberg tables.
import * as assert from "node:assert/strict";
import { DuckDBInstance } from "@duckdb/node-api";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { LakeQuery, openLakeQuery } from "../../local/lake-query";
import { LakeStore } from "../../local/lake-store";
import { LocalIcebergTable, LocalTable } from "../../local/local-stack";
import { sqlString } from "../../local/parquet-object";
import { tempDir } from "../support/temp-dir";

/** Writes the rows `select` gives as a Parquet file, creating its folder. */
async function writeParquet(file: string, select: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run(`COPY (${select}) TO ${sqlString(file)} (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function writeLines(file: string, rows: unknown[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
}

async function queried(query: LakeQuery, sql: string): Promise<unknown[][]> {
  try {
    return (await query.run(sql)).rows;
  } finally {
    query.close();
  }
}

/** Each view's columns and DuckDB types, as `DESCRIBE` gives them. */
async function described(query: LakeQuery, view: string): Promise<string[][]> {
  try {
    const { rows } = await query.run(`DESCRIBE ${view}`);
    return rows.map((r) => [String(r[0]), String(r[1])]);
  } finally {
    query.close();
  }
}

const lakeTable = (root: string, changes: Partial<LocalTable> = {}): LocalTable => ({
  database: "db",
  name: "events",
  root,
  lakeDir: path.dirname(root),
  prefix: "data/country=!{partitionKeyFromQuery:country}/year=!{timestamp:yyyy}/",
  format: "json",
  columns: [
    { name: "id", type: "string" },
    { name: "amount", type: "bigint" },
  ],
  partitionColumns: [
    { name: "country", projection: { type: "enum", values: ["DE", "FR"] } },
    { name: "year", projection: { type: "integer", range: "2020,2030" } },
  ],
  ...changes,
});

describe("local: the query's views of the lake", () => {
  it("an empty lake is an empty table with the table's columns and types, by either name", async () => {
    const root = path.join(tempDir("lake-query-empty"), "data");
    mkdirSync(path.join(root, "country=DE", "year=2026"), { recursive: true });
    const expected = [
      ["id", "VARCHAR"],
      ["amount", "BIGINT"],
      ["country", "VARCHAR"],
      ["year", "INTEGER"],
    ];
    assert.deepEqual(await described(await openLakeQuery(lakeTable(root)), "db.events"), expected);
    assert.deepEqual(await described(await openLakeQuery(lakeTable(root)), "events"), expected);
    assert.deepEqual(await queried(await openLakeQuery(lakeTable(root)), "SELECT count(*) FROM events"), [
      [0n],
    ]);
  });

  it("JSON objects: data columns typed as the table says, partition columns as the projection says", async () => {
    const root = path.join(tempDir("lake-query-json"), "data");
    writeLines(path.join(root, "country=DE/year=2026/o1"), [{ id: "a", amount: 5, extra: true }]);
    writeLines(path.join(root, "country=FR/year=2030/o2"), [{ id: "b", amount: 6 }]);
    writeLines(path.join(root, "country=FR/year=2031/o3"), [{ id: "late", amount: 7 }]);
    writeLines(path.join(root, "country=FR/o4"), [{ id: "shallow", amount: 8 }]);
    assert.deepEqual(
      await queried(await openLakeQuery(lakeTable(root)), "SELECT * FROM db.events ORDER BY id"),
      [
        ["a", 5n, "DE", 2026],
        ["b", 6n, "FR", 2030],
      ],
    );
    assert.deepEqual(await described(await openLakeQuery(lakeTable(root)), "events"), [
      ["id", "VARCHAR"],
      ["amount", "BIGINT"],
      ["country", "VARCHAR"],
      ["year", "INTEGER"],
    ]);
  });

  it("a prefix whose timestamp spans folders reads objects at that depth only", async () => {
    const root = path.join(tempDir("lake-query-depth"), "logs");
    writeLines(path.join(root, "2026/05/06/o1"), [{ id: "deep", amount: 1 }]);
    writeLines(path.join(root, "2026/05/o2"), [{ id: "shallow", amount: 2 }]);
    const table = lakeTable(root, { prefix: "logs/!{timestamp:yyyy/MM/dd}/", partitionColumns: [] });
    assert.deepEqual(await queried(await openLakeQuery(table), "SELECT * FROM events"), [["deep", 1n]]);
    assert.deepEqual(await described(await openLakeQuery(table), "events"), [
      ["id", "VARCHAR"],
      ["amount", "BIGINT"],
    ]);
  });

  it("a prefix that ends in an expression reads the objects it names, not those in folders below", async () => {
    const root = path.join(tempDir("lake-query-tail"), "logs");
    writeLines(path.join(root, "2026-o1"), [{ id: "named", amount: 1 }]);
    writeLines(path.join(root, "2026/o2"), [{ id: "below", amount: 2 }]);
    const table = lakeTable(root, { prefix: "logs/!{timestamp:yyyy}", partitionColumns: [] });
    assert.deepEqual(await queried(await openLakeQuery(table), "SELECT id FROM events"), [["named"]]);
  });

  it("quotes column names as identifiers", async () => {
    const root = path.join(tempDir("lake-query-quoted"), "data");
    writeLines(path.join(root, "o1"), [{ 'say "hi"': "x" }]);
    const table = lakeTable(root, {
      prefix: "data/",
      columns: [{ name: 'say "hi"', type: "string" }],
      partitionColumns: [],
    });
    const query = await openLakeQuery(table);
    try {
      assert.deepEqual(await query.run("SELECT * FROM events"), { columns: ['say "hi"'], rows: [["x"]] });
    } finally {
      query.close();
    }
  });

  it("a closed query runs no more SQL", async () => {
    const query = await openLakeQuery(undefined);
    query.close();
    await assert.rejects(query.run("SELECT 1"));
  });

  it("Parquet objects: only .parquet files, columns by name, partition columns typed", async () => {
    const root = path.join(tempDir("lake-query-parquet"), "data");
    await writeParquet(
      path.join(root, "country=DE/year=2026/a.parquet"),
      "SELECT 'a' AS id, 5::BIGINT AS amount",
    );
    await writeParquet(
      path.join(root, "country=FR/year=2027/b.parquet"),
      "SELECT 6::BIGINT AS amount, 'b' AS id",
    );
    writeFileSync(path.join(root, "country=DE/year=2026/notes.txt"), "not parquet");
    const table = lakeTable(root, { format: "parquet" });
    assert.deepEqual(await queried(await openLakeQuery(table), "SELECT * FROM events ORDER BY id"), [
      ["a", 5n, "DE", 2026],
      ["b", 6n, "FR", 2027],
    ]);
    assert.deepEqual(
      (await described(await openLakeQuery(table), "events")).map(([, type]) => type),
      ["VARCHAR", "BIGINT", "VARCHAR", "INTEGER"],
    );
  });

  it("restores only the hashed values of the column they belong to", async () => {
    const lakeDir = tempDir("lake-query-hashed");
    const store = new LakeStore(lakeDir, "bucket");
    const [longCountry, longTenant] = ["c".repeat(300), "t".repeat(300)];
    await store.put(`data/country=${longCountry}/tenant=${longTenant}/o1`, Buffer.from('{"id":"x"}\n'));
    await store.put(`data/country=DE/tenant=${longTenant}/o2`, Buffer.from('{"id":"y"}\n'));
    await store.put(`data/country=FR/tenant=${longTenant}u/o3`, Buffer.from('{"id":"z"}\n'));
    const table = lakeTable(path.join(lakeDir, "bucket", "data"), {
      lakeDir,
      prefix: "data/country=!{partitionKeyFromQuery:country}/tenant=!{partitionKeyFromQuery:tenant}/",
      columns: [{ name: "id", type: "string" }],
      partitionColumns: [
        { name: "country", projection: { type: "injected" } },
        { name: "tenant", projection: { type: "injected" } },
      ],
    });
    assert.deepEqual(await queried(await openLakeQuery(table), "SELECT * FROM events ORDER BY id"), [
      ["x", longCountry, longTenant],
      ["y", "DE", longTenant],
      ["z", "FR", `${longTenant}u`],
    ]);
  });

  it("explains an object that turns unreadable after the views were made", async () => {
    const root = path.join(tempDir("lake-query-later"), "data");
    writeLines(path.join(root, "country=DE/year=2026/o1"), [{ id: "a", amount: 1 }]);
    const query = await openLakeQuery(lakeTable(root));
    writeFileSync(path.join(root, "country=DE/year=2026/o2"), "{broken\n");
    try {
      await assert.rejects(query.run("SELECT * FROM events"), (err: Error) => {
        const [first, second, third] = err.message.split("\n");
        assert.match(first, /^The local lake cannot be read as the table db\.events: .*Malformed JSON/);
        assert.equal(
          second,
          `Objects an earlier layout or format of the stack wrote under ${root} are the usual cause. ` +
            "Start from an empty bucket: npm run serve -- --clean, or npm start (which empties it unless --keep-lake).",
        );
        assert.equal(third, undefined);
        return true;
      });
    } finally {
      query.close();
    }
  });
});

describe("local: the query's views of Iceberg tables", () => {
  const iceberg = (dataDir: string, changes: Partial<LocalIcebergTable> = {}): LocalIcebergTable => ({
    database: "lake",
    name: "orders",
    dataDir,
    columns: [
      { name: "id", type: "string" },
      { name: "qty", type: "int" },
    ],
    ...changes,
  });

  it("a table without data files, or without a folder yet, is empty, with its columns and types", async () => {
    const dataDir = path.join(tempDir("lake-query-iceberg-empty"), "data");
    mkdirSync(path.join(dataDir, "op=insert"), { recursive: true });
    const missing = path.join(dataDir, "missing");
    for (const table of [iceberg(dataDir), iceberg(dataDir, { uniqueKeys: ["id"] }), iceberg(missing)]) {
      assert.deepEqual(await described(await openLakeQuery(undefined, [table]), "lake.orders"), [
        ["id", "VARCHAR"],
        ["qty", "INTEGER"],
      ]);
      assert.deepEqual(await queried(await openLakeQuery(undefined, [table]), "SELECT * FROM orders"), []);
    }
  });

  it("an append-only table shows every row of every data file", async () => {
    const dataDir = path.join(tempDir("lake-query-iceberg-append"), "data");
    await writeParquet(path.join(dataDir, "a.parquet"), "SELECT 'a' AS id, 1 AS qty");
    await writeParquet(path.join(dataDir, "x/b.parquet"), "SELECT 2 AS qty, 'a' AS id");
    writeFileSync(path.join(dataDir, "x/notes.txt"), "not parquet");
    // Only an upserting table reads a column (its operation) from folder names.
    await writeParquet(path.join(dataDir, "qty=9/c.parquet"), "SELECT 'a' AS id, 3 AS qty");
    const query = await openLakeQuery(undefined, [iceberg(dataDir)]);
    assert.deepEqual(await queried(query, "SELECT id, qty FROM lake.orders ORDER BY qty"), [
      ["a", 1],
      ["a", 2],
      ["a", 3],
    ]);
  });

  it("an upserting table shows per key the last write, unless it was a delete", async () => {
    const dataDir = path.join(tempDir("lake-query-iceberg-upsert"), "data");
    // Unique per shop and id: the same id in another shop is another row.
    const row = (id: string, qty: number, seq: number, shop = "s1") =>
      `SELECT '${id}' AS id, ${qty} AS qty, '${shop}' AS shop, ${seq} AS _seq`;
    await writeParquet(
      path.join(dataDir, "op=insert/1.parquet"),
      `${row("a", 1, 1)} UNION ALL ${row("b", 1, 2)}`,
    );
    await writeParquet(
      path.join(dataDir, "op=update/2.parquet"),
      `${row("a", 5, 3)} UNION ALL ${row("c", 9, 4)} UNION ALL ${row("a", 7, 6, "s2")}`,
    );
    await writeParquet(
      path.join(dataDir, "op=delete/3.parquet"),
      `${row("b", 0, 5)} UNION ALL ${row("c", 0, 0)}`,
    );
    const table = iceberg(dataDir, {
      columns: [
        { name: "id", type: "string" },
        { name: "qty", type: "int" },
        { name: "shop", type: "string" },
      ],
      uniqueKeys: ["id", "shop"],
    });
    assert.deepEqual(
      await queried(await openLakeQuery(undefined, [table]), "SELECT * FROM orders ORDER BY id, shop"),
      [
        ["a", 5, "s1"],
        ["a", 7, "s2"],
        ["c", 9, "s1"],
      ],
    );
  });

  it("tables of one database, and of several, sit beside the lake table", async () => {
    const lakeRoot = path.join(tempDir("lake-query-mixed"), "data");
    writeLines(path.join(lakeRoot, "country=DE/year=2026/o1"), [{ id: "l", amount: 1 }]);
    const dataDir = path.join(tempDir("lake-query-mixed-iceberg"), "data");
    await writeParquet(path.join(dataDir, "a.parquet"), "SELECT 'i' AS id, 3 AS qty");
    const query = await openLakeQuery(lakeTable(lakeRoot), [
      iceberg(dataDir),
      iceberg(dataDir, { name: "copy" }),
      iceberg(dataDir, { database: "db", name: "more" }),
    ]);
    assert.deepEqual(
      await queried(
        query,
        "SELECT (SELECT id FROM db.events), (SELECT id FROM lake.orders), (SELECT id FROM lake.copy), (SELECT id FROM db.more)",
      ),
      [["l", "i", "i", "i"]],
    );
  });
});
