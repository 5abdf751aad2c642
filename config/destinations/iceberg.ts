// Apache Iceberg tables in the lake bucket, registered in the stack's Glue database: Firehose writes Parquet data
// files and commits them (inserts, or updates and deletes keyed by `uniqueKeys`), and Glue's table optimizers
// compact the files, expire old snapshots and delete orphan files. Column changes: components/table-schema.ts.
import { z } from "zod";
import { DESTINATION_BUFFER_LIMITS } from "../../policy/rules/firehose-limits";
import { bufferSchema, glueName, issueReporter, retrySeconds } from "./common";
import { icebergTypeOf } from "../iceberg-types";
import { defineDestination } from "./spec";

/** Where Iceberg tables live in the lake bucket: `iceberg/<table>/` (data/ and metadata/ below it). */
export const ICEBERG_ROOT = "iceberg/";

export function icebergTableRoot(table: string): string {
  return `${ICEBERG_ROOT}${table}/`;
}

const enabled = z.boolean().default(true);

const optimizers = z
  .strictObject({
    /** Rewrites small data files (and applies delete files) into larger ones. */
    compaction: z.strictObject({ enabled }).prefault({}),
    /** Expires snapshots older than `retentionDays`, keeping at least `snapshotsToRetain`, and their files. */
    snapshotRetention: z
      .strictObject({
        enabled,
        retentionDays: z.number().int().min(1).max(3650).default(5),
        snapshotsToRetain: z.number().int().min(1).max(1000).default(1),
      })
      .prefault({}),
    /** Deletes files no snapshot references (failed writes) once older than `retentionDays`. */
    orphanFileDeletion: z
      .strictObject({ enabled, retentionDays: z.number().int().min(1).max(3650).default(3) })
      .prefault({}),
  })
  .prefault({});

const table = z.strictObject({
  /** Glue table name, in the stack's database (`table.database`); its columns are the stack's table columns. */
  name: glueName,
  /** Columns that identify a row: with mode `upsert`, a record replaces the row with the same key. */
  uniqueKeys: z.array(glueName).min(1).optional(),
});

const schema = z
  .strictObject({
    type: z.literal("iceberg"),
    tables: z.array(table).min(1).max(100),
    /** Top-level record field whose value names the record's table; required with several tables. */
    routeBy: glueName.optional(),
    /** `append` inserts every record (Firehose's AppendOnly); `upsert` updates rows by their tables' uniqueKeys. */
    mode: z.enum(["append", "upsert"]).default("append"),
    /** With `upsert`: a top-level record field holding `insert`, `update` or `delete`; without it every record is an update. */
    operationField: glueName.optional(),
    buffer: bufferSchema(DESTINATION_BUFFER_LIMITS.iceberg),
    retrySeconds: retrySeconds(300),
    /** Back up `FailedDataOnly` (default) or `AllData` to the lake. */
    backupMode: z.enum(["FailedDataOnly", "AllData"]).default("FailedDataOnly"),
    optimizers,
  })
  .superRefine((dest, ctx) => {
    const issue = issueReporter(ctx);
    const names = dest.tables.map((t) => t.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) issue(["tables", i, "name"], `duplicate table '${name}'`);
    });
    if (dest.tables.length > 1 && !dest.routeBy) {
      issue(
        ["routeBy"],
        `${dest.tables.length} tables need routeBy: the record field that names each record's table`,
      );
    }
    if (dest.tables.length === 1 && dest.routeBy) {
      issue(
        ["routeBy"],
        `routeBy chooses between several tables, and there is one ('${names[0]}'): remove it`,
      );
    }
    dest.tables.forEach((t, i) => {
      if (dest.mode === "append" && t.uniqueKeys) {
        issue(
          ["tables", i, "uniqueKeys"],
          "uniqueKeys take effect only with mode 'upsert' (an append-only stream inserts every record): set mode: upsert or remove them",
        );
      }
      if (dest.mode === "upsert" && !t.uniqueKeys) {
        issue(
          ["tables", i, "uniqueKeys"],
          `mode 'upsert' needs uniqueKeys on every table, and '${t.name}' has none: list the columns that identify a row`,
        );
      }
      t.uniqueKeys?.forEach((key, j, keys) => {
        if (keys.indexOf(key) !== j) issue(["tables", i, "uniqueKeys", j], `'${key}' is listed twice`);
      });
    });
    if (dest.mode === "append" && dest.operationField) {
      issue(["operationField"], "only mode 'upsert' reads an operation: set mode: upsert or remove it");
    }
  });

export type IcebergDestinationSettings = z.output<typeof schema>;

/**
 * The jq query Firehose's MetadataExtraction processor runs to route each record (`otfMetadata`): the database,
 * the table (from `routeBy`, else the one table) and, in upsert mode, the operation (from `operationField`, else
 * `update`). None for one append-only table: the table configuration alone routes every record there.
 */
export function routingQuery(dest: IcebergDestinationSettings, database: string): string | undefined {
  if (!dest.routeBy && dest.mode === "append") return undefined;
  const table = dest.routeBy ? `.${dest.routeBy}` : JSON.stringify(dest.tables[0].name);
  const operation =
    dest.mode === "upsert"
      ? `,operation:${dest.operationField ? `.${dest.operationField}` : '"update"'}`
      : "";
  return `{destinationDatabaseName:${JSON.stringify(database)},destinationTableName:${table}${operation}}`;
}

export const icebergDestination = defineDestination({
  schema,
  checkStack(pipelines, stack, report) {
    const columns = new Set(stack.table.columns.map((c) => c.name));
    if (pipelines.length > 0) {
      stack.table.columns.forEach((c, j) => {
        if (icebergTypeOf(c.type) === undefined) {
          report(
            ["table", "columns", j, "type"],
            `'${c.type}' has no Iceberg mapping here (complex types need a nested schema): an iceberg pipeline needs primitive column types`,
          );
        }
      });
    }
    const lakeTable = stack.pipelines.some((p) => p.destination.type === "s3") ? stack.table.name : undefined;
    // Which pipeline first routes to each table: a repeat within one pipeline is the schema's "duplicate table".
    const owner = new Map<string, number>();
    for (const { index, destination } of pipelines) {
      destination.tables.forEach((t, i) => {
        const at = ["pipelines", index, "destination", "tables", i];
        const first = owner.get(t.name);
        if (t.name === lakeTable || (first !== undefined && first !== index)) {
          report(
            [...at, "name"],
            `table '${t.name}' is already the lake's or another pipeline's: choose another name`,
          );
        }
        if (first === undefined) owner.set(t.name, index);
        (t.uniqueKeys ?? []).forEach((key, j) => {
          if (!columns.has(key)) {
            report(
              [...at, "uniqueKeys", j],
              `'${key}' is not a column of the table (${[...columns].join(", ")})`,
            );
          }
        });
      });
    }
  },
  recordFields: (dest) => [dest.routeBy, dest.operationField].filter((f): f is string => f !== undefined),
});
