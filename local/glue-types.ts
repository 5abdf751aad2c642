// The Glue (Hive) column types of the stack's table, read as DuckDB types (for Parquet output and for the query
// views) and applied to one JSON value the way Firehose's OpenX JSON deserializer reads it before conversion.
import { GlueScalar, GlueType } from "../config/glue-type";
import { openXTimestamp } from "./openx-timestamp";

const DUCKDB_SCALARS: Readonly<Record<GlueScalar, string>> = {
  string: "VARCHAR",
  int: "INTEGER",
  bigint: "BIGINT",
  smallint: "SMALLINT",
  tinyint: "TINYINT",
  double: "DOUBLE",
  float: "FLOAT",
  boolean: "BOOLEAN",
  date: "DATE",
  timestamp: "TIMESTAMP",
  binary: "BLOB",
};

const DATE = /^\d{4}-\d{1,2}-\d{1,2}$/;

const INTEGER_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  tinyint: [-128n, 127n],
  smallint: [-32768n, 32767n],
  int: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};

export function duckdbTypeOf(type: GlueType): string {
  switch (type.kind) {
    case "scalar":
      return DUCKDB_SCALARS[type.name];
    case "decimal":
      return `DECIMAL(${type.precision},${type.scale})`;
    case "array":
      return `${duckdbTypeOf(type.element)}[]`;
    case "map":
      return `MAP(${duckdbTypeOf(type.key)}, ${duckdbTypeOf(type.value)})`;
    case "struct":
      return `STRUCT(${type.fields.map((f) => `"${f.name}" ${duckdbTypeOf(f.type)}`).join(", ")})`;
  }
}

/**
 * The value a column of `type` holds for the JSON value `value`, or an Error saying why it cannot hold it.
 * Scalars follow the OpenX JSON SerDe: numbers and booleans may come as strings, a string column takes any
 * scalar's text. Complex values pass through for DuckDB to check.
 */
export function columnValue(type: GlueType, value: unknown, column: string): unknown {
  if (value === null || value === undefined) return null;
  const fail = (what: string) =>
    new Error(`column '${column}' (${describe(type)}) cannot hold ${JSON.stringify(value)}: ${what}`);
  if (type.kind === "decimal") return numeric(value) ?? fail("not a number");
  if (type.kind !== "scalar") return typeof value === "object" ? value : fail("not an array, map or struct");
  switch (type.name) {
    case "string":
      return typeof value === "object" ? JSON.stringify(value) : String(value);
    case "double":
    case "float":
      return numeric(value) ?? fail("not a number");
    case "tinyint":
    case "smallint":
    case "int":
    case "bigint": {
      // Stryker disable next-line StringLiteral: any text that is not digits fails as "not an integer" alike
      const text = typeof value === "number" || typeof value === "string" ? String(value).trim() : "";
      if (!/^-?\d+$/.test(text)) return fail("not an integer");
      const [min, max] = INTEGER_RANGES[type.name];
      const n = BigInt(text);
      return n < min || n > max ? fail("out of range") : Number(n);
    }
    case "boolean":
      if (typeof value === "boolean") return value;
      if (value === "true" || value === "false") return value === "true";
      return fail("not a boolean");
    case "timestamp": {
      const timestamp =
        typeof value === "number" || typeof value === "string" ? openXTimestamp(value) : undefined;
      if (timestamp === undefined) return fail("not a timestamp");
      return timestamp instanceof Error ? fail(timestamp.message) : timestamp;
    }
    case "date":
      // Hive's Date.valueOf: yyyy-[M]M-[d]d.
      return typeof value === "string" && DATE.test(value.trim()) && !Number.isNaN(Date.parse(value))
        ? value.trim()
        : fail("not a date (yyyy-MM-dd)");
    default:
      return typeof value === "string" ? value : fail("not a string");
  }
}

function numeric(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

function describe(type: GlueType): string {
  return duckdbTypeOf(type).toLowerCase();
}
