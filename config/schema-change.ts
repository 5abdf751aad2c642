// What changes between two versions of a table's columns, and which changes are breaking: one rule for the
// deploy-time guard (components/table-schema.ts, against the previous stack state) and the pull-request check
// (`npm run check -- --base-ref`, against the stack file on the base branch).
//
// Adding a column is safe everywhere: old rows and old files read it as null. Removing, retyping or renaming one
// (a rename is a removal and an addition) is breaking: Parquet and JSON files already in the lake hold the old
// column, Iceberg would need a column drop or type promotion, and Redshift an ALTER that rewrites or loses data.

export interface Column {
  readonly name: string;
  readonly type: string;
}

export interface SchemaChange {
  readonly added: readonly Column[];
  readonly removed: readonly Column[];
  readonly retyped: readonly { readonly name: string; readonly from: string; readonly to: string }[];
}

/** Columns are matched by name, case-insensitively, as Glue, Iceberg in Glue and Redshift match them. */
export function schemaChange(before: readonly Column[], after: readonly Column[]): SchemaChange {
  const key = (c: Column) => c.name.toLowerCase();
  const old = new Map(before.map((c) => [key(c), c]));
  const next = new Map(after.map((c) => [key(c), c]));
  return {
    added: after.filter((c) => !old.has(key(c))),
    removed: before.filter((c) => !next.has(key(c))),
    retyped: after.flatMap((c) => {
      const was = old.get(key(c));
      return was && was.type.toLowerCase() !== c.type.toLowerCase()
        ? [{ name: c.name, from: was.type, to: c.type }]
        : [];
    }),
  };
}

/** One line per breaking change of `change` to the table `table`, each naming the column; [] when there is none. */
export function breakingChanges(table: string, change: SchemaChange): string[] {
  return [
    ...change.removed.map((c) => `${table}: column '${c.name}' (${c.type}) is removed`),
    ...change.retyped.map((c) => `${table}: column '${c.name}' changes type from ${c.from} to ${c.to}`),
  ];
}

/** How to go ahead anyway: the stack key that allows it. */
export const ALLOW_BREAKING_HINT =
  "a breaking schema change: data already written keeps the old schema. Add columns instead, or set " +
  "table.allowBreakingSchemaChange: true for this deploy if the data is migrated or expendable";
