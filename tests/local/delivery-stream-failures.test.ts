import * as assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { splitJsonObjects } from "../../local/deaggregation";
import { PutEntry } from "../../local/endpoint";
import { Extraction, MetadataExtractor } from "../../local/metadata-extraction";
import { Prefix } from "../../local/prefix";
import { TransformHandler } from "../../local/transform-bundle";
import { blockLakeWrites, directStream, passThrough, recordsOf } from "./direct-stream";
import { linesOf } from "./harness";
import { captureConsoleError } from "../support/console-capture";

const HOUR_MS = 3_600_000;

const idOf = (entry: PutEntry) => ("RecordId" in entry ? entry.RecordId : undefined);
const LAMBDA_ARN = "arn:aws:lambda:eu-west-1:000000000000:function:f";

interface Document {
  readonly attemptsMade: number;
  readonly arrivalTimestamp: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly attemptEndingTimestamp: number;
  readonly rawData: string;
  readonly lambdaArn?: string;
}

/** The error documents the stream wrote, in order, each with its raw data decoded. */
function documentsOf(
  stream: ReturnType<typeof directStream>["stream"],
  store: ReturnType<typeof directStream>["store"],
): (Document & { key: string; raw: string })[] {
  return stream.written
    .filter((o) => o.kind === "error")
    .flatMap((o) =>
      linesOf(store.pathOf(o.key)).map((l) => {
        const document = JSON.parse(l) as Document;
        return { ...document, key: o.key, raw: Buffer.from(document.rawData, "base64").toString() };
      }),
    );
}

/** The pass-through transform with each record's result chosen by its `r` (default Ok). */
const byField: TransformHandler = async (event) => {
  const out = (await passThrough(event)) as { records: { result: string; data: string }[] };
  for (const r of out.records) {
    const { r: result } = JSON.parse(Buffer.from(r.data, "base64").toString()) as { r?: string };
    if (result) r.result = result;
  }
  return out;
};

/** Waits until `done()` holds (writes are retried on timers); fails after a generous bound. */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 2) {
    if (waited > 10_000) throw new Error("condition not reached");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** The pass-through transform with `k` as the Lambda partition key only when the record has one. */
const keyless: TransformHandler = async (event) => {
  const out = (await passThrough(event)) as { records: { data: string; metadata?: unknown }[] };
  for (const r of out.records) {
    const { k } = JSON.parse(Buffer.from(r.data, "base64").toString()) as { k?: string };
    r.metadata = k === undefined ? undefined : { partitionKeys: { k } };
  }
  return out;
};

/** A query extractor whose answers come from `answer` per record. */
function extractorOf(answer: (record: Record<string, string>) => Extraction): MetadataExtractor {
  return {
    engine: "fast",
    extract: async (records) =>
      records.map((r) => answer(JSON.parse(r.toString()) as Record<string, string>)),
  };
}

describe("local: a delivery stream's failed records", () => {
  captureConsoleError(); // the stream's reports of failed records, which these tests read from the lake instead

  it("writes a ProcessingFailed record's document under processing-failed with its original data; drops Dropped", async () => {
    const { stream, store } = directStream({
      transform: { handler: byField, buffer: { sizeBytes: 1024, intervalMs: HOUR_MS }, retries: 0 },
    });
    const before = Date.now();
    await stream.put(
      recordsOf([
        { k: "a", n: 1 },
        { k: "a", n: 2, r: "ProcessingFailed" },
        { k: "a", n: 3, r: "Dropped" },
        { k: "a", n: 4, r: "Dropped" },
      ]),
    );
    await stream.close();
    const after = Date.now();
    const [document, ...others] = documentsOf(stream, store);
    assert.deepEqual(others, []);
    assert.match(document.key, /^errors\/processing-failed\/direct-1-/);
    const { arrivalTimestamp, attemptEndingTimestamp } = document;
    assert.ok(before <= arrivalTimestamp && arrivalTimestamp <= attemptEndingTimestamp);
    assert.ok(attemptEndingTimestamp <= after);
    assert.equal(
      readFileSync(store.pathOf(document.key), "utf8"),
      `${JSON.stringify({
        attemptsMade: 1,
        arrivalTimestamp,
        errorCode: "Lambda.ProcessingFailedStatus",
        errorMessage: "ProcessingFailed status set for record",
        attemptEndingTimestamp,
        rawData: Buffer.from('{"k":"a","n":2,"r":"ProcessingFailed"}\n').toString("base64"),
        lambdaArn: LAMBDA_ARN,
      })}\n`,
    );
    const counts = stream.counts();
    assert.deepEqual(
      [counts.received, counts.delivered, counts.failed, counts.dropped, counts.buffered],
      [4, 1, 1, 2, 0],
    );
    assert.deepEqual([...counts.failures], [["processing-failed Lambda.ProcessingFailedStatus", 1]]);
  });

  it("fails a batch whose transform keeps throwing after its retries, with the attempts made", async () => {
    let calls = 0;
    const throwing: TransformHandler = async () => {
      calls++;
      throw new Error("boom");
    };
    const { stream, store } = directStream({
      transform: { handler: throwing, buffer: { sizeBytes: 1024, intervalMs: HOUR_MS }, retries: 2 },
    });
    await stream.put(
      recordsOf([
        { k: "a", n: 1 },
        { k: "b", n: 2 },
      ]),
    );
    await stream.close();
    assert.equal(calls, 3);
    const documents = documentsOf(stream, store);
    assert.deepEqual(
      documents.map((d) => [d.attemptsMade, d.errorCode, d.errorMessage, d.raw]),
      [1, 2].map((n, i) => [
        3,
        "Lambda.FunctionError",
        "The Lambda function was successfully invoked but it returned an error result: Error: boom",
        `{"k":"${"ab"[i]}","n":${n}}\n`,
      ]),
    );
    assert.equal(stream.written.length, 1);
  });

  it("passes the stream's ARN and region to the transform, and the source stream's ARN when it has one", async () => {
    const events: Record<string, unknown>[] = [];
    const noting: TransformHandler = async (event) => {
      events.push(event as Record<string, unknown>);
      return passThrough(event);
    };
    const transform = { handler: noting, buffer: { sizeBytes: 1024, intervalMs: HOUR_MS }, retries: 0 };
    const direct = directStream({ transform }).stream;
    const source = "arn:aws:kinesis:eu-west-1:000000000000:stream/s";
    const kinesis = directStream({ transform, sourceKinesisStreamArn: source }).stream;
    assert.deepEqual([direct.directPut, kinesis.directPut], [true, false]);
    for (const stream of [direct, kinesis]) {
      await stream.put(recordsOf([{ k: "a", n: 1 }]));
      await stream.close();
    }
    assert.deepEqual(
      events.map((e) => [e.deliveryStreamArn, e.region, e.sourceKinesisStreamArn]),
      [
        ["arn:aws:firehose:eu-west-1:000000000000:deliverystream/direct", "eu-west-1", undefined],
        ["arn:aws:firehose:eu-west-1:000000000000:deliverystream/direct", "eu-west-1", source],
      ],
    );
  });

  it("sends a record whose Lambda partition key is missing or empty to partitioning-failed, naming the key", async () => {
    const { stream, store } = directStream({
      transform: { handler: keyless, buffer: { sizeBytes: 1024, intervalMs: HOUR_MS }, retries: 0 },
    });
    await stream.put(recordsOf([{ n: 1 }, { k: "", n: 2 }, { k: "a", n: 3 }]));
    await stream.close();
    const message = "partition key 'k' (partitionKeyFromLambda) was not found in the record's keys";
    assert.deepEqual(
      documentsOf(stream, store).map((d) => [
        d.key.split("/")[1],
        d.attemptsMade,
        d.errorCode,
        d.errorMessage,
        d.raw,
        d.lambdaArn,
      ]),
      [
        [
          "partitioning-failed",
          1,
          "DynamicPartitioning.MetadataExtractionFailed",
          message,
          '{"n":1}\n',
          undefined,
        ],
        [
          "partitioning-failed",
          1,
          "DynamicPartitioning.MetadataExtractionFailed",
          message,
          '{"k":"","n":2}\n',
          undefined,
        ],
      ],
    );
    assert.deepEqual([stream.counts().delivered, stream.counts().failed], [1, 2]);
  });

  it("names the first key missing, the query's before the Lambda's", async () => {
    const { stream, store } = directStream({
      extractor: extractorOf((r) => ({
        ok: true,
        keys: r.q === undefined ? {} : ({ q: r.q } as Record<string, string>),
      })),
      prefix: Prefix.compile("d/!{partitionKeyFromQuery:q}/!{partitionKeyFromLambda:k}/", "prefix"),
      transform: { handler: keyless, buffer: { sizeBytes: 1024, intervalMs: HOUR_MS }, retries: 0 },
    });
    await stream.put(recordsOf([{ k: "a" }, { q: "x", k: "b" }, { q: "x" }, {}]));
    await stream.close();
    const missing = (key: string, namespace: string) =>
      `partition key '${key}' (${namespace}) was not found in the record's keys`;
    assert.deepEqual(
      documentsOf(stream, store).map((d) => [d.errorMessage, d.raw]),
      [
        [missing("q", "partitionKeyFromQuery"), '{"k":"a"}\n'],
        [missing("k", "partitionKeyFromLambda"), '{"q":"x"}\n'],
        [missing("q", "partitionKeyFromQuery"), "{}\n"],
      ],
    );
    assert.deepEqual(
      stream.written.filter((o) => o.kind === "data").map((o) => o.key.split("/").slice(1, 3).join("/")),
      ["x/b"],
    );
  });

  it("fails a record its query cannot extract keys from, with the extractor's message, and every record when it throws", async () => {
    const failing = directStream({
      extractor: extractorOf((r) =>
        r.q ? { ok: true, keys: { q: r.q } } : { ok: false, message: "no q here" },
      ),
      prefix: Prefix.compile("d/!{partitionKeyFromQuery:q}/", "prefix"),
    });
    await failing.stream.put(recordsOf([{ q: "x" }, { n: 1 }]));
    await failing.stream.close();
    assert.deepEqual(
      documentsOf(failing.stream, failing.store).map((d) => [d.errorCode, d.errorMessage, d.raw]),
      [["DynamicPartitioning.MetadataExtractionFailed", "no q here", '{"n":1}\n']],
    );

    const throwing = directStream({
      extractor: { engine: "jq", extract: () => Promise.reject(new Error("bad query")) },
      prefix: Prefix.compile("d/!{partitionKeyFromQuery:q}/", "prefix"),
    });
    await throwing.stream.put(recordsOf([{ q: "x" }, { q: "y" }]));
    await throwing.stream.close();
    assert.deepEqual(
      documentsOf(throwing.stream, throwing.store).map((d) => [d.errorMessage, d.raw]),
      [
        ["jq failed: Error: bad query", '{"q":"x"}\n'],
        ["jq failed: Error: bad query", '{"q":"y"}\n'],
      ],
    );
  });

  it("fails a record whose evaluated prefix is over 512 characters, with the prefix's message", async () => {
    const { stream, store } = directStream();
    const long = "x".repeat(510);
    await stream.put(recordsOf([{ k: long }]));
    await stream.close();
    const [document] = documentsOf(stream, store);
    assert.equal(document.errorCode, "DynamicPartitioning.MetadataExtractionFailed");
    assert.equal(
      document.errorMessage,
      `evaluated prefix is 518 characters, over Firehose's 512: data/k=${long}/`,
    );
    assert.deepEqual([stream.counts().failed, stream.counts().buffered], [1, 0]);
  });

  it("de-aggregates records before the transform, counting the records added, and fails one it cannot split", async () => {
    const ids: string[] = [];
    const noting: TransformHandler = async (event) => {
      for (const r of (event as { records: { recordId: string }[] }).records) ids.push(r.recordId);
      return passThrough(event);
    };
    const { stream, store } = directStream({
      deaggregation: { subRecordType: "JSON", split: splitJsonObjects },
      transform: { handler: noting, buffer: { sizeBytes: 1024, intervalMs: HOUR_MS }, retries: 0 },
    });
    const packed = [
      { base64: Buffer.from('{"k":"a","n":1}{"k":"a","n":2}{"k":"b","n":3}').toString("base64"), bytes: 45 },
      { base64: Buffer.from("{not json").toString("base64"), bytes: 9 },
    ];
    const entries = await stream.put(packed);
    await stream.close();
    const counts = stream.counts();
    assert.deepEqual(
      [counts.received, counts.receivedBytes, counts.added, counts.delivered, counts.failed, counts.buffered],
      [2, 54, 2, 3, 1, 0],
    );
    assert.equal(new Set([...ids, ...entries.map(idOf)]).size, 5);
    const [document] = documentsOf(stream, store);
    assert.equal(document.key.split("/")[1], "partitioning-failed");
    assert.equal(document.errorCode, "DynamicPartitioning.MetadataExtractionFailed");
    assert.match(document.errorMessage, /^The record could not be de-aggregated as JSON: .+\.$/);
    assert.equal(document.raw, "{not json");
  });
});

describe("local: a delivery stream's acknowledgements", () => {
  const logged = captureConsoleError();

  it("answers each record with a 56-digit id, one prefix per stream and a sequence from 1", async () => {
    const { stream } = directStream();
    const entries = await stream.put(recordsOf([{ k: "a" }, { k: "b" }]));
    const [third] = await stream.put(recordsOf([{ k: "c" }]));
    const ids = [...entries, third].map((e) => idOf(e) ?? "");
    for (const id of ids) assert.match(id, /^\d{56}$/);
    assert.deepEqual(
      ids.map((id) => id.slice(36)),
      ["00000000000000000001", "00000000000000000002", "00000000000000000003"],
    );
    assert.equal(new Set(ids.map((id) => id.slice(0, 36))).size, 1);
    const other = directStream().stream;
    const [elsewhere] = await other.put(recordsOf([{ k: "a" }]));
    assert.notEqual(idOf(elsewhere)?.slice(0, 36), ids[0].slice(0, 36));
    await Promise.all([stream.close(), other.close()]);
  });

  it("reports the configured name, encryption and description, and counts the bytes received", async () => {
    const { stream } = directStream({ name: "named", encrypted: true, description: { a: 1 } });
    assert.deepEqual([stream.name, stream.encrypted, stream.description()], ["named", true, { a: 1 }]);
    await stream.put(recordsOf([{ k: "a" }, { k: "bb" }]));
    assert.deepEqual(
      [stream.counts().received, stream.counts().receivedBytes, stream.counts().buffered],
      [2, 21, 2],
    );
    await stream.close();
  });

  it("refuses records once it is closing, without counting or journaling them", async () => {
    const { stream, store } = directStream({ journal: true });
    await stream.close();
    const entries = await stream.put(recordsOf([{ k: "a" }]));
    assert.deepEqual(entries, [
      { ErrorCode: "ServiceUnavailableException", ErrorMessage: "The stream is shutting down." },
    ]);
    assert.equal(stream.counts().received, 0);
    const journal = store.journalDir("direct");
    assert.deepEqual(
      existsSync(journal) ? readdirSync(journal).filter((f) => f.endsWith(".journal")) : [],
      [],
    );
  });

  it("throttles records over the put quota with Slow down., and counts them", async () => {
    const { stream } = directStream({ putQuotaBytesPerSecond: 15 });
    const entries = await stream.put(recordsOf([{ k: "a" }, { k: "b" }]));
    assert.ok(idOf(entries[0]));
    assert.deepEqual(entries[1], { ErrorCode: "ServiceUnavailableException", ErrorMessage: "Slow down." });
    assert.deepEqual([stream.counts().received, stream.counts().throttled], [1, 1]);
    await stream.close();
    assert.equal(stream.counts().delivered, 1);
  });

  it("says records are lost when a write never succeeds and the stream has no journal", async () => {
    const { stream, lakeDir } = directStream({
      retry: { firstDelayMs: 10, maxDelayMs: 20, closeTimeoutMs: 50 },
    });
    blockLakeWrites(lakeDir);
    await stream.put(recordsOf([{ k: "a" }, { k: "a" }]));
    await stream.close();
    assert.equal(stream.counts().buffered, 2);
    assert.equal(
      logged[logged.length - 1],
      "[direct] 2 ACKNOWLEDGED RECORDS WERE NOT DELIVERED: they are lost (the stream has no journal)",
    );
  });

  it("retries a failing write with doubling delays up to the maximum, and gives up as the stream closes", async () => {
    const { stream, lakeDir } = directStream({
      retry: { firstDelayMs: 5, maxDelayMs: 20, closeTimeoutMs: 150 },
      transform: { handler: passThrough, buffer: { sizeBytes: 1, intervalMs: HOUR_MS }, retries: 0 },
      buffer: { sizeBytes: 1, intervalMs: HOUR_MS },
    });
    blockLakeWrites(lakeDir);
    await stream.put(recordsOf([{ k: "a" }]));
    await stream.close();
    const failures = logged.filter((l) => l.includes("LAKE WRITE FAILED"));
    const key = /records to (\S+):/.exec(failures[0])?.[1] ?? "";
    assert.match(key, /^data\/k=a\/direct-1-/);
    assert.match(
      failures[0],
      new RegExp(
        `^\\[direct\\] LAKE WRITE FAILED \\(attempt 1\\): 1 records to ${key}: .*; retrying in 5 ms, the records stay buffered$`,
      ),
    );
    const delays = failures.map(
      (l) => /retrying in (\d+) ms|giving up as the stream closes$/.exec(l)?.[1] ?? "gave up",
    );
    assert.deepEqual(delays.slice(0, 4), ["5", "10", "20", "20"]);
    assert.equal(delays[delays.length - 1], "gave up");
    assert.equal(delays.filter((d) => d === "gave up").length, 1);
    // Over 150 ms with delays of 20 ms, about nine attempts: a close does not hurry the delays.
    assert.ok(failures.length <= 15, `${failures.length} attempts`);
    assert.equal(stream.counts().buffered, 1);
  });

  it("logs a write that succeeds after failing with its attempt, and nothing for one that succeeds at once", async () => {
    const { stream, lakeDir } = directStream({
      retry: { firstDelayMs: 5, maxDelayMs: 5, closeTimeoutMs: 5000 },
      transform: { handler: passThrough, buffer: { sizeBytes: 1, intervalMs: HOUR_MS }, retries: 0 },
      buffer: { sizeBytes: 1, intervalMs: HOUR_MS },
    });
    await stream.put(recordsOf([{ k: "b" }]));
    const blocker = blockLakeWrites(lakeDir, "data/k=a");
    await stream.put(recordsOf([{ k: "a" }]));
    await until(() => logged.some((l) => l.includes("(attempt 2)")));
    rmSync(blocker);
    await stream.close();
    assert.equal(stream.counts().delivered, 2);
    const succeeded = logged.filter((l) => l.includes("succeeded"));
    assert.equal(succeeded.length, 1);
    assert.match(
      succeeded[0],
      /^\[direct\] lake write succeeded at attempt \d+: 1 records to data\/k=a\/direct-1-/,
    );
  });

  it("retries a write waiting on a long delay at once when the stream closes", async () => {
    const { stream, lakeDir } = directStream({
      retry: { firstDelayMs: 60_000, maxDelayMs: 60_000, closeTimeoutMs: 1000 },
      transform: { handler: passThrough, buffer: { sizeBytes: 1, intervalMs: HOUR_MS }, retries: 0 },
      buffer: { sizeBytes: 1, intervalMs: HOUR_MS },
    });
    const blocker = blockLakeWrites(lakeDir);
    await stream.put(recordsOf([{ k: "a" }]));
    await until(() => logged.some((l) => l.includes("retrying in 60000 ms")));
    rmSync(blocker);
    const started = Date.now();
    await stream.close();
    assert.ok(Date.now() - started < 5000);
    assert.equal(stream.counts().delivered, 1);
  });

  it("gives up at once on a write whose next delay would pass the close timeout", async () => {
    const { stream, lakeDir } = directStream({
      retry: { firstDelayMs: 60_000, maxDelayMs: 60_000, closeTimeoutMs: 1000 },
      transform: { handler: passThrough, buffer: { sizeBytes: 1, intervalMs: HOUR_MS }, retries: 0 },
      buffer: { sizeBytes: 1, intervalMs: HOUR_MS },
    });
    blockLakeWrites(lakeDir);
    await stream.put(recordsOf([{ k: "a" }]));
    await until(() => logged.some((l) => l.includes("retrying in 60000 ms")));
    const started = Date.now();
    await stream.close();
    assert.ok(Date.now() - started < 5000);
    assert.match(logged[logged.length - 2], /\(attempt 2\): .*; giving up as the stream closes$/);
    assert.equal(stream.counts().buffered, 1);
  });

  it("retries after 100 ms, doubling, by default, and gives up once the 5 s close timeout would pass", async () => {
    const { stream, lakeDir } = directStream({
      transform: { handler: passThrough, buffer: { sizeBytes: 1, intervalMs: HOUR_MS }, retries: 0 },
      buffer: { sizeBytes: 1, intervalMs: HOUR_MS },
    });
    blockLakeWrites(lakeDir);
    await stream.put(recordsOf([{ k: "a" }]));
    await stream.close();
    const outcomes = logged
      .filter((l) => l.includes("LAKE WRITE FAILED"))
      .map((l) => /retrying in (\d+) ms|(giving up)/.exec(l)?.slice(1).join("") ?? l);
    assert.deepEqual(outcomes.slice(0, 4), ["100", "200", "400", "800"]);
    assert.equal(outcomes[outcomes.length - 1], "giving up");
  }).timeout(20_000);
});
