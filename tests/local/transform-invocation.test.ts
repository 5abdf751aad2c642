import * as assert from "node:assert/strict";
import fc from "fast-check";
import { AcceptedRecord } from "../../local/records";
import { invokeTransform, InvocationContext } from "../../local/transform-invocation";
import { TransformHandler } from "../../local/transform-bundle";

const records: AcceptedRecord[] = ["a", "b", "c"].map((s, i) => ({
  recordId: `id-${i}`,
  data: { base64: Buffer.from(s).toString("base64"), bytes: s.length },
  arrivalMs: 1_700_000_000_000 + i,
  segment: 0,
  line: 0,
}));

type Reply = { recordId: string; result: string; data?: string; metadata?: unknown };

function context(handler: TransformHandler, retries = 3): InvocationContext {
  return { handler, streamArn: "arn:stream", region: "eu-west-1", retries };
}

function replying(map: (r: { recordId: string; data: string }) => Reply | Reply[]): TransformHandler {
  return async (event) => ({
    records: (event as { records: { recordId: string; data: string }[] }).records.flatMap(map),
  });
}

describe("local: invoking the transform like Firehose's Lambda processor", () => {
  it("sends a Firehose transformation event and maps each result", async () => {
    let seen: unknown;
    const handler: TransformHandler = async (event) => {
      seen = event;
      return {
        records: [
          {
            recordId: "id-0",
            result: "Ok",
            data: Buffer.from("A\n").toString("base64"),
            metadata: { partitionKeys: { k: "v" } },
          },
          { recordId: "id-1", result: "Dropped" },
          { recordId: "id-2", result: "ProcessingFailed", data: "" },
        ],
      };
    };
    const out = await invokeTransform(records, context(handler));
    const event = seen as {
      deliveryStreamArn: string;
      region: string;
      records: unknown[];
      invocationId: string;
    };
    assert.equal(event.deliveryStreamArn, "arn:stream");
    assert.equal(event.region, "eu-west-1");
    assert.match(event.invocationId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(event.records[0], {
      recordId: "id-0",
      approximateArrivalTimestamp: 1_700_000_000_000,
      data: "YQ==",
    });
    assert.deepEqual(out, [
      { result: "Ok", data: Buffer.from("A\n"), partitionKeys: { k: "v" } },
      { result: "Dropped" },
      {
        result: "ProcessingFailed",
        errorCode: "Lambda.ProcessingFailedStatus",
        errorMessage: "ProcessingFailed status set for record",
        attemptsMade: 1,
      },
    ]);
  });

  it("a Kinesis-sourced stream names its source stream and each record's Kinesis metadata", async () => {
    let seen: { sourceKinesisStreamArn?: string; records: { kinesisRecordMetadata?: unknown }[] } | undefined;
    const handler: TransformHandler = async (event) => {
      seen = event as typeof seen;
      return { records: [] };
    };
    await invokeTransform(records.slice(0, 1), {
      ...context(handler, 0),
      sourceKinesisStreamArn: "arn:kinesis",
    });
    assert.equal(seen?.sourceKinesisStreamArn, "arn:kinesis");
    assert.ok(seen?.records[0].kinesisRecordMetadata);
  });

  const batchFailures: [string, TransformHandler, string, RegExp][] = [
    [
      "a missing record id",
      replying((r) => (r.recordId === "id-1" ? [] : { recordId: r.recordId, result: "Ok", data: r.data })),
      "Lambda.MissingRecordId",
      /record IDs were not returned \(id-1\)/,
    ],
    [
      "a duplicated record id",
      replying((r) => [{ recordId: "id-0", result: "Ok", data: r.data }]),
      "Lambda.DuplicatedRecordId",
      /same record ID \(id-0\)/,
    ],
    [
      "a record id that is not a string",
      async () => ({ records: [{ recordId: 0, result: "Dropped" }] }),
      "Lambda.JsonProcessingException",
      /follow the status model/,
    ],
    [
      "a response over 6 MB in another order",
      async (event) => ({
        records: [...(event as { records: { recordId: string }[] }).records]
          .reverse()
          .map((r) => ({ recordId: r.recordId, result: "Ok", data: "A".repeat(2_200_000) })),
      }),
      "Lambda.FunctionError",
      /exceeded maximum allowed payload size \(6291456 bytes\)/,
    ],
    [
      "an unknown result",
      replying((r) => ({ recordId: r.recordId, result: "Fine", data: r.data })),
      "Lambda.JsonProcessingException",
      /follow the status model/,
    ],
    [
      "a response over 6 MB",
      replying((r) => ({ recordId: r.recordId, result: "Ok", data: "A".repeat(2_200_000) })),
      "Lambda.FunctionError",
      /exceeded maximum allowed payload size \(6291456 bytes\)/,
    ],
    [
      "a thrown error",
      async () => {
        throw new Error("boom");
      },
      "Lambda.FunctionError",
      /returned an error result: Error: boom/,
    ],
  ];
  for (const [what, handler, code, message] of batchFailures) {
    it(`${what} fails the whole batch after the retries`, async () => {
      let calls = 0;
      const counting: TransformHandler = (event) => {
        calls++;
        return handler(event);
      };
      const out = await invokeTransform(records, context(counting, 2));
      assert.equal(calls, 3);
      for (const outcome of out) {
        assert.equal(outcome.result, "ProcessingFailed");
        if (outcome.result !== "ProcessingFailed") continue;
        assert.equal(outcome.errorCode, code);
        assert.match(outcome.errorMessage, message);
        assert.equal(outcome.attemptsMade, 3);
      }
    });
  }

  it("maps results to records by id when the response is in another order", async () => {
    const reversed: TransformHandler = async (event) => ({
      records: [...(event as { records: { recordId: string }[] }).records].reverse().map((r) => ({
        recordId: r.recordId,
        result: r.recordId === "id-1" ? "Dropped" : "Ok",
        data: "eA==",
      })),
    });
    const out = await invokeTransform(records, context(reversed, 0));
    assert.deepEqual(out, [
      { result: "Ok", data: Buffer.from("x") },
      { result: "Dropped" },
      { result: "Ok", data: Buffer.from("x") },
    ]);
  });

  it("decodes each Ok record's data as Buffer.from does, in either order", async () => {
    // Any text: canonical, URL-safe, unpadded, with characters base64 skips.
    const text = fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString("base64")),
      fc.stringMatching(/^[A-Za-z0-9+/=_\- !]{0,40}$/),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(text, { minLength: 3, maxLength: 3 }),
        fc.boolean(),
        async (texts, reverse) => {
          const handler: TransformHandler = async (event) => {
            const sent = (event as { records: { recordId: string }[] }).records;
            const results = sent.map((r, i) => ({ recordId: r.recordId, result: "Ok", data: texts[i] }));
            return { records: reverse ? results.reverse() : results };
          };
          const out = await invokeTransform(records, context(handler, 0));
          assert.deepEqual(
            out,
            texts.map((t) => ({ result: "Ok", data: Buffer.from(t, "base64") })),
          );
        },
      ),
    );
  });

  it("a retry that succeeds is used", async () => {
    let calls = 0;
    const flaky: TransformHandler = async (event) => {
      if (++calls === 1) throw new Error("cold start");
      return replying((r) => ({ recordId: r.recordId, result: "Dropped" }))(event);
    };
    const out = await invokeTransform(records, context(flaky));
    assert.deepEqual(out, [{ result: "Dropped" }, { result: "Dropped" }, { result: "Dropped" }]);
  });
});
