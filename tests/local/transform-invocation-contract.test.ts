// The transformation event's exact shape and the response contract's edges: what Firehose accepts at the limit,
// and the exact error each broken response gets.
import * as assert from "node:assert/strict";
import { AcceptedRecord } from "../../local/records";
import {
  invokeTransform,
  InvocationContext,
  MAX_RESPONSE_BYTES,
  TransformOutcome,
} from "../../local/transform-invocation";
import { TransformHandler } from "../../local/transform-bundle";

const records: AcceptedRecord[] = ["a", "b", "c"].map((s, i) => ({
  recordId: `id-${i}`,
  data: { base64: Buffer.from(s).toString("base64"), bytes: s.length },
  arrivalMs: 1_700_000_000_000 + i,
  segment: 0,
  line: 0,
}));

const INVALID_RESPONSE =
  "There was an error parsing returned records from the Lambda function. Ensure that the returned records follow the status model required by Kinesis Data Firehose.";

function context(handler: TransformHandler, retries = 0): InvocationContext {
  return { handler, streamArn: "arn:stream", region: "eu-west-1", retries };
}

const answering = (response: unknown) => context(async () => response);

/** What every record of a batch gets when its invocation failed once. */
const failed = (errorCode: string, errorMessage: string): TransformOutcome[] =>
  records.map(() => ({ result: "ProcessingFailed", errorCode, errorMessage, attemptsMade: 1 }));

const dropped = (recordId: string) => ({ recordId, result: "Dropped" });

describe("local: the transformation event and the response contract", () => {
  it("the event of a Direct PUT stream has no Kinesis fields", async () => {
    let seen: unknown;
    await invokeTransform(
      records.slice(0, 1),
      context(async (event) => {
        seen = event;
        return { records: [dropped("id-0")] };
      }),
    );
    const { invocationId, ...rest } = seen as { invocationId: string };
    assert.match(invocationId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(rest, {
      deliveryStreamArn: "arn:stream",
      region: "eu-west-1",
      records: [{ recordId: "id-0", approximateArrivalTimestamp: 1_700_000_000_000, data: "YQ==" }],
    });
  });

  it("the event of a Kinesis-sourced stream names the source and each record's shard metadata", async () => {
    let seen: unknown;
    await invokeTransform(records.slice(1, 2), {
      ...context(async (event) => {
        seen = event;
        return { records: [dropped("id-1")] };
      }),
      sourceKinesisStreamArn: "arn:kinesis",
    });
    const { invocationId, ...rest } = seen as { invocationId: string };
    assert.equal(typeof invocationId, "string");
    assert.deepEqual(rest, {
      deliveryStreamArn: "arn:stream",
      sourceKinesisStreamArn: "arn:kinesis",
      region: "eu-west-1",
      records: [
        {
          recordId: "id-1",
          approximateArrivalTimestamp: 1_700_000_000_001,
          data: "Yg==",
          kinesisRecordMetadata: {
            shardId: "shardId-000000000000",
            partitionKey: "id-1",
            approximateArrivalTimestamp: 1_700_000_000_001,
            sequenceNumber: "id-1",
            subsequenceNumber: 0,
          },
        },
      ],
    });
  });

  it("each invocation gets a new id", async () => {
    const ids: string[] = [];
    await invokeTransform(
      records,
      context(async (event) => {
        ids.push((event as { invocationId: string }).invocationId);
        throw new Error("again");
      }, 1),
    );
    assert.equal(ids.length, 2);
    assert.notEqual(ids[0], ids[1]);
  });

  it("a response without a records array is not in the status model", async () => {
    for (const response of [null, undefined, {}, { records: "x" }]) {
      assert.deepEqual(
        await invokeTransform(records, answering(response)),
        failed("Lambda.JsonProcessingException", INVALID_RESPONSE),
      );
    }
  });

  it("an entry that is not an object, an Ok without data or an unknown result is not in the status model", async () => {
    for (const entries of [
      [null, dropped("id-1"), dropped("id-2")],
      [dropped("id-0"), { recordId: "id-1", result: "Ok" }, dropped("id-2")],
      [dropped("id-0"), { recordId: "id-1", result: "Ok", data: 1 }, dropped("id-2")],
      [dropped("id-0"), { recordId: "id-1" }, dropped("id-2")],
    ]) {
      assert.deepEqual(
        await invokeTransform(records, answering({ records: entries })),
        failed("Lambda.JsonProcessingException", INVALID_RESPONSE),
        JSON.stringify(entries),
      );
    }
  });

  it("names the first missing id, or says unknown ids came back in their place", async () => {
    const missing = (what: string) =>
      failed(
        "Lambda.MissingRecordId",
        `One or more record IDs were not returned (${what}). Ensure that the Lambda function returns all received record IDs.`,
      );
    assert.deepEqual(
      await invokeTransform(records, answering({ records: [dropped("id-2")] })),
      missing("id-0"),
    );
    assert.deepEqual(
      await invokeTransform(
        records,
        answering({ records: [...records.map((r) => dropped(r.recordId)), dropped("x")] }),
      ),
      missing("unknown ids were returned"),
    );
    assert.deepEqual(await invokeTransform(records, answering({ records: [] })), missing("id-0"));
  });

  it("maps a response in any other order by id", async () => {
    const rotated = {
      records: ["id-1", "id-2", "id-0"].map((recordId, i) => ({
        recordId,
        result: "Ok",
        data: ["eQ==", "eg==", "eA=="][i],
      })),
    };
    assert.deepEqual(await invokeTransform(records, answering(rotated)), [
      { result: "Ok", data: Buffer.from("x") },
      { result: "Ok", data: Buffer.from("y") },
      { result: "Ok", data: Buffer.from("z") },
    ]);
  });

  it("names a duplicated id", async () => {
    assert.deepEqual(
      await invokeTransform(
        records,
        answering({ records: [dropped("id-0"), dropped("id-1"), dropped("id-1")] }),
      ),
      failed(
        "Lambda.DuplicatedRecordId",
        "Multiple records were returned with the same record ID (id-1). Ensure that the Lambda function returns unique record IDs for each record.",
      ),
    );
  });

  it("accepts a response of exactly 6 MB, as Lambda counts it, and refuses one byte more", async () => {
    assert.equal(MAX_RESPONSE_BYTES, 6_291_456);
    const metadata = { partitionKeys: { k: "v" } };
    // Each entry: its data, metadata, id and result, and 48 bytes of JSON around them.
    const others = 2 * ("id-1".length + "Dropped".length + 48);
    const first = JSON.stringify(metadata).length + "id-0".length + "Ok".length + 48;
    const response = (dataLength: number) => ({
      records: [
        { recordId: "id-0", result: "Ok", data: "A".repeat(dataLength), metadata },
        dropped("id-1"),
        dropped("id-2"),
      ],
    });
    const fits = MAX_RESPONSE_BYTES - others - first;
    const [ok] = await invokeTransform(records, answering(response(fits)));
    assert.equal(ok.result, "Ok");
    assert.deepEqual(ok.result === "Ok" ? [ok.data.length, ok.partitionKeys] : [], [
      Math.floor((fits * 3) / 4),
      { k: "v" },
    ]);
    assert.deepEqual(
      await invokeTransform(records, answering(response(fits + 1))),
      failed(
        "Lambda.FunctionError",
        "Response payload size (6291457 bytes) exceeded maximum allowed payload size (6291456 bytes).",
      ),
    );
  });

  it("counts a Dropped record's data in the response's size", async () => {
    const size = (extra: number) => ({
      records: [
        { recordId: "id-0", result: "Dropped", data: "A".repeat(MAX_RESPONSE_BYTES - 3 * 59 + extra) },
        dropped("id-1"),
        dropped("id-2"),
      ],
    });
    assert.deepEqual(await invokeTransform(records, answering(size(0))), [
      { result: "Dropped" },
      { result: "Dropped" },
      { result: "Dropped" },
    ]);
    assert.equal((await invokeTransform(records, answering(size(1))))[0].result, "ProcessingFailed");
  });

  it("decodes the Ok records' data into one buffer of their size, whatever other records carry", async () => {
    const data = Buffer.alloc(6000, 1).toString("base64");
    const response = {
      records: [
        { recordId: "id-0", result: "Ok", data },
        { recordId: "id-1", result: "Dropped", data },
        { recordId: "id-2", result: "ProcessingFailed", data },
      ],
    };
    const [ok] = await invokeTransform(records, answering(response));
    assert.equal(ok.result === "Ok" && ok.data.buffer.byteLength, 6000);
    assert.deepEqual(ok.result === "Ok" && ok.data, Buffer.alloc(6000, 1));
  });

  it("keeps partition keys only when every own value is a string", async () => {
    const inherited = Object.assign(Object.create({ n: 1 }) as object, { k: "v" });
    const withKeys = (partitionKeys: unknown) => ({
      records: records.map((r) => ({
        recordId: r.recordId,
        result: "Ok",
        data: "eA==",
        metadata: { partitionKeys },
      })),
    });
    const keysOf = async (response: unknown) =>
      (await invokeTransform(records, answering(response))).map((o) =>
        o.result === "Ok" ? o.partitionKeys : o,
      );
    assert.deepEqual(await keysOf(withKeys(inherited)), [inherited, inherited, inherited]);
    for (const partitionKeys of [null, "k", { k: 1 }, { k: "v", n: null }]) {
      assert.deepEqual(await keysOf(withKeys(partitionKeys)), [undefined, undefined, undefined]);
    }
    const noMetadata = {
      records: records.map((r) => ({ recordId: r.recordId, result: "Ok", data: "eA==", metadata: null })),
    };
    assert.deepEqual(await keysOf(noMetadata), [undefined, undefined, undefined]);
    assert.deepEqual(await keysOf(withKeys({})), [{}, {}, {}]);
  });

  it("retries a failing invocation as often as configured, then reports the last failure", async () => {
    let calls = 0;
    const out = await invokeTransform(records.slice(0, 1), {
      ...context(async () => {
        calls++;
        if (calls < 3) throw new Error(`attempt ${calls}`);
        return { records: [{ recordId: "id-0", result: "Nope" }] };
      }, 2),
    });
    assert.equal(calls, 3);
    assert.deepEqual(out, [
      {
        result: "ProcessingFailed",
        errorCode: "Lambda.JsonProcessingException",
        errorMessage: INVALID_RESPONSE,
        attemptsMade: 3,
      },
    ]);
    const thrown = await invokeTransform(
      records.slice(0, 1),
      context(async () => {
        throw new Error("boom");
      }),
    );
    assert.deepEqual(thrown, [
      {
        result: "ProcessingFailed",
        errorCode: "Lambda.FunctionError",
        errorMessage:
          "The Lambda function was successfully invoked but it returned an error result: Error: boom",
        attemptsMade: 1,
      },
    ]);
  });
});
