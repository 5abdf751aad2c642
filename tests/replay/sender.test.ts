import * as assert from "node:assert/strict";
import { MAX_BATCH_BYTES } from "../../local/put-request";
import {
  backoffMs,
  batchesOf,
  RateLimit,
  RecordSink,
  RetryPolicy,
  sendBatch,
  SendError,
} from "../../replay/sender";

const records = (n: number, bytes: number) =>
  Array.from({ length: n }, (_, i) => ({ data: Buffer.alloc(bytes, i % 256), ref: i }));

function policy(waits: number[]): RetryPolicy {
  return {
    attempts: 5,
    baseMs: 100,
    maxMs: 1000,
    random: () => 0.5,
    sleep: async (ms) => void waits.push(ms),
  };
}

describe("replay: sending like a good producer", () => {
  it("batches at most 500 records and 4 MiB per call, and at most the rate limit's second", () => {
    assert.deepEqual(
      [...batchesOf(records(1001, 10))].map((b) => b.length),
      [500, 500, 1],
    );
    const big = [...batchesOf(records(9, 1024 * 1024))];
    assert.deepEqual(
      big.map((b) => b.length),
      [4, 4, 1],
    );
    assert.ok(big.every((b) => b.reduce((n, r) => n + r.data.length, 0) <= MAX_BATCH_BYTES));
    assert.deepEqual(
      [...batchesOf(records(10, 300), 1000)].map((b) => b.length),
      [3, 3, 3, 1],
    );
  });

  it("retries only the entries a partial failure names, with jittered exponential backoff, acknowledging as it goes", async () => {
    const calls: number[][] = [];
    const sink: RecordSink = {
      target: "s",
      put: async (data) => {
        calls.push(data.map((d) => d[0]));
        // The first two calls throttle every odd record.
        return data.map((d) =>
          calls.length <= 2 && d[0] % 2 === 1 ? "ServiceUnavailableException: Slow down." : undefined,
        );
      },
    };
    const acked: number[][] = [];
    const waits: number[] = [];
    const failed = await sendBatch(
      sink,
      records(6, 1),
      async (a) => void acked.push(a.map((r) => r.ref)),
      policy(waits),
    );
    assert.deepEqual(failed, []);
    assert.deepEqual(calls, [
      [0, 1, 2, 3, 4, 5],
      [1, 3, 5],
      [1, 3, 5],
    ]);
    assert.deepEqual(acked, [[0, 2, 4], [], [1, 3, 5]]);
    assert.deepEqual(waits, [100, 200]); // half (the jitter) of 100 × 2^1 and 100 × 2^2
  });

  it("gives up after the last attempt and returns what still fails with its reason", async () => {
    const sink: RecordSink = { target: "s", put: async (d) => d.map(() => "InternalFailure: x") };
    const failed = await sendBatch(sink, records(2, 1), async () => undefined, policy([]));
    assert.deepEqual(
      failed.map((f) => [f.record.ref, f.reason]),
      [
        [0, "InternalFailure: x"],
        [1, "InternalFailure: x"],
      ],
    );
  });

  it("retries a throttled call, and throws at once on an error retrying cannot fix", async () => {
    let n = 0;
    const throttled: RecordSink = {
      target: "s",
      put: async (d) => {
        if (n++ === 0) throw Object.assign(new Error("Slow down."), { name: "ServiceUnavailableException" });
        return d.map(() => undefined);
      },
    };
    assert.deepEqual(await sendBatch(throttled, records(2, 1), async () => undefined, policy([])), []);
    const missing: RecordSink = {
      target: "firehose-etl-dev-nope",
      put: async () => {
        throw Object.assign(new Error("Firehose firehose-etl-dev-nope not found."), {
          name: "ResourceNotFoundException",
        });
      },
    };
    await assert.rejects(
      sendBatch(missing, records(1, 1), async () => undefined, policy([])),
      (err: Error) =>
        err instanceof SendError &&
        /firehose-etl-dev-nope failed: ResourceNotFoundException/.test(err.message),
    );
  });

  it("backoff is capped and never negative", () => {
    const p = { ...policy([]), random: () => 0.999 };
    assert.equal(backoffMs(p, 20), 999);
    assert.equal(backoffMs({ ...p, random: () => 0 }, 3), 0);
  });

  it("the rate limit waits so that the bytes sent never run ahead of the rate", async () => {
    let now = 0;
    const waits: number[] = [];
    const limit = new RateLimit(
      1000,
      () => now,
      async (ms) => {
        waits.push(ms);
        now += ms;
      },
    );
    assert.equal(limit.batchBytes, 1000);
    await limit.take(1000);
    await limit.take(1000);
    now += 500;
    await limit.take(1000);
    assert.deepEqual(waits, [1000, 500]);
  });
});
