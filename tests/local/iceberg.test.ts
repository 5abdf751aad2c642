// The local run of an Iceberg pipeline: the transform, routing by the declared MetadataExtraction query, the
// stream's buffers, error documents, Parquet data files under each table's location, and upserts' semantics
// (last write per unique key, deletes) in what `npm run query` shows.
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { DescribeDeliveryStreamCommand } from "@aws-sdk/client-firehose";
import { openLakeQuery } from "../../local/lake-query";
import { RawConfig, settingsOf } from "../support/stacks";
import { Running, runStack } from "./harness";

type Destination = Record<string, unknown>;

function iceberg(edit: (destination: Destination, raw: RawConfig) => void = () => undefined) {
  return settingsOf("iceberg", (raw) => {
    const [pipeline] = raw.pipelines as { destination: Destination }[];
    edit(pipeline.destination, raw);
  });
}

const event = (fields: Record<string, unknown>) =>
  Buffer.from(`${JSON.stringify({ action: "click", amount: 1, country: "DE", ...fields })}\n`);

async function rows(run: Running, sql: string): Promise<unknown[][]> {
  const query = await openLakeQuery(run.stack.table, run.stack.icebergTables);
  try {
    return (await query.run(sql)).rows;
  } finally {
    query.close();
  }
}

describe("local: an Iceberg pipeline", function () {
  this.timeout(60_000);

  it("shows one row per unique key, the last written; a delete removes its key", async () => {
    const run = await runStack(
      iceberg((destination, raw) => {
        destination.operationField = "op";
        (raw.table as { columns: unknown[] }).columns.push({ name: "op", type: "string" });
      }),
    );
    await run.put([
      event({ event_id: "a", action: "view", op: "insert" }),
      event({ event_id: "b", action: "view", op: "insert" }),
      event({ event_id: "a", action: "click", op: "update" }),
      event({ event_id: "c", action: "view", op: "insert" }),
    ]);
    await run.put([
      event({ event_id: "a", action: "purchase", op: "update" }),
      event({ event_id: "c", op: "delete" }),
    ]);
    await run.stop();
    assert.deepEqual(
      await rows(run, "SELECT event_id, action FROM firehose_etl_iceberg.events ORDER BY event_id"),
      [
        ["a", "purchase"],
        ["b", "view"],
      ],
    );
    const keys = run.stack.streams[0].written
      .filter((o) => o.kind === "data")
      .map((o) => o.key.split("/").slice(0, 4).join("/"));
    assert.deepEqual([...new Set(keys)].sort(), [
      "iceberg/events/data/op=delete",
      "iceberg/events/data/op=insert",
      "iceberg/events/data/op=update",
    ]);
  });

  it("keeps every row of an append-only table, and routes records to their table by routeBy", async () => {
    const run = await runStack(
      iceberg((destination, raw) => {
        destination.mode = "append";
        destination.tables = [{ name: "clicks" }, { name: "views" }];
        destination.routeBy = "kind";
        (raw.table as { columns: unknown[] }).columns.push({ name: "kind", type: "string" });
      }),
    );
    await run.put([
      event({ event_id: "a", kind: "clicks" }),
      event({ event_id: "a", kind: "clicks" }),
      event({ event_id: "b", kind: "views" }),
    ]);
    await run.stop();
    assert.deepEqual(await rows(run, "SELECT event_id FROM clicks ORDER BY event_id"), [["a"], ["a"]]);
    assert.deepEqual(await rows(run, "SELECT event_id FROM views"), [["b"]]);
    const prefixes = run.stack.streams[0].written.map((o) => o.key.split("/").slice(0, 3).join("/"));
    assert.deepEqual([...new Set(prefixes)].sort(), ["iceberg/clicks/data", "iceberg/views/data"]);
  });

  it("writes a record the table's columns cannot hold to the error prefix as iceberg-failed, with its bytes", async () => {
    const run = await runStack(iceberg());
    await run.put([event({ event_id: "a" }), event({ event_id: "b", amount: "n/a" })]);
    await run.stop();
    const [stream] = run.stack.streams;
    const errors = stream.written.filter((o) => o.kind === "error");
    assert.deepEqual(
      errors.map((o) => o.key.split("/").slice(0, 3).join("/")),
      ["errors/events/iceberg-failed"],
    );
    const body = readFileSync(run.stack.store.pathOf(errors[0].key));
    const doc = JSON.parse(gunzipSync(body).toString()) as Record<string, string>;
    assert.equal(doc.errorCode, "Iceberg.SchemaMismatch");
    assert.match(doc.errorMessage, /column 'amount' \(double\) cannot hold "n\/a"/);
    assert.equal(JSON.parse(Buffer.from(doc.rawData, "base64").toString()).event_id, "b");
    assert.deepEqual(await rows(run, "SELECT event_id FROM events"), [["a"]]);
    assert.deepEqual([stream.counts().delivered, stream.counts().failed], [1, 1]);
  });

  it("describes the stream with an IcebergDestinationDescription from the declared inputs", async () => {
    const run = await runStack(iceberg());
    try {
      const { DeliveryStreamDescription: d } = await run.client.send(
        new DescribeDeliveryStreamCommand({ DeliveryStreamName: run.stack.streams[0].name }),
      );
      const destination = d?.Destinations?.[0].IcebergDestinationDescription;
      assert.deepEqual(destination?.DestinationTableConfigurationList, [
        {
          DestinationDatabaseName: "firehose_etl_iceberg",
          DestinationTableName: "events",
          UniqueKeys: ["event_id"],
        },
      ]);
      assert.equal(destination?.AppendOnly, false);
      assert.deepEqual(destination?.BufferingHints, { SizeInMBs: 64, IntervalInSeconds: 300 });
      assert.equal(
        destination?.CatalogConfiguration?.CatalogARN,
        "arn:aws:glue:eu-west-1:123456789012:catalog",
      );
      assert.equal(destination?.S3BackupMode, "FailedDataOnly");
      assert.equal(destination?.S3DestinationDescription?.Prefix, "backup/events/");
      assert.deepEqual(
        destination?.ProcessingConfiguration?.Processors?.map((p) => p.Type),
        ["Lambda", "MetadataExtraction"],
      );
    } finally {
      await run.stop();
    }
  });
});
