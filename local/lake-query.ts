// Athena over the local lake: DuckDB with a view named like the Glue table (`<database>.<table>`, and `<table>`
// alone) over the table's location, reading the Hive-style partition columns from the object keys with the
// types Athena's partition projection gives them, and only the partitions that projection lets Athena see.
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { existsSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { duckdbTypeOf, parseGlueType } from "./glue-types";
import { parsePrefix } from "../policy/rules/prefix-expressions";
import { hashedSegments } from "./lake-store";
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
  try {
    await connection.run(
      `CREATE VIEW ${ident(table.database)}.${ident(table.name)} AS ${tableSelect(table)}`,
    );
  } catch (err) {
    connection.closeSync();
    instance.closeSync();
    throw unreadableLake(table, err);
  }
  await connection.run(
    `CREATE VIEW ${ident(table.name)} AS SELECT * FROM ${ident(table.database)}.${ident(table.name)}`,
  );
  return {
    run: (sql) =>
      run(connection, sql).catch((err: unknown) => {
        // An error about an object (not about the SQL) means the lake holds something the table cannot read.
        throw String(err).includes(table.root) ? unreadableLake(table, err) : err;
      }),
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

function unreadableLake(table: LocalTable, err: unknown): Error {
  return new Error(
    `The local lake cannot be read as the table ${table.database}.${table.name}: ${String(err).split("\n")[0]}\n` +
      `Objects an earlier layout or format of the stack wrote under ${table.root} are the usual cause. ` +
      `Start from an empty bucket: npm run serve -- --clean, or npm start (which empties it unless --keep-lake).`,
  );
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
  const glob = sqlString(path.join(table.root, keyPattern(table)));
  const read =
    table.format === "parquet"
      ? `read_parquet(${glob}, ${hive}, union_by_name = true)`
      : `read_json(${glob}, format = 'newline_delimited', columns = {${typesOf(dataColumns)}}, ${hive})`;
  const restored = all.map((c) => restoredColumn(c.name, table)).join(", ");
  return `SELECT ${select} FROM (SELECT ${restored} FROM ${read})${projectionFilter(table)}`;
}

/**
 * A column as Athena would read it: a partition value too long for a local file name is stored under a hashed
 * name (lake-store.ts) and read back here as the value it stands for.
 */
function restoredColumn(name: string, table: LocalTable): string {
  const prefix = `${name}=`;
  const whens = [...hashedSegments(table.lakeDir)]
    .filter(([, original]) => original.startsWith(prefix))
    .map(
      ([stored, original]) =>
        `WHEN ${sqlString(stored.slice(prefix.length))} THEN ${sqlString(original.slice(prefix.length))}`,
    );
  return whens.length === 0
    ? ident(name)
    : `CASE ${ident(name)} ${whens.join(" ")} ELSE ${ident(name)} END AS ${ident(name)}`;
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

/**
 * The object keys under the table's root that its prefix can produce (each expression a `*`), so objects an
 * earlier layout left there are not read, as Athena, which reads only the locations its projection computes,
 * would not read them.
 */
function keyPattern(table: LocalTable): string {
  const { parts, literalHead } = parsePrefix(table.prefix);
  // An expression becomes `*` per segment it spans (a timestamp pattern may hold `/`).
  const glob = parts
    .map((part) => (part.namespace === "text" ? part.text : part.value.replace(/[^/]+/g, "*")))
    .join("")
    .slice(literalHead.lastIndexOf("/") + 1);
  return `${glob}*${table.format === "parquet" ? ".parquet" : ""}`.replace(/\*+/g, "*");
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
