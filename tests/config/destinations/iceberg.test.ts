// The Iceberg destination's config: defaults, its cross-field checks on tables, keys, routing and mode, the
// checks against the stack's table and other pipelines, the routing query and the tables' place in the lake.
import { strict as assert } from "assert";
import { destinationSchema, needsOf } from "../../../config/destinations";
import {
  ICEBERG_ROOT,
  IcebergDestinationSettings,
  icebergDestination,
  icebergTableRoot,
  routingQuery,
} from "../../../config/destinations/iceberg";
import { RawConfig } from "../../support/stacks";
import { AT, problemsWith } from "./stack";

const lakehouse = {
  type: "iceberg",
  tables: [{ name: "orders" }],
  buffer: { sizeMiB: 64, intervalSeconds: 300 },
};
const problemsOfLakehouse = (edit: RawConfig) => problemsWith({ ...lakehouse, ...edit });
const twoTables = [{ name: "orders" }, { name: "refunds" }];
const keyed = (name: string, ...uniqueKeys: string[]) => ({ name, uniqueKeys });
const settings = (edit: RawConfig) => icebergDestination.schema.parse({ ...lakehouse, ...edit });

describe("config: the iceberg destination", () => {
  it("fills the documented defaults, optimizers all on", () => {
    assert.deepEqual(settings({}), {
      ...lakehouse,
      mode: "append",
      retrySeconds: 300,
      backupMode: "FailedDataOnly",
      optimizers: {
        compaction: { enabled: true },
        snapshotRetention: { enabled: true, retentionDays: 5, snapshotsToRetain: 1 },
        orphanFileDeletion: { enabled: true, retentionDays: 3 },
      },
    });
  });

  it("fills the defaults of a partly configured optimizer", () => {
    const { optimizers } = settings({ optimizers: { snapshotRetention: { enabled: false } } });
    assert.deepEqual(optimizers.snapshotRetention, {
      enabled: false,
      retentionDays: 5,
      snapshotsToRetain: 1,
    });
    assert.deepEqual(optimizers.compaction, { enabled: true });
  });

  describe("accepts", () => {
    const accepted: { what: string; edit: RawConfig }[] = [
      { what: "several tables routed by a field", edit: { tables: twoTables, routeBy: "kind" } },
      {
        what: "100 tables",
        edit: { tables: Array.from({ length: 100 }, (_, i) => ({ name: `t${i}` })), routeBy: "kind" },
      },
      {
        what: "upserts by a key, without an operation field",
        edit: { mode: "upsert", tables: [keyed("orders", "event_id")] },
      },
      {
        what: "upserts by two keys with an operation field",
        edit: { mode: "upsert", tables: [keyed("orders", "event_id", "ts")], operationField: "op" },
      },
      {
        what: "the optimizers' bounds",
        edit: {
          optimizers: {
            compaction: { enabled: false },
            snapshotRetention: { retentionDays: 1, snapshotsToRetain: 1000 },
            orphanFileDeletion: { enabled: false, retentionDays: 3650 },
          },
        },
      },
      {
        what: "the other ends of the optimizers' bounds",
        edit: {
          optimizers: {
            snapshotRetention: { retentionDays: 3650, snapshotsToRetain: 1 },
            orphanFileDeletion: { retentionDays: 1 },
          },
        },
      },
      { what: "backing up all data", edit: { backupMode: "AllData", retrySeconds: 7200 } },
    ];
    for (const c of accepted) {
      it(c.what, () => {
        assert.deepEqual(problemsOfLakehouse(c.edit), []);
      });
    }
  });

  describe("refuses", () => {
    const cases: { what: string; edit: RawConfig; problems: string[] }[] = [
      {
        what: "no tables",
        edit: { tables: [] },
        problems: [`${AT}.tables: Too small: expected array to have >=1 items, got []`],
      },
      {
        what: "a table name that is not a Glue name",
        edit: { tables: [{ name: "Orders" }] },
        problems: [`${AT}.tables[0].name: must be lower-case letters, digits and '_', got "Orders"`],
      },
      {
        what: "a table listed twice, at its second place, once (not also as another pipeline's)",
        edit: { tables: [{ name: "orders" }, { name: "refunds" }, { name: "orders" }], routeBy: "kind" },
        problems: [`${AT}.tables[2].name: duplicate table 'orders', got "orders"`],
      },
      {
        what: "several tables without routeBy, counting them",
        edit: { tables: [...twoTables, { name: "returns" }] },
        problems: [
          `${AT}.routeBy: 3 tables need routeBy: the record field that names each record's table, it is missing`,
        ],
      },
      {
        what: "routeBy with one table",
        edit: { routeBy: "kind" },
        problems: [
          `${AT}.routeBy: routeBy chooses between several tables, and there is one ('orders'): remove it, got "kind"`,
        ],
      },
      {
        what: "an unknown mode",
        edit: { mode: "merge" },
        problems: [`${AT}.mode: Invalid option: expected one of "append"|"upsert", got "merge"`],
      },
      {
        what: "uniqueKeys of each table in append mode",
        edit: { tables: [keyed("orders", "event_id"), keyed("refunds", "event_id")], routeBy: "kind" },
        problems: [
          `${AT}.tables[0].uniqueKeys: uniqueKeys take effect only with mode 'upsert' (an append-only stream inserts every record): set mode: upsert or remove them, got ["event_id"]`,
          `${AT}.tables[1].uniqueKeys: uniqueKeys take effect only with mode 'upsert' (an append-only stream inserts every record): set mode: upsert or remove them, got ["event_id"]`,
        ],
      },
      {
        what: "an upserting table without uniqueKeys, naming it",
        edit: { mode: "upsert", tables: [keyed("orders", "event_id"), { name: "refunds" }], routeBy: "kind" },
        problems: [
          `${AT}.tables[1].uniqueKeys: mode 'upsert' needs uniqueKeys on every table, and 'refunds' has none: list the columns that identify a row, it is missing`,
        ],
      },
      {
        what: "an empty uniqueKeys",
        edit: { mode: "upsert", tables: [{ name: "orders", uniqueKeys: [] }] },
        problems: [`${AT}.tables[0].uniqueKeys: Too small: expected array to have >=1 items, got []`],
      },
      {
        what: "a unique key listed twice, at its second place",
        edit: { mode: "upsert", tables: [keyed("orders", "event_id", "ts", "event_id")] },
        problems: [`${AT}.tables[0].uniqueKeys[2]: 'event_id' is listed twice, got "event_id"`],
      },
      {
        what: "unique keys that are not columns, naming the columns",
        edit: { mode: "upsert", tables: [keyed("orders", "event_id", "order_id")] },
        problems: [
          `${AT}.tables[0].uniqueKeys[1]: 'order_id' is not a column of the table (event_id, user_id, email, country, action, amount, ts, event_version, source), got "order_id"`,
        ],
      },
      {
        what: "an operation field in append mode",
        edit: { operationField: "op" },
        problems: [
          `${AT}.operationField: only mode 'upsert' reads an operation: set mode: upsert or remove it, got "op"`,
        ],
      },
      {
        what: "optimizer settings outside their bounds",
        edit: {
          optimizers: {
            compaction: { enabled: "no" },
            snapshotRetention: { retentionDays: 0, snapshotsToRetain: 1001 },
            orphanFileDeletion: { retentionDays: 3651 },
          },
        },
        problems: [
          `${AT}.optimizers.compaction.enabled: Invalid input: expected boolean, received string, got "no"`,
          `${AT}.optimizers.snapshotRetention.retentionDays: Too small: expected number to be >=1, got 0`,
          `${AT}.optimizers.snapshotRetention.snapshotsToRetain: Too big: expected number to be <=1000, got 1001`,
          `${AT}.optimizers.orphanFileDeletion.retentionDays: Too big: expected number to be <=3650, got 3651`,
        ],
      },
      {
        what: "the optimizer settings' other bounds",
        edit: {
          optimizers: {
            snapshotRetention: { retentionDays: 3651, snapshotsToRetain: 0 },
            orphanFileDeletion: { retentionDays: 0 },
            vacuum: {},
          },
        },
        problems: [
          `${AT}.optimizers.snapshotRetention.retentionDays: Too big: expected number to be <=3650, got 3651`,
          `${AT}.optimizers.snapshotRetention.snapshotsToRetain: Too small: expected number to be >=1, got 0`,
          `${AT}.optimizers.orphanFileDeletion.retentionDays: Too small: expected number to be >=1, got 0`,
          `${AT}.optimizers.vacuum: is not a known key`,
        ],
      },
      {
        what: "a buffer above 128 MiB and an unknown backup mode",
        edit: { buffer: { sizeMiB: 129, intervalSeconds: 300 }, backupMode: "AllDocuments" },
        problems: [
          `${AT}.buffer.sizeMiB: Too big: expected number to be <=128, got 129`,
          `${AT}.backupMode: Invalid option: expected one of "FailedDataOnly"|"AllData", got "AllDocuments"`,
        ],
      },
    ];
    for (const c of cases) {
      it(c.what, () => {
        assert.deepEqual(problemsOfLakehouse(c.edit), c.problems);
      });
    }

    it("more than 100 tables", () => {
      const tables = Array.from({ length: 101 }, (_, i) => ({ name: `t${i}` }));
      assert.deepEqual(problemsOfLakehouse({ tables, routeBy: "kind" }), [
        `${AT}.tables: Too big: expected array to have <=100 items, got ${JSON.stringify(tables)}`,
      ]);
    });
  });

  describe("in the stack", () => {
    const addPipeline = (name: string, destination: RawConfig) => (raw: RawConfig) =>
      (raw.pipelines as RawConfig[]).push({ name, destination });
    const s3 = { type: "s3", buffer: { sizeMiB: 5, intervalSeconds: 60 } };

    it("may name a table like the stack's table when no s3 pipeline writes the lake", () => {
      assert.deepEqual(problemsWith({ ...lakehouse, tables: [{ name: "events" }] }), []);
    });

    it("refuses the lake table's name when an s3 pipeline writes it", () => {
      assert.deepEqual(
        problemsWith({ ...lakehouse, tables: [{ name: "events" }] }, addPipeline("lake", s3)),
        [
          `${AT}.tables[0].name: table 'events' is already the lake's or another pipeline's: choose another name, got "events"`,
        ],
      );
      assert.deepEqual(problemsWith(lakehouse, addPipeline("lake", s3)), []);
    });

    it("refuses a table another iceberg pipeline writes, where it sits", () => {
      const other = { ...lakehouse, tables: twoTables, routeBy: "kind" };
      assert.deepEqual(problemsWith(lakehouse, addPipeline("more", other)), [
        `firehose-etl:pipelines[1].destination.tables[0].name: table 'orders' is already the lake's or another pipeline's: choose another name, got "orders"`,
      ]);
    });

    it("checks unique keys of a later pipeline where they sit", () => {
      const other = { ...lakehouse, mode: "upsert", tables: [keyed("refunds", "event_id", "refund_id")] };
      assert.deepEqual(problemsWith(lakehouse, addPipeline("more", other)), [
        `firehose-etl:pipelines[1].destination.tables[0].uniqueKeys[1]: 'refund_id' is not a column of the table (event_id, user_id, email, country, action, amount, ts, event_version, source), got "refund_id"`,
      ]);
    });

    it("refuses each complex column type, but only with an iceberg pipeline", () => {
      const complex = (raw: RawConfig) =>
        (raw.table as { columns: unknown[] }).columns.push(
          { name: "tags", type: "array<string>" },
          { name: "total", type: "decimal(10,2)" },
          { name: "attrs", type: "map<string,string>" },
        );
      const mapping = (type: string) =>
        `'${type}' has no Iceberg mapping here (complex types need a nested schema): an iceberg pipeline needs primitive column types, got "${type}"`;
      assert.deepEqual(problemsWith(lakehouse, complex), [
        `firehose-etl:table.columns[9].type: ${mapping("array<string>")}`,
        `firehose-etl:table.columns[11].type: ${mapping("map<string,string>")}`,
      ]);
      assert.deepEqual(problemsWith(s3, complex), []);
    });
  });

  describe("the routing query", () => {
    const query = (edit: RawConfig) => routingQuery(settings(edit), "lake_db");

    it("is not needed for one append-only table", () => {
      assert.equal(query({}), undefined);
    });

    it("routes appends by routeBy", () => {
      assert.equal(
        query({ tables: twoTables, routeBy: "kind" }),
        '{destinationDatabaseName:"lake_db",destinationTableName:.kind}',
      );
    });

    it("updates the one table when upserting without an operation field", () => {
      assert.equal(
        query({ mode: "upsert", tables: [keyed("orders", "event_id")] }),
        '{destinationDatabaseName:"lake_db",destinationTableName:"orders",operation:"update"}',
      );
    });

    it("reads the operation from its field and the table from routeBy", () => {
      const routed: IcebergDestinationSettings = settings({
        mode: "upsert",
        tables: [keyed("orders", "event_id"), keyed("refunds", "event_id")],
        routeBy: "kind",
        operationField: "op",
      });
      assert.equal(
        routingQuery(routed, "lake_db"),
        '{destinationDatabaseName:"lake_db",destinationTableName:.kind,operation:.op}',
      );
    });
  });

  it("keeps each table under iceberg/<table>/ in the lake", () => {
    assert.equal(ICEBERG_ROOT, "iceberg/");
    assert.equal(icebergTableRoot("orders"), "iceberg/orders/");
  });

  describe("what it needs of the stack", () => {
    const needs = (dest: RawConfig) => needsOf(destinationSchema.parse({ ...lakehouse, ...dest }));

    it("declares routeBy and operationField as record fields, and nothing else", () => {
      assert.deepEqual(
        needs({
          mode: "upsert",
          tables: [keyed("orders", "id"), keyed("refunds", "id")],
          routeBy: "kind",
          operationField: "op",
        }),
        { keyServices: [], needsNetwork: false, columns: [], recordFields: ["kind", "op"] },
      );
    });

    it("declares each alone, and none without them", () => {
      assert.deepEqual(
        needs({ mode: "upsert", tables: [keyed("orders", "id")], operationField: "op" }).recordFields,
        ["op"],
      );
      assert.deepEqual(needs({ tables: twoTables, routeBy: "kind" }).recordFields, ["kind"]);
      assert.deepEqual(needs({}).recordFields, []);
    });
  });
});
