// Glue/Hive column types and Iceberg's primitive types, both ways. Free of imports: the schema provider
// (components/table-schema.ts) is serialized with what it references.

/** Glue/Hive column types and the Iceberg primitive each becomes (Iceberg has no 8- or 16-bit integers). */
const ICEBERG_TYPES: Readonly<Record<string, string>> = {
  string: "string",
  int: "int",
  smallint: "int",
  tinyint: "int",
  bigint: "long",
  double: "double",
  float: "float",
  boolean: "boolean",
  date: "date",
  timestamp: "timestamp",
  binary: "binary",
};

/** The Iceberg type of a table column's Glue type; undefined for complex types, which need a nested schema. */
export function icebergTypeOf(glueType: string): string | undefined {
  const decimal = /^decimal\((\d+),\s*(\d+)\)$/.exec(glueType);
  return decimal ? `decimal(${decimal[1]},${decimal[2]})` : ICEBERG_TYPES[glueType];
}

/** The Glue type a table column of Iceberg type `icebergType` is declared with (the first that maps to it). */
export function glueTypeOfIceberg(icebergType: string): string {
  if (/^decimal\(\d+,\s*\d+\)$/.test(icebergType)) return icebergType;
  const found = Object.entries(ICEBERG_TYPES).find(([, iceberg]) => iceberg === icebergType);
  if (!found) throw new Error(`Iceberg type ${JSON.stringify(icebergType)} has no Glue type here`);
  return found[0];
}
