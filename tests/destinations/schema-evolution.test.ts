// Schema evolution per destination: adding a column is planned as the destination needs it (nothing for the Glue
// lake table, which updates itself; an Iceberg schema update keeping every field id; one ALTER TABLE per column in
// Redshift), and removing or retyping one is refused naming the column unless allowBreakingSchemaChange is set.
import { strict as assert } from "assert";
import * as os from "node:os";
import * as path from "node:path";
import { breakingChanges, schemaChange } from "../../config/schema-change";
import {
  applySchemaChange,
  IcebergField,
  SchemaClients,
  SchemaState,
  SchemaTarget,
  tableSchemaProvider,
  executeStatementInput,
  updateTableInput,
} from "../../components/table-schema";
import { evaluateStack } from "../../offline/evaluate-stack";
import { ModelRegistry, findBotocoreData } from "../../rehearse/botocore";
import { checkInput } from "../../rehearse/request-check";
import { ofType, settingsOf } from "../support/stacks";

const DYNAMIC = "pulumi-nodejs:dynamic:Resource";
const COLUMNS = [
  { name: "event_id", type: "string" },
  { name: "amount", type: "double" },
];
type IcebergTarget = Extract<SchemaTarget, { kind: "iceberg" }>;
type RedshiftTarget = Extract<SchemaTarget, { kind: "redshift" }>;
const REDSHIFT: SchemaTarget = {
  kind: "redshift",
  region: "eu-west-1",
  database: "analytics",
  table: "events",
  secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:warehouse",
  workgroupName: "firehose-etl-prod",
};
const ICEBERG: SchemaTarget = {
  kind: "iceberg",
  region: "eu-west-1",
  database: "firehose_etl_iceberg",
  table: "events",
  location: "s3://lake/iceberg/events/",
};

const state = (target: SchemaTarget, columns = COLUMNS, allow = false): SchemaState => ({
  label: "db.events",
  columns,
  allowBreakingSchemaChange: allow,
  target,
});

/** Records the calls an update makes; `fail` makes a statement fail with that message. */
function recorder(fail?: (sql: string) => string | undefined) {
  const statements: string[] = [];
  const schemas: IcebergField[][] = [];
  const clients: SchemaClients = {
    redshiftStatement: async (_target, sql) => {
      statements.push(sql);
      const error = fail?.(sql);
      if (error) throw new Error(error);
    },
    icebergSchema: async (_target, fields) => {
      schemas.push(fields);
    },
  };
  return { statements, schemas, clients };
}

describe("schema evolution", () => {
  it("tells added, removed and retyped columns apart, matching names case-insensitively", () => {
    const change = schemaChange(COLUMNS, [
      { name: "EVENT_ID", type: "STRING" },
      { name: "amount", type: "decimal(10,2)" },
      { name: "tier", type: "string" },
    ]);
    assert.deepEqual(change, {
      added: [{ name: "tier", type: "string" }],
      removed: [],
      retyped: [{ name: "amount", from: "double", to: "decimal(10,2)" }],
    });
    assert.deepEqual(breakingChanges("db.events", schemaChange(COLUMNS, [COLUMNS[1]])), [
      "db.events: column 'event_id' (string) is removed",
    ]);
  });

  for (const target of [{ kind: "glue" } as const, ICEBERG, REDSHIFT]) {
    it(`${target.kind}: the preview accepts an added column and refuses a removed or retyped one, naming it`, async () => {
      const check = (olds: Partial<SchemaState>, news: SchemaState) => tableSchemaProvider.check!(olds, news);
      const old = state(target);
      assert.equal(
        (await check(old, state(target, [...COLUMNS, { name: "tier", type: "string" }]))).failures,
        undefined,
      );
      assert.equal((await check({}, state(target))).failures, undefined, "creation");
      const removed = await check(old, state(target, [COLUMNS[0]]));
      assert.deepEqual(
        removed.failures?.map((f) => f.property),
        ["columns"],
      );
      assert.match(
        removed.failures?.[0].reason ?? "",
        /^db\.events: column 'amount' \(double\) is removed: .*allowBreakingSchemaChange/,
      );
      const retyped = await check(old, state(target, [COLUMNS[0], { name: "amount", type: "string" }]));
      assert.match(retyped.failures?.[0].reason ?? "", /column 'amount' changes type from double to string/);
      assert.equal((await check(old, state(target, [COLUMNS[0]], true))).failures, undefined, "allowed");
    });
  }

  it("glue: an added column needs no call (the Glue table updates itself)", async () => {
    const { statements, schemas, clients } = recorder();
    await applySchemaChange(
      state({ kind: "glue" }),
      state({ kind: "glue" }, [...COLUMNS, { name: "tier", type: "string" }]),
      clients,
    );
    assert.deepEqual([statements, schemas], [[], []]);
  });

  it("redshift: one ALTER TABLE ... ADD COLUMN per added column, a retry after a partial failure counting the done ones", async () => {
    const added = [...COLUMNS, { name: "tier", type: "varchar(16)" }, { name: "score", type: "bigint" }];
    const { statements, clients } = recorder((sql) =>
      sql.includes('"tier"') ? 'ERROR: column "tier" of relation "events" already exists' : undefined,
    );
    const outs = await applySchemaChange(state(REDSHIFT), state(REDSHIFT, added), clients);
    assert.deepEqual(statements, [
      'ALTER TABLE "events" ADD COLUMN "tier" varchar(16)',
      'ALTER TABLE "events" ADD COLUMN "score" bigint',
    ]);
    assert.deepEqual(outs.columns, added);
    const failing = recorder(() => "ERROR: permission denied for relation events");
    await assert.rejects(
      applySchemaChange(state(REDSHIFT), state(REDSHIFT, added), failing.clients),
      /permission denied/,
    );
  });

  it("redshift: where allowed, a removed column is dropped and a retyped one refused with the way out", async () => {
    const { statements, clients } = recorder();
    await applySchemaChange(state(REDSHIFT), state(REDSHIFT, [COLUMNS[0]], true), clients);
    assert.deepEqual(statements, ['ALTER TABLE "events" DROP COLUMN "amount"']);
    await assert.rejects(
      applySchemaChange(
        state(REDSHIFT),
        state(REDSHIFT, [COLUMNS[0], { name: "amount", type: "int" }], true),
        clients,
      ),
      /Redshift cannot change column 'amount' from double to int; remove it in one deploy/,
    );
  });

  it("iceberg: a new column takes the next field id; existing ids never move, wherever the column is listed", async () => {
    const { schemas, clients } = recorder();
    const created = await tableSchemaProvider.create!(state(ICEBERG));
    assert.deepEqual(created.outs.fieldIds, { event_id: 1, amount: 2 });
    const outs = await applySchemaChange(
      created.outs,
      state(ICEBERG, [COLUMNS[0], { name: "tier", type: "bigint" }, COLUMNS[1]]),
      clients,
    );
    assert.deepEqual(schemas, [
      [
        { Id: 1, Name: "event_id", Type: "string", Required: false },
        { Id: 3, Name: "tier", Type: "long", Required: false },
        { Id: 2, Name: "amount", Type: "double", Required: false },
      ],
    ]);
    assert.deepEqual(outs.fieldIds, { event_id: 1, tier: 3, amount: 2 });
    await applySchemaChange(outs, { ...outs }, clients);
    assert.equal(schemas.length, 1, "no change, no call");
  });

  it("the calls' requests are valid against the AWS API models (moto 5.2.1 cannot answer them: no Iceberg tables in its Glue, an unreadable DescribeStatement)", function () {
    const data = findBotocoreData();
    if (!data) {
      console.log("      skipped: botocore's data folder is not on this machine");
      this.skip();
    }
    const registry = new ModelRegistry(data, path.join(os.tmpdir(), "firehose-etl-botocore"));
    const glue = registry.find("glue", "UpdateTable");
    assert.ok(glue);
    const fields = [{ Id: 1, Name: "event_id", Type: "string", Required: false }];
    assert.deepEqual(checkInput(glue, "UpdateTable", updateTableInput(ICEBERG as IcebergTarget, fields)), []);
    const redshift = registry.find("redshift-data", "ExecuteStatement");
    assert.ok(redshift);
    const sql = 'ALTER TABLE "events" ADD COLUMN "tier" varchar(16)';
    assert.deepEqual(
      checkInput(redshift, "ExecuteStatement", executeStatementInput(REDSHIFT as RedshiftTarget, sql)),
      [],
    );
  });

  it("under the mocks: a guard per table, for the lake table, each Iceberg table and the Redshift table", async () => {
    const guards = async (stack: "dev" | "prod" | "iceberg") =>
      ofType((await evaluateStack(settingsOf(stack))).resources, DYNAMIC).map((r) => [
        r.name,
        r.inputs.target.kind,
        r.inputs.columns.length,
        r.inputs.allowBreakingSchemaChange,
      ]);
    assert.deepEqual(await guards("dev"), [["lake-table-schema", "glue", 9, false]]);
    assert.deepEqual(await guards("iceberg"), [["events-events-table-schema", "iceberg", 9, false]]);
    const prod = await guards("prod");
    assert.deepEqual(
      prod.map(([name, kind]) => [name, kind]),
      [
        ["lake-table-schema", "glue"],
        ["warehouse-table-schema", "redshift"],
      ],
    );
  });
});
