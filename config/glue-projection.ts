// Athena partition projection as Glue table parameters (`projection.<column>.type`, `.range`, `.digits`,
// `.values`): written by the data lake's table, read back by the local run from the table the program declares.
import { PartitionColumn, Projection } from "./layout";

export function projectionParameters(columns: readonly PartitionColumn[]): Record<string, string> {
  const parameters: Record<string, string> = { "projection.enabled": "true" };
  for (const { name, projection: p } of columns) {
    parameters[`projection.${name}.type`] = p.type;
    if (p.type === "integer") {
      parameters[`projection.${name}.range`] = p.range;
      if (p.digits) parameters[`projection.${name}.digits`] = String(p.digits);
    }
    if (p.type === "enum") parameters[`projection.${name}.values`] = p.values.join(",");
  }
  return parameters;
}

/** The table's partition columns with their projection, in the table's order. */
export function partitionColumnsOf(
  partitionKeys: readonly { name: string }[],
  parameters: Readonly<Record<string, string>>,
): PartitionColumn[] {
  return partitionKeys.map(({ name }) => {
    const at = (field: string) => parameters[`projection.${name}.${field}`];
    const type = at("type");
    let projection: Projection;
    if (type === "integer") {
      const digits = at("digits");
      projection = { type, range: at("range"), ...(digits ? { digits: Number(digits) } : {}) };
    } else if (type === "enum") {
      projection = { type, values: at("values").split(",") };
    } else if (type === "injected") {
      projection = { type };
    } else {
      throw new Error(
        `partition column '${name}': projection type ${JSON.stringify(type)} is not one the lake writes`,
      );
    }
    return { name, projection };
  });
}
