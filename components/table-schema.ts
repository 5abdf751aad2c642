// A table's columns as a resource of their own (a Pulumi dynamic provider), so that `pulumi preview` compares them
// with the previous stack state: a breaking change (config/schema-change.ts) fails the preview naming the column,
// unless `table.allowBreakingSchemaChange` is set; an added column is applied where the table's own resource cannot
// apply it: `ALTER TABLE ... ADD COLUMN` through the Redshift Data API (the CREATE TABLE statement runs once), and
// an Iceberg schema update through Glue's UpdateTable (the Iceberg table's schema is a create-only input). The Glue
// lake table updates itself; its guard only refuses. The calls run in the Pulumi engine with the deployer's
// credentials, not a role of the stack.
import * as pulumi from "@pulumi/pulumi";
import { icebergTypeOf } from "../config/iceberg-types";
import { ALLOW_BREAKING_HINT, breakingChanges, Column, schemaChange } from "../config/schema-change";

export type SchemaTarget =
  | { readonly kind: "glue" }
  | {
      readonly kind: "iceberg";
      readonly region: string;
      readonly database: string;
      readonly table: string;
      readonly location: string;
    }
  | {
      readonly kind: "redshift";
      readonly region: string;
      readonly database: string;
      readonly table: string;
      readonly secretArn: string;
      readonly clusterIdentifier?: string;
      readonly workgroupName?: string;
    };

export interface SchemaState {
  /** For messages: `<database>.<table>`. */
  readonly label: string;
  readonly columns: readonly Column[];
  readonly allowBreakingSchemaChange: boolean;
  readonly target: SchemaTarget;
  /** Iceberg only: each column's field id, which must never change (a new column takes the next one). */
  readonly fieldIds?: Readonly<Record<string, number>>;
}

/** The calls an update makes, one function per statement, so that tests can watch them. */
export interface SchemaClients {
  /** Runs one SQL statement through the Redshift Data API and waits for it to finish. */
  redshiftStatement(target: Extract<SchemaTarget, { kind: "redshift" }>, sql: string): Promise<void>;
  /** Replaces the Iceberg table's current schema through Glue's UpdateTable. */
  icebergSchema(target: Extract<SchemaTarget, { kind: "iceberg" }>, fields: IcebergField[]): Promise<void>;
}

export interface IcebergField {
  readonly Id: number;
  readonly Name: string;
  readonly Type: string;
  readonly Required: boolean;
}

/** The breaking changes from `olds` to `news` that the guard refuses (none on creation or when allowed). */
export function refusedChanges(olds: Partial<SchemaState>, news: SchemaState): string[] {
  if (!olds.columns || news.allowBreakingSchemaChange) return [];
  return breakingChanges(news.label, schemaChange(olds.columns, news.columns));
}

/** Field ids for a table created with `columns`: 1, 2, ... in order, as the table's create-time schema numbers them. */
export function initialFieldIds(columns: readonly Column[]): Record<string, number> {
  return Object.fromEntries(columns.map((c, i) => [c.name, i + 1]));
}

/**
 * Applies the change from `olds` to `news` to the table and returns the new state. Each added column is one
 * `ALTER TABLE ... ADD COLUMN`; a statement that finds its column already there (a retry after a partial failure)
 * counts as done. Where breaking changes are allowed, a removed Redshift column is dropped, a retyped one refused
 * (Redshift retypes only VARCHAR lengths), and Iceberg gets the new schema as it is.
 */
export async function applySchemaChange(
  olds: SchemaState,
  news: SchemaState,
  clients: SchemaClients,
): Promise<SchemaState> {
  const change = schemaChange(olds.columns, news.columns);
  const { target } = news;
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  if (target.kind === "redshift") {
    const retyped = change.retyped[0];
    if (retyped) {
      throw new Error(
        `${news.label}: Redshift cannot change column '${retyped.name}' from ${retyped.from} to ${retyped.to}; ` +
          "remove it in one deploy and add it under a new name in another",
      );
    }
    const table = quote(target.table);
    for (const c of change.added) {
      await idempotent(
        clients.redshiftStatement(target, `ALTER TABLE ${table} ADD COLUMN ${quote(c.name)} ${c.type}`),
      );
    }
    for (const c of change.removed) {
      await clients.redshiftStatement(target, `ALTER TABLE ${table} DROP COLUMN ${quote(c.name)}`);
    }
    return news;
  }
  if (target.kind === "iceberg") {
    const known = olds.fieldIds ?? initialFieldIds(olds.columns);
    let next = Math.max(0, ...Object.values(known));
    const fieldIds = Object.fromEntries(news.columns.map((c) => [c.name, known[c.name] ?? ++next]));
    if (change.added.length + change.removed.length + change.retyped.length > 0) {
      await clients.icebergSchema(
        target,
        news.columns.map((c) => ({
          Id: fieldIds[c.name],
          Name: c.name,
          Type: icebergTypeOf(c.type) ?? c.type,
          Required: false,
        })),
      );
    }
    return { ...news, fieldIds };
  }
  return news;
}

async function idempotent(statement: Promise<void>): Promise<void> {
  try {
    await statement;
  } catch (err) {
    if (!/already exists/i.test(String(err))) throw err;
  }
}

/** Redshift Data's ExecuteStatement input for one statement on the target's warehouse. */
export function executeStatementInput(target: Extract<SchemaTarget, { kind: "redshift" }>, sql: string) {
  return {
    Database: target.database,
    SecretArn: target.secretArn,
    ...(target.clusterIdentifier ? { ClusterIdentifier: target.clusterIdentifier } : {}),
    ...(target.workgroupName ? { WorkgroupName: target.workgroupName } : {}),
    Sql: sql,
  };
}

/**
 * Glue's UpdateTable input that makes `fields` the Iceberg table's current schema. No `Action`: Glue adds the
 * schema and makes it current, as its schema-evolution example does.
 */
export function updateTableInput(target: Extract<SchemaTarget, { kind: "iceberg" }>, fields: IcebergField[]) {
  return {
    DatabaseName: target.database,
    Name: target.table,
    UpdateOpenTableFormatInput: {
      UpdateIcebergInput: {
        UpdateIcebergTableInput: {
          Updates: [{ Schema: { Type: "struct" as const, Fields: fields }, Location: target.location }],
        },
      },
    },
  };
}

/** The AWS SDK calls, made with the deployer's credentials in the region of the table. */
export function awsSchemaClients(): SchemaClients {
  return {
    async redshiftStatement(target, sql) {
      const data = await import("@aws-sdk/client-redshift-data");
      const client = new data.RedshiftDataClient({ region: target.region });
      try {
        const { Id } = await client.send(
          new data.ExecuteStatementCommand(executeStatementInput(target, sql)),
        );
        for (;;) {
          const described = await client.send(new data.DescribeStatementCommand({ Id }));
          if (described.Status === "FINISHED") return;
          if (described.Status === "FAILED" || described.Status === "ABORTED") {
            throw new Error(`${sql}: ${described.Status} ${described.Error ?? ""}`.trim());
          }
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      } finally {
        client.destroy();
      }
    },
    async icebergSchema(target, fields) {
      const glue = await import("@aws-sdk/client-glue");
      const client = new glue.GlueClient({ region: target.region });
      try {
        await client.send(new glue.UpdateTableCommand(updateTableInput(target, fields)));
      } finally {
        client.destroy();
      }
    },
  };
}

const same = (a: readonly Column[], b: readonly Column[]) => JSON.stringify(a) === JSON.stringify(b);

export const tableSchemaProvider: pulumi.dynamic.ResourceProvider = {
  async check(olds: Partial<SchemaState>, news: SchemaState) {
    const refused = refusedChanges(olds, news);
    return refused.length === 0
      ? { inputs: news }
      : {
          inputs: news,
          failures: refused.map((reason) => ({
            property: "columns",
            reason: `${reason}: ${ALLOW_BREAKING_HINT}`,
          })),
        };
  },
  async diff(_id: string, olds: SchemaState, news: SchemaState) {
    return {
      changes:
        !same(olds.columns, news.columns) ||
        olds.allowBreakingSchemaChange !== news.allowBreakingSchemaChange,
    };
  },
  async create(inputs: SchemaState) {
    const outs =
      inputs.target.kind === "iceberg" ? { ...inputs, fieldIds: initialFieldIds(inputs.columns) } : inputs;
    return { id: inputs.label, outs };
  },
  async update(_id: string, olds: SchemaState, news: SchemaState) {
    return { outs: await applySchemaChange(olds, news, awsSchemaClients()) };
  },
};

/** A value whose parts may each be outputs of other resources (an ARN, a bucket name). */
type Inputs<T> = T extends object ? { readonly [K in keyof T]: pulumi.Input<Inputs<T[K]>> } : T;

/** The columns of one table, guarded against breaking changes and evolved in place. */
export class TableSchema extends pulumi.dynamic.Resource {
  constructor(
    name: string,
    state: Inputs<Omit<SchemaState, "fieldIds">>,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(tableSchemaProvider, name, state as pulumi.Inputs, opts);
  }
}
