// Athena over the local lake: DuckDB with a view named like the Glue table (`<database>.<table>`, and `<table>`
// alone) over the table's location, reading the Hive-style partition columns from the object keys with the
// types Athena's partition projection gives them, and only the partitions that projection lets Athena see; and a
// view per Iceberg table over its data files, showing for an upserting table the last write per unique key.
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { existsSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { parseGlueType } from "../config/glue-type";
import { duckdbTypeOf } from "./glue-types";
import { parsePrefix } from "../policy/rules/prefix-expressions";
import { hashedSegments } from "./lake-store";
import { ICEBERG_SEQUENCE_COLUMN } from "./delivery-stream";
import { LocalIcebergTable, LocalTable } from "./local-stack";
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

/** A query over the lake table (when the stack has one) and the Iceberg tables its streams write. */
export async function openLakeQuery(
  table: LocalTable | undefined,
  icebergTables: readonly LocalIcebergTable[] = [],
): Promise<LakeQuery> {
  // Stryker disable next-line StringLiteral: DuckDB opens "" in memory too
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const views = [
    ...(table ? [{ table, dir: table.root, select: () => tableSelect(table) }] : []),
    ...icebergTables.map((t) => ({ table: t, dir: t.dataDir, select: () => icebergSelect(t) })),
  ];
  for (const database of new Set(views.map((v) => v.table.database))) {
    await connection.run(`CREATE SCHEMA ${ident(database)}`);
  }
  for (const view of views) {
    const { database, name } = view.table;
    try {
      await connection.run(`CREATE VIEW ${ident(database)}.${ident(name)} AS ${view.select()}`);
    } catch (err) {
      connection.closeSync();
      instance.closeSync();
      throw unreadableLake(view.table, view.dir, err);
    }
    await connection.run(`CREATE VIEW ${ident(name)} AS SELECT * FROM ${ident(database)}.${ident(name)}`);
  }
  return {
    run: (sql) =>
      run(connection, sql).catch((err: unknown) => {
        // An error about an object (not about the SQL) means the lake holds something the table cannot read.
        const view = views.find((v) => String(err).includes(v.dir));
        throw view ? unreadableLake(view.table, view.dir, err) : err;
      }),
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

function unreadableLake(table: { database: string; name: string }, dir: string, err: unknown): Error {
  return new Error(
    `The local lake cannot be read as the table ${table.database}.${table.name}: ${String(err).split("\n")[0]}\n` +
      `Objects an earlier layout or format of the stack wrote under ${dir} are the usual cause. ` +
      `Start from an empty bucket: npm run serve -- --clean, or npm start (which empties it unless --keep-lake).`,
  );
}

async function run(connection: DuckDBConnection, sql: string): Promise<QueryResult> {
  const reader = await connection.runAndReadAll(sql);
  return { columns: reader.columnNames(), rows: reader.getRowsJS() };
}

/**
 * An Iceberg table as a query engine reads it: every row of an append-only table; for an upserting one, per unique
 * key the row written last (ICEBERG_SEQUENCE_COLUMN orders writes), unless that write was a delete.
 */
function icebergSelect(table: LocalIcebergTable): string {
  const columns = table.columns.map((c) => ({ name: c.name, type: duckdbTypeOf(parseGlueType(c.type)) }));
  const select = columns.map((c) => ident(c.name)).join(", ");
  if (!hasFiles(table.dataDir)) {
    return `SELECT ${columns.map((c) => `NULL::${c.type} AS ${ident(c.name)}`).join(", ")} WHERE false`;
  }
  const glob = sqlString(path.join(table.dataDir, "**", "*.parquet"));
  const keys = table.uniqueKeys;
  const read = `read_parquet(${glob}, hive_partitioning = ${keys !== undefined}, union_by_name = true)`;
  if (keys === undefined) return `SELECT ${select} FROM ${read}`;
  return (
    `SELECT ${select} FROM (SELECT *, row_number() OVER (PARTITION BY ${keys.map(ident).join(", ")} ORDER BY ` +
    `${ident(ICEBERG_SEQUENCE_COLUMN)} DESC) AS _latest FROM ${read}) WHERE _latest = 1 AND op <> 'delete'`
  );
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
        ` WHEN ${sqlString(stored.slice(prefix.length))} THEN ${sqlString(original.slice(prefix.length))}`,
    );
  return whens.length === 0
    ? ident(name)
    : `CASE ${ident(name)}${whens.join("")} ELSE ${ident(name)} END AS ${ident(name)}`;
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
// Stryker disable next-line Regex: a `*` per character is one `*` once keyPattern joins runs of `*`
const SEGMENT = /[^/]+/g;

function keyPattern(table: LocalTable): string {
  const { parts, literalHead } = parsePrefix(table.prefix);
  // An expression becomes `*` per segment it spans (a timestamp pattern may hold `/`).
  const glob = parts
    .map((part) => (part.namespace === "text" ? part.text : part.value.replace(SEGMENT, "*")))
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
