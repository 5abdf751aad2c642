import * as assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { MetadataExtractor } from "../../local/metadata-extraction";
import { Prefix } from "../../local/prefix";
import { TransformHandler } from "../../local/transform-bundle";
import { directStream, passThrough, recordsOf } from "./direct-stream";
import { UUID } from "./harness";

const HOUR_MS = 3_600_000;
/** `{"k":"a","n":1}\n`: every record of these tests with a one-letter `k` and a one-digit `n`. */
const RECORD_BYTES = 16;

/** Waits until `done()` holds (the stream works on timers); fails after `withinMs`. */
async function eventually(done: () => boolean, withinMs = 10_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * An interval hint of 100 ms is checked every 10 ms (a tenth of the shortest interval, at least 10 ms and at most
 * a second): met well within 600 ms, where checking every second would not be.
 */
const INTERVAL_MS = 100;
const WITHIN_MS = 600;

/** The pass-through transform, noting the number of records of each event it is given. */
function counting(): { handler: TransformHandler; batches: number[] } {
  const batches: number[] = [];
  return {
    batches,
    handler: async (event) => {
      batches.push((event as { records: unknown[] }).records.length);
      return passThrough(event);
    },
  };
}

/** `yyyy-MM-dd-HH-mm-ss` in UTC, as object names carry the oldest record's arrival. */
const suffixTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace(/[T:]/g, "-");

describe("local: a delivery stream's buffers", () => {
  it("hands the transform batches of at most its buffer's size once that size is pending, the rest at close", async () => {
    const { handler, batches } = counting();
    const { stream } = directStream({
      transform: { handler, buffer: { sizeBytes: 3 * RECORD_BYTES, intervalMs: HOUR_MS }, retries: 0 },
    });
    await stream.put(recordsOf([1, 2, 3, 4, 5, 6, 7].map((n) => ({ k: "a", n }))));
    assert.deepEqual(batches, [3, 3]);
    await stream.close();
    assert.deepEqual(batches, [3, 3, 1]);
    assert.equal(stream.counts().delivered, 7);
  });

  it("invokes the transform as soon as exactly its size is pending, not one byte before", async () => {
    const { handler, batches } = counting();
    const { stream } = directStream({
      transform: { handler, buffer: { sizeBytes: 2 * RECORD_BYTES, intervalMs: HOUR_MS }, retries: 0 },
    });
    await stream.put(recordsOf([{ k: "a", n: 1 }]));
    assert.deepEqual(batches, []);
    await stream.put(recordsOf([{ k: "a", n: 2 }]));
    assert.deepEqual(batches, [2]);
    await stream.close();
    assert.deepEqual(batches, [2]);
  });

  it("gives a record larger than the transform's buffer an invocation of its own", async () => {
    const { handler, batches } = counting();
    const { stream } = directStream({
      transform: { handler, buffer: { sizeBytes: RECORD_BYTES + 1, intervalMs: HOUR_MS }, retries: 0 },
    });
    await stream.put(
      recordsOf([
        { k: "a", n: 1, long: "x".repeat(40) },
        { k: "a", n: 2 },
        { k: "a", n: 3 },
      ]),
    );
    assert.deepEqual(batches, [1, 1]);
    await stream.close();
    assert.deepEqual(batches, [1, 1, 1]);
  });

  it("invokes the transform when its interval has passed, with what is pending", async () => {
    const { handler, batches } = counting();
    const { stream } = directStream({
      transform: { handler, buffer: { sizeBytes: 1024 * 1024, intervalMs: INTERVAL_MS }, retries: 0 },
      buffer: { sizeBytes: 1, intervalMs: HOUR_MS },
    });
    await stream.put(recordsOf([{ k: "a", n: 1 }]));
    await stream.put(recordsOf([{ k: "a", n: 2 }]));
    assert.deepEqual(batches, []);
    await eventually(() => stream.counts().delivered === 2, WITHIN_MS);
    assert.deepEqual(batches, [2]);
    await stream.close();
  });

  it("times the transform's interval from the oldest pending record: a steady trickle does not hold it back", async () => {
    const { handler, batches } = counting();
    const { stream } = directStream({
      transform: { handler, buffer: { sizeBytes: 1024 * 1024, intervalMs: INTERVAL_MS }, retries: 0 },
    });
    // A record every 20 ms: never 100 ms without one.
    for (let n = 0; batches.length === 0; n++) {
      if (n > 50) assert.fail("the transform was not invoked while records kept arriving");
      await stream.put(recordsOf([{ k: "a", n: n % 10 }]));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await stream.close();
  });

  it("writes a partition's object as soon as it reaches the size hint, exactly, and the others' at close", async () => {
    const { stream } = directStream({
      transform: { handler: passThrough, buffer: { sizeBytes: 1, intervalMs: HOUR_MS }, retries: 0 },
      buffer: { sizeBytes: 2 * RECORD_BYTES, intervalMs: HOUR_MS },
    });
    await stream.put(recordsOf([{ k: "a", n: 1 }]));
    await stream.put(recordsOf([{ k: "b", n: 2 }]));
    await stream.put(recordsOf([{ k: "a", n: 3 }]));
    await eventually(() => stream.written.length === 1);
    assert.equal(stream.counts().buffered, 1);
    assert.deepEqual(
      stream.written.map((o) => [o.key.split("/")[1], o.kind, o.records, o.bytes]),
      [["k=a", "data", 2, 2 * RECORD_BYTES]],
    );
    await stream.close();
    assert.deepEqual(
      stream.written.map((o) => [o.key.split("/")[1], o.records]),
      [
        ["k=a", 2],
        ["k=b", 1],
      ],
    );
  });

  it("writes a partition's object when the interval hint has passed, before the size hint", async () => {
    const { stream } = directStream({
      transform: { handler: passThrough, buffer: { sizeBytes: 1, intervalMs: HOUR_MS }, retries: 0 },
      buffer: { sizeBytes: 1024 * 1024, intervalMs: INTERVAL_MS },
    });
    await stream.put(recordsOf([{ k: "a", n: 1 }]));
    await stream.put(recordsOf([{ k: "b", n: 2 }]));
    await eventually(() => stream.written.length === 2, WITHIN_MS);
    assert.equal(stream.counts().delivered, 2);
    assert.equal(stream.counts().buffered, 0);
    await stream.close();
    assert.equal(stream.written.length, 2);
  });

  it("writes error documents at the interval hint and at the size hint too", async () => {
    const failing: TransformHandler = async (event) => ({
      records: (event as { records: { recordId: string }[] }).records.map((r) => ({
        recordId: r.recordId,
        result: "ProcessingFailed",
      })),
    });
    const bySize = directStream({
      transform: { handler: failing, buffer: { sizeBytes: 1, intervalMs: HOUR_MS }, retries: 0 },
      buffer: { sizeBytes: 2 * RECORD_BYTES, intervalMs: HOUR_MS },
    }).stream;
    await bySize.put(recordsOf([{ k: "a", n: 1 }]));
    await bySize.put(recordsOf([{ k: "b", n: 2 }]));
    await eventually(() => bySize.written.length === 1);
    assert.deepEqual(
      bySize.written.map((o) => [o.key.split("/").slice(0, 2).join("/"), o.kind, o.records]),
      [["errors/processing-failed", "error", 2]],
    );
    assert.equal(bySize.counts().failed, 2);
    await bySize.close();

    const byInterval = directStream({
      transform: { handler: failing, buffer: { sizeBytes: 1, intervalMs: HOUR_MS }, retries: 0 },
      buffer: { sizeBytes: 1024 * 1024, intervalMs: INTERVAL_MS },
    }).stream;
    await byInterval.put(recordsOf([{ k: "a", n: 1 }]));
    await eventually(() => byInterval.written.length === 1, WITHIN_MS);
    assert.equal(byInterval.counts().failed, 1);
    await byInterval.close();
  });

  it("names an object after its prefix, the stream, version 1, its oldest record's arrival and a UUID", async () => {
    const { stream, store } = directStream();
    const before = Date.now();
    await stream.put(recordsOf([{ k: "a", n: 1 }]));
    await stream.put(recordsOf([{ k: "a", n: 2 }]));
    await stream.close();
    const [object] = stream.written;
    const times = new Set([suffixTime(before), suffixTime(Date.now())]);
    const match = new RegExp(`^data/k=a/direct-1-(.{19})-${UUID}$`).exec(object.key);
    assert.ok(match && times.has(match[1]), object.key);
    assert.equal(readFileSync(store.pathOf(object.key), "utf8"), '{"k":"a","n":1}\n{"k":"a","n":2}\n');
    assert.deepEqual([object.records, object.bytes], [2, 32]);
  });

  it("GZIPs objects and error documents for a GZIP stream, naming them .gz; records its compressed size", async () => {
    const rejectB: TransformHandler = async (event) => {
      const out = (await passThrough(event)) as { records: { result: string; data: string }[] };
      for (const r of out.records)
        if (Buffer.from(r.data, "base64").toString().includes('"b"')) r.result = "ProcessingFailed";
      return out;
    };
    const { stream, store } = directStream({
      output: { format: "json", compression: "GZIP" },
      transform: { handler: rejectB, buffer: { sizeBytes: 1024, intervalMs: HOUR_MS }, retries: 0 },
    });
    await stream.put(
      recordsOf([
        { k: "a", n: 1 },
        { k: "b", n: 2 },
        { k: "a", n: 3 },
      ]),
    );
    await stream.close();
    const [data] = stream.written.filter((o) => o.kind === "data");
    const [error] = stream.written.filter((o) => o.kind === "error");
    assert.match(data.key, new RegExp(`^data/k=a/direct-1-.{19}-${UUID}\\.gz$`));
    assert.match(error.key, new RegExp(`^errors/processing-failed/direct-1-.{19}-${UUID}\\.gz$`));
    const gzipped = readFileSync(store.pathOf(data.key));
    assert.equal(gunzipSync(gzipped).toString(), '{"k":"a","n":1}\n{"k":"a","n":3}\n');
    assert.equal(data.bytes, gzipped.length);
    const document = JSON.parse(gunzipSync(readFileSync(store.pathOf(error.key))).toString()) as {
      rawData: string;
    };
    assert.equal(Buffer.from(document.rawData, "base64").toString(), '{"k":"b","n":2}\n');
    assert.deepEqual([error.kind, error.records], ["error", 1]);
  });

  it("keeps key values apart that would concatenate alike, within and across the key namespaces", async () => {
    const extractor: MetadataExtractor = {
      engine: "fast",
      extract: async (records) =>
        records.map((r) => {
          const { q1, q2 } = JSON.parse(r.toString()) as { q1: string; q2: string };
          return { ok: true, keys: { q1, q2 } };
        }),
    };
    const lambdaKeys: TransformHandler = async (event) => {
      const out = (await passThrough(event)) as { records: { data: string; metadata: unknown }[] };
      for (const r of out.records) {
        const { l } = JSON.parse(Buffer.from(r.data, "base64").toString()) as { l: string };
        r.metadata = { partitionKeys: { l } };
      }
      return out;
    };
    const { stream } = directStream({
      extractor,
      transform: { handler: lambdaKeys, buffer: { sizeBytes: 1024, intervalMs: HOUR_MS }, retries: 0 },
      prefix: Prefix.compile(
        "d/!{partitionKeyFromQuery:q1}/!{partitionKeyFromQuery:q2}/!{partitionKeyFromLambda:l}/",
        "prefix",
      ),
    });
    await stream.put(
      recordsOf([
        { q1: "a", q2: "bc", l: "d" },
        { q1: "ab", q2: "c", l: "d" },
        { q1: "a", q2: "b", l: "cd" },
        { q1: "a", q2: "bcd", l: "d" },
        { q1: "a", q2: "bc", l: "d" },
      ]),
    );
    await stream.close();
    assert.deepEqual(stream.written.map((o) => [o.key.split("/").slice(1, 4).join("/"), o.records]).sort(), [
      ["a/b/cd", 1],
      ["a/bc/d", 2],
      ["a/bcd/d", 1],
      ["ab/c/d", 1],
    ]);
  });

  it("sends a record for a new partition over the active-partition limit to the error prefix, not one for an open one", async () => {
    const { stream } = directStream({ activePartitionLimit: 2 });
    await stream.put(
      recordsOf([
        { k: "a", n: 1 },
        { k: "b", n: 2 },
        { k: "c", n: 3 },
        { k: "a", n: 4 },
      ]),
    );
    await stream.close();
    const counts = stream.counts();
    assert.deepEqual([counts.delivered, counts.failed, counts.buffered], [3, 1, 0]);
    assert.deepEqual(
      [...counts.failures],
      [["partitioning-failed DynamicPartitioning.ActivePartitionsLimitExceeded", 1]],
    );
    assert.deepEqual(stream.written.map((o) => [o.key.split("/").slice(0, 2).join("/"), o.records]).sort(), [
      ["data/k=a", 2],
      ["data/k=b", 1],
      ["errors/partitioning-failed", 1],
    ]);
  });

  it("frees a partition once its object is written: a new one then fits under the limit", async () => {
    const { stream } = directStream({
      activePartitionLimit: 1,
      transform: { handler: passThrough, buffer: { sizeBytes: 1, intervalMs: HOUR_MS }, retries: 0 },
      buffer: { sizeBytes: RECORD_BYTES, intervalMs: HOUR_MS },
    });
    await stream.put(recordsOf([{ k: "a", n: 1 }]));
    await stream.put(recordsOf([{ k: "b", n: 2 }]));
    await stream.close();
    assert.deepEqual([stream.counts().delivered, stream.counts().failed], [2, 0]);
  });

  it("applies the limit to partitioning by query alone, and not to a stream without dynamic partitioning", async () => {
    const extractor: MetadataExtractor = {
      engine: "fast",
      extract: async (records) =>
        records.map((r) => ({ ok: true, keys: { k: (JSON.parse(r.toString()) as { k: string }).k } })),
    };
    const byQuery = directStream({
      extractor,
      activePartitionLimit: 1,
      prefix: Prefix.compile("q/!{partitionKeyFromQuery:k}/", "prefix"),
    }).stream;
    await byQuery.put(
      recordsOf([
        { k: "a", n: 1 },
        { k: "b", n: 2 },
      ]),
    );
    await byQuery.close();
    assert.deepEqual([byQuery.counts().delivered, byQuery.counts().failed], [1, 1]);

    const unpartitioned = directStream({
      activePartitionLimit: 0,
      prefix: Prefix.compile("plain/", "prefix"),
    }).stream;
    await unpartitioned.put(
      recordsOf([
        { k: "a", n: 1 },
        { k: "b", n: 2 },
      ]),
    );
    await unpartitioned.close();
    assert.deepEqual([unpartitioned.counts().delivered, unpartitioned.counts().failed], [2, 0]);
    assert.match(unpartitioned.written[0].key, /^plain\/\d{4}\/\d\d\/\d\d\/\d\d\/direct-1-/);
  });
});

describe("local: a delivery stream's backpressure", () => {
  const consoleError = console.error;
  beforeEach(() => {
    console.error = () => undefined;
  });
  afterEach(() => {
    console.error = consoleError;
  });

  it("makes PutRecordBatch wait while over 64 MiB of writes are in flight, and answer once they are done", async () => {
    // Each record whole, in an object of its own, under a partition of its own key.
    const unchanged: TransformHandler = async (event) => ({
      records: (event as { records: { recordId: string; data: string }[] }).records.map((r) => ({
        recordId: r.recordId,
        result: "Ok",
        data: r.data,
        metadata: { partitionKeys: { k: "a" } },
      })),
    });
    const { stream, store } = directStream({
      transform: { handler: unchanged, buffer: { sizeBytes: 1, intervalMs: HOUR_MS }, retries: 0 },
      buffer: { sizeBytes: 1, intervalMs: HOUR_MS },
      retry: { firstDelayMs: 5, maxDelayMs: 5, closeTimeoutMs: 5000 },
    });
    mkdirSync(store.bucketDir, { recursive: true });
    const blocker = path.join(store.bucketDir, "data");
    writeFileSync(blocker, "not a folder");
    const bytes = Buffer.alloc(4 * 1024 * 1024, "x");
    const record = { base64: bytes.toString("base64"), bytes: bytes.length };
    for (let i = 0; i < 16; i++) await stream.put([record]); // 64 MiB: not over
    const waiting = stream.put([record]);
    const first = await Promise.race([
      waiting.then(() => "answered"),
      new Promise((resolve) => setTimeout(() => resolve("waiting"), 100)),
    ]);
    assert.equal(first, "waiting");
    rmSync(blocker);
    await waiting;
    await stream.close();
    assert.equal(stream.counts().delivered, 17);
  }).timeout(20_000);
});
