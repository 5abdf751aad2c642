// The Glue (Hive) column types of the stack's table, read as DuckDB types (for Parquet output and for the query
// views) and applied to one JSON value the way Firehose's OpenX JSON deserializer reads it before conversion.
import { openXTimestamp } from "./openx-timestamp";

export type GlueType =
  | { readonly kind: "scalar"; readonly name: string }
  | { readonly kind: "decimal"; readonly precision: number; readonly scale: number }
  | { readonly kind: "array"; readonly element: GlueType }
  | { readonly kind: "map"; readonly key: GlueType; readonly value: GlueType }
  | { readonly kind: "struct"; readonly fields: readonly { name: string; type: GlueType }[] };

const DUCKDB_SCALARS: Readonly<Record<string, string>> = {
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

export function parseGlueType(text: string): GlueType {
  const [type, rest] = parseAt(text.trim().toLowerCase(), 0);
  if (rest !== text.trim().length)
    throw new Error(`Glue type ${JSON.stringify(text)}: unexpected text at ${rest}`);
  return type;
}

function parseAt(text: string, at: number): [GlueType, number] {
  const word = /^[a-z]+/.exec(text.slice(at))?.[0] ?? "";
  let i = at + word.length;
  const expect = (ch: string) => {
    while (text[i] === " ") i++;
    if (text[i] !== ch) throw new Error(`Glue type ${JSON.stringify(text)}: expected '${ch}' at ${i}`);
    i++;
    while (text[i] === " ") i++;
  };
  switch (word) {
    case "decimal": {
      const match = /^\((\d+),\s*(\d+)\)/.exec(text.slice(i));
      if (!match) throw new Error(`Glue type ${JSON.stringify(text)}: decimal needs (precision,scale)`);
      return [{ kind: "decimal", precision: Number(match[1]), scale: Number(match[2]) }, i + match[0].length];
    }
    case "array": {
      expect("<");
      const [element, next] = parseAt(text, i);
      i = next;
      expect(">");
      return [{ kind: "array", element }, i];
    }
    case "map": {
      expect("<");
      const [key, afterKey] = parseAt(text, i);
      i = afterKey;
      expect(",");
      const [value, afterValue] = parseAt(text, i);
      i = afterValue;
      expect(">");
      return [{ kind: "map", key, value }, i];
    }
    case "struct": {
      expect("<");
      const fields: { name: string; type: GlueType }[] = [];
      while (text[i] !== ">") {
        const name = /^[a-z_][a-z0-9_]*/.exec(text.slice(i))?.[0];
        if (!name) throw new Error(`Glue type ${JSON.stringify(text)}: expected a field name at ${i}`);
        i += name.length;
        expect(":");
        const [type, next] = parseAt(text, i);
        fields.push({ name, type });
        i = next;
        if (text[i] === ",") expect(",");
      }
      expect(">");
      return [{ kind: "struct", fields }, i];
    }
    default:
      if (!(word in DUCKDB_SCALARS))
        throw new Error(`Glue type ${JSON.stringify(text)}: unknown type '${word}'`);
      return [{ kind: "scalar", name: word }, i];
  }
}

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
