import * as assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { PartitionColumn } from "../../config/layout";
import { openLakeQuery } from "../../local/lake-query";
import { LakeStore } from "../../local/lake-store";
import { LocalTable } from "../../local/local-stack";
import { UnprojectedPartitions } from "../../local/partition-projection";
import { tempDir } from "../support/temp-dir";

const COLUMNS: PartitionColumn[] = [
  { name: "country", projection: { type: "enum", values: ["DE", "FR"] } },
  { name: "year", projection: { type: "integer", range: "2020,2100" } },
  { name: "tenant", projection: { type: "injected" } },
];

describe("local: the query sees what Athena's partition projection sees", () => {
  const root = path.join(tempDir("lake-query"), "data");
  const put = (partition: string, rows: number) => {
    mkdirSync(path.join(root, partition), { recursive: true });
    const lines = Array.from({ length: rows }, (_, i) => `${JSON.stringify({ id: `${partition}#${i}` })}\n`);
    writeFileSync(path.join(root, partition, "object"), lines.join(""));
  };
  put("country=DE/year=2026/tenant=a", 2);
  put("country=FR/year=2026/tenant=b", 1);
  put("country=XX/year=2026/tenant=a", 4); // not in the enum
  put("country=DE/year=1970/tenant=a", 8); // outside the integer range
  put("year=2026/month=11", 16); // an earlier layout's object: Athena computes no location that reaches it
  const table: LocalTable = {
    database: "db",
    name: "events",
    root,
    prefix:
      "data/country=!{partitionKeyFromQuery:country}/year=!{timestamp:yyyy}/tenant=!{partitionKeyFromLambda:tenant}/",
    format: "json",
    columns: [{ name: "id", type: "string" }],
    partitionColumns: COLUMNS,
    lakeDir: path.dirname(root),
  };

  it("returns no row from partitions outside an enum's values or an integer's range", async () => {
    const query = await openLakeQuery(table);
    try {
      const result = await query.run(
        "SELECT country, year, tenant, count(*) AS n FROM db.events GROUP BY ALL ORDER BY ALL",
      );
      assert.deepEqual(result.rows, [
        ["DE", 2026, "a", 2n],
        ["FR", 2026, "b", 1n],
      ]);
    } finally {
      query.close();
    }
  });

  it("reads a partition value too long for a file name as the value itself, not its hashed file name", async () => {
    const lakeDir = tempDir("lake-query-long");
    const store = new LakeStore(lakeDir, "bucket");
    const long = "t".repeat(300);
    await store.put(`data/country=DE/year=2026/tenant=${long}/object`, Buffer.from('{"id":"x"}\n'));
    const query = await openLakeQuery({ ...table, lakeDir, root: path.join(lakeDir, "bucket", "data") });
    try {
      const result = await query.run("SELECT tenant, count(*) AS n FROM events GROUP BY ALL");
      assert.deepEqual(result.rows, [[long, 1n]]);
    } finally {
      query.close();
    }
  });

  it("explains an object it cannot read, and how to start from an empty bucket", async () => {
    const broken = path.join(tempDir("lake-query-broken"), "data");
    mkdirSync(path.join(broken, "country=DE/year=2026/tenant=a"), { recursive: true });
    writeFileSync(path.join(broken, "country=DE/year=2026/tenant=a/object"), "{not json\n");
    await assert.rejects(
      openLakeQuery({ ...table, root: broken }),
      (err: Error) =>
        err.message.startsWith("The local lake cannot be read as the table db.events: ") &&
        err.message.includes("Malformed JSON") &&
        err.message.includes("npm run serve -- --clean"),
    );
    // An error in the SQL is the user's, and is left alone.
    const query = await openLakeQuery(table);
    try {
      await assert.rejects(query.run("SELECT nope FROM events"), /^Error: Binder Error/);
    } finally {
      query.close();
    }
  });

  it("warns once per hidden partition value, naming what the projection allows", () => {
    const watch = new UnprojectedPartitions(COLUMNS);
    const warnings = watch.check([
      "data/country=DE/year=2026/tenant=a/o1",
      "data/country=XX/year=2026/tenant=a/o2",
      "data/country=XX/year=2026/tenant=b/o3",
      "data/country=DE/year=1970/tenant=z/o4",
    ]);
    assert.deepEqual(warnings, [
      "warning: records landed in partition country=XX, but the Glue table projects country as one of DE, FR: Athena will not read them (nor does npm run query). List the value in the pipeline's partitioning.fields[].values, or map it to a listed one in the transform.",
      "warning: records landed in partition year=1970, but the Glue table projects year as 2020 to 2100: Athena will not read them (nor does npm run query). Check the time the partition value comes from.",
    ]);
    assert.deepEqual(watch.check(["data/country=XX/year=2026/tenant=c/o5"]), []);
  });
});
