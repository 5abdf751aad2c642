import { DuckDBInstance } from "@duckdb/node-api";
import * as assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import {
  FORMAT_CONVERSION_FAILURE,
  ICEBERG_FAILURE,
  ICEBERG_SEQUENCE_COLUMN,
  ParquetTarget,
} from "../../local/delivery-stream";
import { splitJsonObjects } from "../../local/deaggregation";
import { LakeStore } from "../../local/lake-store";
import { parquetColumnsOf } from "../../local/parquet-object";
import { Prefix } from "../../local/prefix";
import { TransformHandler } from "../../local/transform-bundle";
import { directStream, passThrough, recordsOf } from "./direct-stream";
import { linesOf, UUID } from "./harness";
import { captureConsoleError } from "../support/console-capture";

const HOUR_MS = 3_600_000;

const PARQUET: ParquetTarget = {
  columns: parquetColumnsOf([
    { name: "k", type: "string" },
    { name: "n", type: "int" },
    { name: "price", type: "decimal(4,2)" },
  ]),
  compression: "SNAPPY",
  failure: FORMAT_CONVERSION_FAILURE,
  sequenced: false,
};

/** The rows of a Parquet object, as DuckDB reads them. */
async function rowsOf(file: string, select: string, order = "1"): Promise<unknown[][]> {
  const db = await DuckDBInstance.create(":memory:");
  const connection = await db.connect();
  try {
    const sql = `SELECT ${select} FROM read_parquet('${file.replace(/'/g, "''")}') ORDER BY ${order}`;
    return (await connection.runAndReadAll(sql)).getRowsJS();
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

/** The raw data of each error document in the stream's error objects. */
function failedOf(
  stream: ReturnType<typeof directStream>["stream"],
  store: LakeStore,
): Record<string, unknown>[] {
  return stream.written
    .filter((o) => o.kind === "error")
    .flatMap((o) => linesOf(store.pathOf(o.key)).map((l) => JSON.parse(l) as Record<string, unknown>));
}

/** The journal's segments left in the lake: those still holding records not in the lake. */
const journalFiles = (store: LakeStore) =>
  existsSync(store.journalDir("direct"))
    ? readdirSync(store.journalDir("direct")).filter((f) => f.endsWith(".journal"))
    : [];

const rawOf = (document: Record<string, unknown>) =>
  JSON.parse(Buffer.from(document.rawData as string, "base64").toString()) as Record<string, unknown>;

describe("local: a delivery stream's Parquet and Iceberg objects", () => {
  const logged = captureConsoleError();

  it("writes a buffer as one .parquet object of its rows, recording its size", async () => {
    const { stream, store } = directStream({ output: { format: "parquet", ...PARQUET } });
    await stream.put(
      recordsOf([
        { k: "a", n: 1, price: 1.5 },
        { k: "a", n: 2 },
      ]),
    );
    await stream.close();
    const [object] = stream.written;
    assert.match(object.key, new RegExp(`^data/k=a/direct-1-.{19}-${UUID}\\.parquet$`));
    assert.deepEqual(
      [object.kind, object.records, object.bytes],
      ["data", 2, statSync(store.pathOf(object.key)).size],
    );
    assert.deepEqual(await rowsOf(store.pathOf(object.key), "k, n, CAST(price AS VARCHAR)", "n"), [
      ["a", 1, "1.50"],
      ["a", 2, null],
    ]);
  });

  it("fails exactly the rows the columns cannot hold, wherever they are in the buffer", async () => {
    const { stream, store } = directStream({ output: { format: "parquet", ...PARQUET } });
    await stream.put(
      recordsOf([
        { k: "a", n: 1, price: 123456 },
        { k: "a", n: 2 },
        { k: "a", n: 3 },
        { k: "a", n: 4, price: 99999 },
        { k: "a", n: 5, price: 12345 },
        { k: "a", n: 6 },
      ]),
    );
    await stream.close();
    const [data] = stream.written.filter((o) => o.kind === "data");
    assert.equal(data.records, 3);
    assert.deepEqual(await rowsOf(store.pathOf(data.key), "n"), [[2], [3], [6]]);
    const documents = failedOf(stream, store);
    assert.deepEqual(documents.map((d) => rawOf(d).n).sort(), [1, 4, 5]);
    for (const d of documents) {
      assert.equal(d.lastErrorCode, "DataFormatConversion.MalformedData");
      assert.equal(d.attemptsMade, 1);
      assert.equal(typeof d.lastErrorMessage, "string");
      assert.notEqual(d.lastErrorMessage, "");
    }
    const errors = stream.written.filter((o) => o.kind === "error");
    assert.deepEqual(
      errors.map((o) => o.key.split("/").slice(0, 2).join("/")),
      ["errors/format-conversion-failed"],
    );
    assert.doesNotMatch(errors[0].key, /\.gz$/);
    assert.deepEqual(
      [...stream.counts().failures],
      [["format-conversion-failed DataFormatConversion.MalformedData", 3]],
    );
  });

  it("writes no object when no row of a buffer converts; each record gets its own document", async () => {
    const { stream, store } = directStream({ output: { format: "parquet", ...PARQUET } });
    await stream.put(
      recordsOf([
        { k: "a", n: "one" },
        { k: "a", n: 2, price: 123456 },
        { k: "a", n: 3, price: 99999 },
      ]),
    );
    await stream.close();
    assert.deepEqual(
      stream.written.filter((o) => o.kind === "data"),
      [],
    );
    assert.deepEqual(
      failedOf(stream, store).map((d) => rawOf(d).n),
      ["one", 2, 3],
    );
    assert.deepEqual(
      [stream.counts().delivered, stream.counts().failed, stream.counts().buffered],
      [0, 3, 0],
    );
  });

  it("writes nothing for a buffer none of whose records fit the columns' types", async () => {
    const { stream, store } = directStream({ output: { format: "parquet", ...PARQUET } });
    await stream.put(
      recordsOf([
        { k: "a", n: "one" },
        { k: "a", n: "two" },
      ]),
    );
    await stream.close();
    assert.deepEqual(
      stream.written.map((o) => [o.kind, o.records]),
      [["error", 2]],
    );
    assert.deepEqual(
      failedOf(stream, store).map((d) => [rawOf(d).n, d.attemptsMade]),
      [
        ["one", 1],
        ["two", 1],
      ],
    );
  });

  it("adds each row's arrival, segment and line, zero-padded, to a sequenced table's rows", async () => {
    const { stream, store } = directStream({
      output: { format: "parquet", ...PARQUET, sequenced: true },
      journal: true,
    });
    const before = Date.now();
    await stream.put(recordsOf([{ k: "a", n: 1 }]));
    await stream.put(recordsOf([{ k: "a", n: 2 }]));
    await stream.close();
    const [object] = stream.written;
    const rows = (await rowsOf(store.pathOf(object.key), `n, ${ICEBERG_SEQUENCE_COLUMN}`)) as [
      number,
      string,
    ][];
    assert.equal(rows.length, 2);
    rows.forEach(([n, seq], i) => {
      const [arrival, segment, line] = seq.split(".");
      assert.equal(n, i + 1);
      assert.match(seq, /^\d{15}\.\d{15}\.\d{15}$/);
      assert.ok(Number(arrival) >= before && Number(arrival) <= Date.now());
      assert.equal(Number(segment), 1);
      assert.equal(Number(line), i);
    });
  });

  it("writes an Iceberg table's rows under its data root, and GZIPs error documents as its S3 configuration says", async () => {
    const byField: TransformHandler = async (event) => {
      const out = (await passThrough(event)) as { records: { result: string; data: string }[] };
      for (const r of out.records)
        if (Buffer.from(r.data, "base64").toString().includes('"fail"')) r.result = "ProcessingFailed";
      return out;
    };
    const { stream, store } = directStream({
      transform: { handler: byField, buffer: { sizeBytes: 1024, intervalMs: HOUR_MS }, retries: 0 },
      prefix: Prefix.compile("tables/!{partitionKeyFromLambda:k}/data/at=x/", "prefix"),
      output: {
        format: "iceberg",
        tables: [
          { dataRoot: "tables/a/data/", ...PARQUET, failure: ICEBERG_FAILURE },
          { dataRoot: "tables/b/data/", ...PARQUET, failure: ICEBERG_FAILURE },
        ],
        errorCompression: "GZIP",
      },
    });
    await stream.put(
      recordsOf([
        { k: "b", n: 1 },
        { k: "b", n: "x" },
        { k: "a", n: 3, fail: true },
      ]),
    );
    await stream.close();
    const data = stream.written.filter((o) => o.kind === "data");
    assert.deepEqual(
      data.map((o) => o.key.split("/").slice(0, 3).join("/")),
      ["tables/b/data"],
    );
    assert.deepEqual(await rowsOf(store.pathOf(data[0].key), "n"), [[1]]);
    const errors = stream.written.filter((o) => o.kind === "error");
    assert.deepEqual(errors.map((o) => [o.key.split("/")[1], o.key.endsWith(".gz")]).sort(), [
      ["iceberg-failed", true],
      ["processing-failed", true],
    ]);
    assert.deepEqual([...stream.counts().failures].sort(), [
      ["iceberg-failed Iceberg.SchemaMismatch", 1],
      ["processing-failed Lambda.ProcessingFailedStatus", 1],
    ]);
  });

  it("does not GZIP an Iceberg stream's error documents when its S3 configuration does not", async () => {
    const { stream } = directStream({
      prefix: Prefix.compile("tables/!{partitionKeyFromLambda:k}/data/at=x/", "prefix"),
      output: {
        format: "iceberg",
        tables: [{ dataRoot: "tables/a/data/", ...PARQUET, failure: ICEBERG_FAILURE }],
        errorCompression: "UNCOMPRESSED",
      },
    });
    await stream.put(recordsOf([{ k: "a", n: "x" }]));
    await stream.close();
    assert.deepEqual(
      stream.written.map((o) => [o.kind, o.key.split("/")[1], o.key.endsWith(".gz")]),
      [["error", "iceberg-failed", false]],
    );
  });

  it("logs a buffer whose prefix is no Iceberg table's data root, and keeps its records counted as undelivered", async () => {
    const { stream } = directStream({
      prefix: Prefix.compile("tables/!{partitionKeyFromLambda:k}/data/at=x/", "prefix"),
      output: {
        format: "iceberg",
        tables: [{ dataRoot: "tables/a/data/", ...PARQUET, failure: ICEBERG_FAILURE }],
        errorCompression: "UNCOMPRESSED",
      },
    });
    await stream.put(recordsOf([{ k: "c", n: 1 }]));
    await stream.close();
    assert.ok(
      logged.some(
        (l) =>
          l.startsWith("[direct] processing failed:") &&
          l.includes("no Iceberg table's data files go under tables/c/data/at=x/"),
      ),
      logged.join("\n"),
    );
    assert.equal(stream.counts().buffered, 1);
  });
});

describe("local: a delivery stream's journal", () => {
  const logged = captureConsoleError();

  it("settles every record once it is delivered, failed or dropped: a new run on the lake replays none", async () => {
    const byField: TransformHandler = async (event) => {
      const out = (await passThrough(event)) as { records: { result: string; data: string }[] };
      for (const r of out.records) {
        const { r: result } = JSON.parse(Buffer.from(r.data, "base64").toString()) as { r?: string };
        if (result) r.result = result;
      }
      return out;
    };
    const transform = { handler: byField, buffer: { sizeBytes: 1024, intervalMs: HOUR_MS }, retries: 0 };
    const first = directStream({ journal: true, transform });
    await first.stream.put(
      recordsOf([
        { k: "a", n: 1 },
        { k: "b", n: 2 },
        { k: "a", n: 3, r: "Dropped" },
        { k: "a", n: 4 },
        { k: "a", n: 5 },
        { k: "b", n: 6, r: "ProcessingFailed" },
        { k: "b", n: 7 },
      ]),
    );
    await first.stream.put(recordsOf([{ k: "a", n: 8 }]));
    await first.stream.close();
    assert.deepEqual([first.stream.counts().delivered, first.stream.counts().buffered], [6, 0]);
    assert.deepEqual(journalFiles(first.store), []);
    const second = directStream({ journal: true, transform, lakeDir: first.lakeDir });
    assert.equal(second.stream.counts().received, 0);
    await second.stream.close();
    assert.deepEqual(logged, []);
  });

  it("settles a de-aggregated record once every record it held has: a new run replays none", async () => {
    const deaggregation = { subRecordType: "JSON", split: splitJsonObjects };
    const first = directStream({ journal: true, deaggregation });
    const packed = Buffer.from('{"k":"a","n":1}{"k":"b","n":2}');
    await first.stream.put([{ base64: packed.toString("base64"), bytes: packed.length }]);
    await first.stream.put(recordsOf([{ k: "a", n: 3 }]));
    await first.stream.close();
    assert.deepEqual([first.stream.counts().delivered, first.stream.counts().buffered], [3, 0]);
    assert.deepEqual(journalFiles(first.store), []);
    const second = directStream({ journal: true, deaggregation, lakeDir: first.lakeDir });
    assert.equal(second.stream.counts().received, 0);
    await second.stream.close();
  });

  it("keeps a de-aggregated record in the journal while one record it held is not in the lake", async () => {
    const deaggregation = { subRecordType: "JSON", split: splitJsonObjects };
    const retry = { firstDelayMs: 5, maxDelayMs: 5, closeTimeoutMs: 20 };
    const first = directStream({ journal: true, deaggregation, retry });
    mkdirSync(path.join(first.store.bucketDir, "data"), { recursive: true });
    writeFileSync(path.join(first.store.bucketDir, "data", "k=b"), "not a folder");
    const packed = Buffer.from('{"k":"a","n":1}{"k":"b","n":2}');
    await first.stream.put([{ base64: packed.toString("base64"), bytes: packed.length }]);
    await first.stream.put(recordsOf([{ k: "a", n: 3 }]));
    await first.stream.close();
    assert.deepEqual([first.stream.counts().delivered, first.stream.counts().buffered], [2, 1]);
    rmSync(path.join(first.store.bucketDir, "data", "k=b"));
    const second = directStream({ journal: true, deaggregation, lakeDir: first.lakeDir });
    assert.deepEqual([second.stream.counts().received, second.stream.counts().added], [1, 1]);
    await second.stream.close();
    assert.equal(second.stream.counts().delivered, 2);
    assert.deepEqual(journalFiles(first.store), []);
  });

  it("replays the records a run did not deliver, saying how many, and delivers them once", async () => {
    const first = directStream({
      journal: true,
      retry: { firstDelayMs: 5, maxDelayMs: 5, closeTimeoutMs: 20 },
    });
    const { lakeDir, store } = first;
    // A file where the bucket's folder goes: no object can be written.
    writeFileSync(store.bucketDir, "not a folder");
    await first.stream.put(
      recordsOf([
        { k: "a", n: 1 },
        { k: "a", n: 2 },
      ]),
    );
    await first.stream.close();
    rmSync(store.bucketDir);
    const before = logged.length;
    const second = directStream({ journal: true, lakeDir });
    assert.deepEqual([second.stream.counts().received, second.stream.counts().receivedBytes], [2, 32]);
    assert.equal(logged.length, before + 1);
    assert.match(
      logged[before],
      /^\[direct\] replaying 2 records acknowledged before the last run stopped \(journal .+\)$/,
    );
    await second.stream.close();
    assert.equal(
      readFileSync(store.pathOf(second.stream.written[0].key), "utf8"),
      '{"k":"a","n":1}\n{"k":"a","n":2}\n',
    );
  });
});
