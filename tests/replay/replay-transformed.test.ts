// End to end on the local run: records that failed Parquet conversion (a value the table's column type rejects)
// hold the transform's output; after the fix (the column's type, a config change) the replay sends them through
// the transform again and they land in the data prefix exactly once, with the pseudonyms the first pass wrote
// (the transform is idempotent, so nothing is hashed twice).
import { DuckDBInstance } from "@duckdb/node-api";
import * as assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import * as path from "node:path";
import { StackSettings } from "../../config/settings";
import { LakeStore } from "../../local/lake-store";
import { localBucketName } from "../../local/local-stack";
import { putAll } from "../../local/producer";
import { LOCAL_PII_HASH_KEY } from "../../local/transform-bundle";
import { LocalLake } from "../../replay/lake";
import { ReplayScope, select, send } from "../../replay/replay";
import { retransform } from "../../replay/retransform";
import { firehoseSink } from "../../replay/sender";
import { settingsOf } from "../support/stacks";
import { tempDir } from "../support/temp-dir";
import { filesUnder, runStack, testBundle } from "../local/harness";

const STREAM = "firehose-etl-prod-lake";
const GOOD = 40;
const BAD = 25;

const event = (id: string, amount: unknown) =>
  Buffer.from(
    `${JSON.stringify({ event_id: id, user_id: "u", email: `${id}@example.com`, country: "de", action: "click", amount, ts: "2026-11-02T10:00:00Z" })}\n`,
  );

async function dataRows(settings: StackSettings, lakeDir: string): Promise<Record<string, unknown>[]> {
  const bucket = path.join(lakeDir, localBucketName(settings));
  const db = await DuckDBInstance.create(":memory:");
  const connection = await db.connect();
  const rows: Record<string, unknown>[] = [];
  try {
    for (const file of filesUnder(bucket).filter((f) => f.startsWith("data/"))) {
      const reader = await connection.runAndReadAll(
        `SELECT event_id, email, CAST(amount AS VARCHAR) AS amount FROM read_parquet('${path.join(bucket, file).replace(/'/g, "''")}', hive_partitioning = false)`,
      );
      rows.push(...(reader.getRowObjectsJS() as Record<string, unknown>[]));
    }
  } finally {
    connection.closeSync();
    db.closeSync();
  }
  return rows;
}

describe("replay: format-conversion failures, after a fix, land in the data prefix exactly once", function () {
  this.timeout(120_000);

  it("amount 'n/a' fails the double column; with amount a string column the replay delivers each once, its pseudonym unchanged", async () => {
    // The prod lake (Parquet), fed by Direct PUT: replaying through a Kinesis source is another test's concern.
    const directPut = (raw: Record<string, unknown>) => (raw.source = { type: "direct-put" });
    const broken = settingsOf("prod", directPut);
    const fixed = settingsOf("prod", (raw) => {
      directPut(raw);
      const table = raw.table as { columns: { name: string; type: string }[] };
      for (const column of table.columns) if (column.name === "amount") column.type = "string";
    });
    const lakeDir = tempDir("replay-parquet");
    const first = await runStack(broken, { lakeDir });
    await putAll(first.client, STREAM, [
      ...Array.from({ length: GOOD }, (_, i) => event(`good-${i}`, 1.5)),
      ...Array.from({ length: BAD }, (_, i) => event(`bad-${i}`, "n/a")),
    ]);
    await first.stop();
    assert.equal((await dataRows(broken, lakeDir)).length, GOOD);

    const lake = new LocalLake(new LakeStore(lakeDir, localBucketName(broken)));
    const scope: ReplayScope = { settings: fixed, lake, pipelines: ["lake"], errorTypes: [], window: {} };
    const selection = await select(scope);
    assert.deepEqual(
      selection.rows.map((r) => [r.errorType, r.errorCode, r.records]),
      [["format-conversion-failed", "DataFormatConversion.MalformedData", BAD]],
    );
    assert.equal(selection.skipped.length, 0);
    const records = selection.records.map((r) => r.record.data);
    const lakePipeline = fixed.pipelines[0];
    const predicted = await retransform(fixed, lakePipeline, testBundle(), records);
    assert.deepEqual([predicted.ok, predicted.dropped, predicted.failing.size], [BAD, 0, 0]);
    const unfixed = await retransform(broken, broken.pipelines[0], testBundle(), records);
    assert.deepEqual([...unfixed.failing], [["format-conversion-failed", BAD]]);

    const second = await runStack(fixed, { lakeDir });
    const summary = await send(scope, selection, {
      sinkFor: () => firehoseSink(second.client, STREAM),
      log: () => undefined,
    });
    await second.stop();
    assert.deepEqual(summary, { selected: BAD, sent: BAD, skipped: 0, failed: 0, resentAfterCrash: 0 });

    const rows = await dataRows(fixed, lakeDir);
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(String(row.event_id), (counts.get(String(row.event_id)) ?? 0) + 1);
    assert.equal(counts.size, GOOD + BAD);
    assert.ok(
      [...counts.values()].every((n) => n === 1),
      "every event exactly once",
    );
    for (const row of rows.filter((r) => String(r.event_id).startsWith("bad-"))) {
      const hex = createHmac("sha256", LOCAL_PII_HASH_KEY)
        .update(`${String(row.event_id)}@example.com`)
        .digest("hex")
        .slice(0, 32);
      assert.equal(row.email, `email_hash_${hex}`, "masked once, not twice");
      assert.equal(row.amount, "n/a");
    }

    const again = await select(scope);
    assert.deepEqual([again.records.length, again.alreadySent, again.failedAgain], [0, BAD, 0]);
  });
});
