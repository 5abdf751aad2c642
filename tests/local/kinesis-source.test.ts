// A Kinesis-sourced stack (prod) keeps its topology locally: Firehose refuses Direct PUT to its delivery streams,
// as the service does, and producers put to the source stream with the Kinesis API instead.
import * as assert from "node:assert/strict";
import { PutRecordBatchCommand, PutRecordCommand } from "@aws-sdk/client-firehose";
import { PutRecordCommand as KinesisPutRecordCommand, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { localKinesisClient } from "../../local/producer";
import { settingsOf } from "../support/stacks";
import { Running, runStack } from "./harness";

const LAKE = "firehose-etl-prod-lake";
const SOURCE = "firehose-etl-prod-source";
const event = (i: number) =>
  Buffer.from(`${JSON.stringify({ event_id: `e-${i}`, country: "de", action: "buy", amount: i })}\n`);

describe("local: a Kinesis-sourced stack is fed through its source stream", () => {
  let run: Running;
  before(async () => {
    run = await runStack(settingsOf("prod"));
  });
  after(() => run.stop());

  it("refuses PutRecord and PutRecordBatch to a delivery stream that reads Kinesis, as Firehose does", async () => {
    const refused = (err: Error) =>
      err.name === "InvalidArgumentException" &&
      err.message === "This operation is not permitted on KinesisStreamAsSource delivery stream type.";
    await assert.rejects(
      run.client.send(new PutRecordCommand({ DeliveryStreamName: LAKE, Record: { Data: event(0) } })),
      refused,
    );
    await assert.rejects(
      run.client.send(new PutRecordBatchCommand({ DeliveryStreamName: LAKE, Records: [{ Data: event(0) }] })),
      refused,
    );
  });

  it("takes PutRecord and PutRecords on the source stream and delivers them to the lake", async () => {
    const kinesis = localKinesisClient(run.endpoint.url, "eu-west-1");
    try {
      const one = await kinesis.send(
        new KinesisPutRecordCommand({ StreamName: SOURCE, PartitionKey: "k", Data: event(1) }),
      );
      assert.equal(one.ShardId, "shardId-000000000000");
      assert.match(one.SequenceNumber ?? "", /^\d{21}$/);
      assert.equal(one.EncryptionType, "KMS");
      const many = await kinesis.send(
        new PutRecordsCommand({
          StreamARN: run.stack.source?.arn,
          Records: [2, 3, 4].map((i) => ({ PartitionKey: `k${i}`, Data: event(i) })),
        }),
      );
      assert.equal(many.FailedRecordCount, 0);
      const sequence = many.Records?.map((r) => BigInt(r.SequenceNumber ?? "0")) ?? [];
      assert.deepEqual(
        sequence,
        [...sequence].sort((a, b) => (a < b ? -1 : 1)),
        "sequence numbers grow",
      );
    } finally {
      kinesis.destroy();
    }
    await run.stop();
    const lake = run.stack.streams.find((s) => s.name === LAKE);
    const rows = lake?.written.filter((o) => o.kind === "data").reduce((n, o) => n + o.records, 0);
    assert.equal(rows, 4);
  });

  it("answers Kinesis's errors: unknown stream, more than 500 records, a missing partition key", async () => {
    const fresh = await runStack(settingsOf("prod"));
    const kinesis = localKinesisClient(fresh.endpoint.url, "eu-west-1");
    try {
      await assert.rejects(
        kinesis.send(new KinesisPutRecordCommand({ StreamName: "nope", PartitionKey: "k", Data: event(1) })),
        (err: Error) => err.name === "ResourceNotFoundException",
      );
      const tooMany = Array.from({ length: 501 }, (_, i) => ({ PartitionKey: "k", Data: event(i) }));
      await assert.rejects(
        kinesis.send(new PutRecordsCommand({ StreamName: SOURCE, Records: tooMany })),
        (err: Error) => err.name === "ValidationException" && /length between 1 and 500/.test(err.message),
      );
      await assert.rejects(
        kinesis.send(new KinesisPutRecordCommand({ StreamName: SOURCE, PartitionKey: "", Data: event(1) })),
        (err: Error) => err.name === "ValidationException" && /partitionKey/.test(err.message),
      );
    } finally {
      kinesis.destroy();
      await fresh.stop();
    }
  });

  it("has no source stream in a Direct PUT stack", async () => {
    const dev = await runStack(settingsOf("dev"));
    const kinesis = localKinesisClient(dev.endpoint.url, "eu-west-1");
    try {
      await assert.rejects(
        kinesis.send(
          new KinesisPutRecordCommand({
            StreamName: "firehose-etl-dev-source",
            PartitionKey: "k",
            Data: event(1),
          }),
        ),
        (err: Error) => err.name === "ResourceNotFoundException",
      );
    } finally {
      kinesis.destroy();
      await dev.stop();
    }
  });
});
