// Athena over the local lake: DuckDB with a view named like the Glue table (`<database>.<table>`, and `<table>`
// alone) over the table's location, reading the Hive-style partition columns from the object keys with the
// types Athena's partition projection gives them, and only the partitions that projection lets Athena see.
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { existsSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { duckdbTypeOf, parseGlueType } from "./glue-types";
import { LocalTable } from "./local-stack";
import { integerRange } from "./partition-projection";
import { sqlString } from "./parquet-object";

export interface QueryResult {
  readonly columns: string[];
  readonly rows: unknown[][];
}

export interface LakeQuery {
  run(sql: string): Promise<QueryResult>;
  close(): void;
}

export async function openLakeQuery(table: LocalTable): Promise<LakeQuery> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run(`CREATE SCHEMA ${ident(table.database)}`);
  await connection.run(`CREATE VIEW ${ident(table.database)}.${ident(table.name)} AS ${tableSelect(table)}`);
  await connection.run(
    `CREATE VIEW ${ident(table.name)} AS SELECT * FROM ${ident(table.database)}.${ident(table.name)}`,
  );
  return {
    run: (sql) => run(connection, sql),
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

async function run(connection: DuckDBConnection, sql: string): Promise<QueryResult> {
  const reader = await connection.runAndReadAll(sql);
  return { columns: reader.columnNames(), rows: reader.getRowsJS() };
}

function tableSelect(table: LocalTable): string {
  const dataColumns = table.columns.map((c) => ({ name: c.name, type: duckdbTypeOf(parseGlueType(c.type)) }));
  const partitionColumns = table.partitionColumns.map((p) => ({
    name: p.name,
    type: p.projection.type === "integer" ? "INTEGER" : "VARCHAR",
  }));
  const all = [...dataColumns, ...partitionColumns];
  if (!hasFiles(table.root)) {
    // No object yet: an empty table with the same columns (DuckDB's readers refuse an empty glob).
    return `SELECT ${all.map((c) => `NULL::${c.type} AS ${ident(c.name)}`).join(", ")} WHERE false`;
  }
  const typesOf = (columns: typeof all) =>
    columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(", ");
  const hive = `hive_partitioning = true${partitionColumns.length > 0 ? `, hive_types = {${typesOf(partitionColumns)}}` : ""}`;
  const select = all.map((c) => ident(c.name)).join(", ");
  const glob = sqlString(path.join(table.root, "**"));
  const where = projectionFilter(table);
  if (table.format === "parquet")
    return `SELECT ${select} FROM read_parquet(${glob}, ${hive}, union_by_name = true)${where}`;
  return `SELECT ${select} FROM read_json(${glob}, format = 'newline_delimited', columns = {${typesOf(dataColumns)}}, ${hive})${where}`;
}

/** The partitions Athena's projection reads (partition-projection.ts says the same in TypeScript). */
function projectionFilter(table: LocalTable): string {
  const conditions = table.partitionColumns.flatMap(({ name, projection }) => {
    if (projection.type === "enum")
      return [`${ident(name)} IN (${projection.values.map(sqlString).join(", ")})`];
    if (projection.type === "integer") {
      const [min, max] = integerRange(projection.range);
      return [`${ident(name)} BETWEEN ${min} AND ${max}`];
    }
    return [];
  });
  return conditions.length > 0 ? ` WHERE ${conditions.join(" AND ")}` : "";
}

function hasFiles(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { withFileTypes: true }).some(
    (entry) => entry.isFile() || (entry.isDirectory() && hasFiles(path.join(dir, entry.name))),
  );
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
