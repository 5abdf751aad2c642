// Firehose's record format conversion: JSON records to one Parquet object with the Glue table's columns,
// written by DuckDB. Records the deserializer cannot read into the columns are returned as conversion
// failures (they go to `format-conversion-failed`); the rest become the object.
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { promises as fs } from "node:fs";
import { GlueType, parseGlueType } from "../config/glue-type";
import { columnValue, duckdbTypeOf } from "./glue-types";

export interface ParquetColumn {
  readonly name: string;
  readonly type: GlueType;
}

export type ParquetCompression = "SNAPPY" | "GZIP" | "UNCOMPRESSED";

let connection: Promise<DuckDBConnection> | undefined;
/** The last conversion queued: a DuckDB connection runs one statement at a time. */
let queue: Promise<unknown> = Promise.resolve();

/** One in-memory DuckDB for the process. */
function duckdb(): Promise<DuckDBConnection> {
  connection ??= DuckDBInstance.create(":memory:").then((db) => db.connect());
  return connection;
}

export function parquetColumnsOf(columns: readonly { name: string; type: string }[]): ParquetColumn[] {
  return columns.map((c) => ({ name: c.name, type: parseGlueType(c.type) }));
}

/** Reads one record (JSON text) into the columns, or says why it cannot be. OpenX matches keys case-insensitively. */
export function rowOf(record: Buffer, columns: readonly ParquetColumn[]): Record<string, unknown> | Error {
  let value: unknown;
  try {
    value = JSON.parse(record.toString("utf8"));
  } catch (err) {
    return new Error(`record is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return new Error(`record must be a JSON object, got ${JSON.stringify(value).slice(0, 100)}`);
  }
  const byLowerKey = new Map(Object.entries(value).map(([k, v]) => [k.toLowerCase(), v]));
  const row: Record<string, unknown> = {};
  for (const column of columns) {
    let converted: unknown;
    try {
      converted = columnValue(column.type, byLowerKey.get(column.name), column.name);
    } catch (err) {
      // A value the reader cannot represent at all (a timestamp of 1e20 ms): this record fails, not its object.
      converted = new Error(`column '${column.name}' cannot hold its value: ${(err as Error).message}`);
    }
    if (converted instanceof Error) return converted;
    row[column.name] = converted;
  }
  return row;
}

/**
 * Writes `rows` to a Parquet file at `outfile` through a JSON Lines file at `scratch` (removed afterwards).
 * Returns DuckDB's error when a value does not fit its column; throws when a file cannot be written.
 */
export async function writeParquet(
  rows: readonly Record<string, unknown>[],
  columns: readonly ParquetColumn[],
  compression: ParquetCompression,
  outfile: string,
  scratch: string,
): Promise<Error | undefined> {
  const columnSpec = columns.map((c) => `'${c.name}': '${duckdbTypeOf(c.type)}'`).join(", ");
  const codec = compression === "UNCOMPRESSED" ? "uncompressed" : compression.toLowerCase();
  const sql =
    `COPY (SELECT ${columns.map((c) => `"${c.name}"`).join(", ")} FROM read_json(${sqlString(scratch)}, ` +
    `format = 'newline_delimited', columns = {${columnSpec}})) ` +
    `TO ${sqlString(outfile)} (FORMAT parquet, COMPRESSION ${codec})`;
  try {
    await fs.writeFile(scratch, rows.map((r) => JSON.stringify(r)).join("\n"));
    const run = queue.then(async () => (await duckdb()).run(sql));
    queue = run.catch(() => undefined);
    await run;
    return undefined;
  } catch (err) {
    // DuckDB reports a value that does not fit and a file it cannot write alike; only the latter is an "IO Error".
    if (err instanceof Error && !("code" in err) && !err.message.startsWith("IO Error")) return err;
    throw err;
  } finally {
    await fs.rm(scratch, { force: true });
  }
}

export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
