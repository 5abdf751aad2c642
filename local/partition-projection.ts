// What Athena's partition projection lets a query see. Athena computes partition locations from the Glue
// table's projection instead of listing S3: a partition whose value an `enum` projection does not list, or an
// `integer` one outside its range, is never read. The local query applies the same filter, and the local run
// warns when records land where Athena will not look.
import { PartitionColumn } from "../config/layout";

/** Whether Athena would read the partition where `column` has `value` (the text of the key segment). */
export function projected(column: PartitionColumn, value: string): boolean {
  const { projection } = column;
  switch (projection.type) {
    case "enum":
      return projection.values.includes(value);
    case "integer": {
      const [min, max] = integerRange(projection.range);
      return /^-?\d+$/.test(value) && Number(value) >= min && Number(value) <= max;
    }
    case "injected":
      return true;
  }
}

/** `projection.<column>.range` ("2020,2100") as numbers. */
export function integerRange(range: string): [number, number] {
  const [min, max] = range.split(",").map(Number);
  return [min, max];
}

/** What the projection allows, for a message: `one of AT, BE` or `2020 to 2100`. */
export function projectionText(column: PartitionColumn): string {
  const { projection } = column;
  if (projection.type === "enum") return `one of ${projection.values.join(", ")}`;
  if (projection.type === "integer") return integerRange(projection.range).join(" to ");
  return "any value";
}

/**
 * Watches the object keys a stream writes and says, once per column and value, when records land in a
 * partition the projection hides.
 */
export class UnprojectedPartitions {
  private readonly seen = new Set<string>();
  private readonly columns: ReadonlyMap<string, PartitionColumn>;

  constructor(columns: readonly PartitionColumn[]) {
    // An injected column is watched too: it projects every value, so it never warns.
    this.columns = new Map(columns.map((c) => [c.name, c]));
  }

  /** Warnings for the hidden partitions among `keys` not warned about before. */
  check(keys: Iterable<string>): string[] {
    const warnings: string[] = [];
    for (const key of keys) {
      for (const segment of key.split("/")) {
        const at = segment.indexOf("=");
        const column = at > 0 ? this.columns.get(segment.slice(0, at)) : undefined;
        const value = segment.slice(at + 1);
        if (!column || projected(column, value) || this.seen.has(segment)) continue;
        this.seen.add(segment);
        warnings.push(
          `warning: records landed in partition ${segment}, but the Glue table projects ${column.name} as ` +
            `${projectionText(column)}: Athena will not read them (nor does npm run query). ` +
            (column.projection.type === "enum"
              ? "List the value in the pipeline's partitioning.fields[].values, or map it to a listed one in the transform."
              : "Check the time the partition value comes from."),
        );
      }
    }
    return warnings;
  }
}
