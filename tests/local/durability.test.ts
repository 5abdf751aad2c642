import { DuckDBInstance } from "@duckdb/node-api";
import * as assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import * as path from "node:path";
import { FORMAT_CONVERSION_FAILURE } from "../../local/delivery-stream";
import { parquetColumnsOf } from "../../local/parquet-object";
import { tempDir } from "../support/temp-dir";
import { BUCKET, blockLakeWrites, directStream, recordsOf } from "./direct-stream";
import { filesUnder, linesOf } from "./harness";
import { captureConsoleError } from "../support/console-capture";

const FAST_RETRY = { firstDelayMs: 10, maxDelayMs: 40, closeTimeoutMs: 300 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The lines of every object under `prefix` in the bucket. */
function linesUnder(lakeDir: string, prefix: string): string[] {
  const bucket = path.join(lakeDir, BUCKET);
  if (!existsSync(bucket)) return [];
  return filesUnder(bucket)
    .filter((f) => f.startsWith(prefix))
    .flatMap((f) => linesOf(path.join(bucket, f)));
}

/** Files left in the lake's scratch folders. */
const scratchFiles = (lakeDir: string) =>
  existsSync(path.join(lakeDir, ".tmp")) ? filesUnder(path.join(lakeDir, ".tmp")) : [];

const journalFiles = (lakeDir: string) =>
  existsSync(path.join(lakeDir, ".journal"))
    ? filesUnder(path.join(lakeDir, ".journal")).filter((f) => f.endsWith(".journal"))
    : [];

describe("local: acknowledged means kept", () => {
  // What the streams report on the console, captured: failures must be reported, loudly.
  const logged = captureConsoleError();

  it("retries a lake write that fails (a file where a folder should be) and delivers its records once", async () => {
    const { stream, lakeDir } = directStream({ retry: { ...FAST_RETRY, closeTimeoutMs: 5000 } });
    const blocker = blockLakeWrites(lakeDir);
    await stream.put(
      recordsOf([
        { k: "a", n: 1 },
        { k: "a", n: 2 },
        { k: "b", n: 3 },
      ]),
    );
    const closing = stream.close();
    await sleep(100);
    assert.equal(stream.counts().delivered, 0);
    rmSync(blocker);
    await closing;
    assert.equal(stream.counts().delivered, 3);
    assert.equal(stream.counts().buffered, 0);
    const lines = linesUnder(lakeDir, "data/").map((l) => (JSON.parse(l) as { n: number }).n);
    assert.deepEqual(lines.sort(), [1, 2, 3]);
    assert.deepEqual(scratchFiles(lakeDir), []);
    assert.deepEqual(journalFiles(lakeDir), []);
    assert.match(
      logged[0],
      /LAKE WRITE FAILED \(attempt 1\): \d records to data\/k=.* is not a folder; retrying in 10 ms/,
    );
    assert.match(logged[logged.length - 1], /lake write succeeded at attempt \d+/);
  });

  it("keeps records a lake write never takes in the journal, and a later run delivers them, each once", async () => {
    const first = directStream({ journal: true, retry: FAST_RETRY });
    const { lakeDir } = first;
    blockLakeWrites(lakeDir, "data/k=b");
    await first.stream.put(
      recordsOf([
        { k: "a", n: 1 },
        { k: "b", n: 2 },
        { k: "a", n: 3 },
      ]),
    );
    await first.stream.close();
    assert.equal(first.stream.counts().delivered, 2);
    assert.equal(first.stream.counts().buffered, 1, "undelivered, so the run must not exit 0");
    assert.deepEqual(scratchFiles(lakeDir), []);
    assert.equal(journalFiles(lakeDir).length, 1);
    assert.match(
      logged[logged.length - 1],
      /1 ACKNOWLEDGED RECORDS WERE NOT DELIVERED: the journal .* keeps them/,
    );

    rmSync(path.join(lakeDir, BUCKET, "data", "k=b"));
    const second = directStream({ lakeDir, journal: true, retry: FAST_RETRY });
    assert.equal(second.stream.counts().received, 1, "the records already in the lake are not replayed");
    await second.stream.close();
    assert.equal(second.stream.counts().delivered, 1);
    const lines = linesUnder(lakeDir, "data/").map((l) => (JSON.parse(l) as { n: number }).n);
    assert.deepEqual(lines.sort(), [1, 2, 3]);
    assert.deepEqual(journalFiles(lakeDir), []);
  });

  it("does not acknowledge records the journal could not keep", async () => {
    const { stream, store } = directStream({ journal: true });
    const segment = path.join(store.journalDir("direct"), "000000000001.journal");
    mkdirSync(segment); // a folder where the first segment's file goes
    const entries = await stream.put(recordsOf([{ k: "a", n: 1 }]));
    assert.deepEqual(entries, [
      { ErrorCode: "ServiceUnavailableException", ErrorMessage: "The local journal could not be written." },
    ]);
    assert.match(logged[0], /JOURNAL WRITE FAILED .*EISDIR/);
    rmSync(segment, { recursive: true });
    await stream.close();
  });

  it("refuses to write through a symbolic link inside the lake, and keeps the records", async () => {
    const { stream, lakeDir } = directStream({ journal: true, retry: FAST_RETRY });
    const elsewhere = tempDir("symlink-target");
    mkdirSync(path.join(lakeDir, BUCKET), { recursive: true });
    symlinkSync(elsewhere, path.join(lakeDir, BUCKET, "data"));
    await stream.put(recordsOf([{ k: "a", n: 1 }]));
    await stream.close();
    assert.deepEqual(readdirSync(elsewhere), []);
    assert.equal(stream.counts().buffered, 1);
    assert.equal(journalFiles(lakeDir).length, 1);
    assert.ok(
      logged.some((l) =>
        l.includes(`refusing to write through the symbolic link ${path.join(lakeDir, BUCKET, "data")}`),
      ),
      logged.join("\n"),
    );
  });

  it("delivers a record whose partition value is longer than a file name may be", async () => {
    const { stream, store, lakeDir } = directStream();
    const long = "é".repeat(300);
    await stream.put(
      recordsOf([
        { k: long, n: 1 },
        { k: "short", n: 2 },
      ]),
    );
    await stream.close();
    assert.equal(stream.counts().delivered, 2);
    const [object] = stream.written.filter((o) => o.key.startsWith(`data/k=${long}/`));
    assert.ok(object, "an object under the long partition");
    const file = store.pathOf(object.key);
    assert.ok(existsSync(file));
    for (const name of path.relative(lakeDir, file).split(path.sep))
      assert.ok(Buffer.byteLength(name) <= 255, name);
    assert.equal(store.keyOf(file), object.key);
    assert.deepEqual(
      linesOf(file).map((l) => (JSON.parse(l) as { k: string }).k),
      [long],
    );
  });

  it("fails a record whose value cannot be converted, not the records beside it", async () => {
    const { stream, lakeDir } = directStream({
      output: {
        format: "parquet",
        columns: parquetColumnsOf([
          { name: "n", type: "int" },
          { name: "at", type: "timestamp" },
          { name: "price", type: "decimal(4,2)" },
        ]),
        compression: "SNAPPY",
        failure: FORMAT_CONVERSION_FAILURE,
        sequenced: false,
      },
    });
    await stream.put(
      recordsOf([
        { k: "a", n: 1, at: 1_700_000_000_000, price: 1.5 },
        { k: "a", n: 2, at: 1e20 }, // no Date holds it: threw out of the delivery
        { k: "a", n: 3, price: 123456 }, // DuckDB rejects it: failed the whole object
        { k: "b", n: 4 },
      ]),
    );
    await stream.close();
    const counts = stream.counts();
    assert.equal(counts.delivered, 2);
    assert.equal(counts.failed, 2);
    assert.deepEqual(
      [...counts.failures],
      [["format-conversion-failed DataFormatConversion.MalformedData", 2]],
    );
    const failed = linesUnder(lakeDir, "errors/format-conversion-failed/").map(
      (l) =>
        (
          JSON.parse(Buffer.from((JSON.parse(l) as { rawData: string }).rawData, "base64").toString()) as {
            n: number;
          }
        ).n,
    );
    assert.deepEqual(failed.sort(), [2, 3]);
    const db = await DuckDBInstance.create(":memory:");
    const connection = await db.connect();
    const glob = path.join(lakeDir, BUCKET, "data", "**", "*.parquet").replace(/'/g, "''");
    const rows = (
      await connection.runAndReadAll(`SELECT n FROM read_parquet('${glob}') ORDER BY n`)
    ).getRowsJS();
    connection.closeSync();
    db.closeSync();
    assert.deepEqual(rows, [[1], [4]]);
  });

  it("sends records over 500 active partitions to the error prefix, as Firehose's quota does", async () => {
    const { stream, lakeDir } = directStream();
    await stream.put(recordsOf(Array.from({ length: 501 }, (_, i) => ({ k: `p${i}`, n: i }))));
    await stream.put(recordsOf([{ k: "p0", n: 501 }])); // an active partition still takes records
    await stream.close();
    assert.equal(stream.counts().delivered, 501);
    assert.equal(stream.written.filter((o) => o.kind === "data").length, 500);
    const [document] = linesUnder(lakeDir, "errors/partitioning-failed/").map(
      (l) => JSON.parse(l) as Record<string, string>,
    );
    assert.equal(document.errorCode, "DynamicPartitioning.ActivePartitionsLimitExceeded");
    assert.equal(document.errorMessage, "The number of active partitions has exceeded the configured limit");
    assert.deepEqual(JSON.parse(Buffer.from(document.rawData, "base64").toString()), { k: "p500", n: 500 });
  });
});
