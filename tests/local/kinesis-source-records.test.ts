// The Kinesis source's checks and fan-out, without a running stack: exact limits and the service's messages.
import * as assert from "node:assert/strict";
import { rejects, zeros } from "./api-errors";
import { EndpointStream, PutEntry } from "../../local/endpoint";
import {
  KinesisEntry,
  kinesisRecordOf,
  kinesisRecordsOf,
  LocalKinesisSource,
  MAX_KINESIS_RECORD_BYTES,
} from "../../local/kinesis-source";
import { RecordData } from "../../local/records";

function reader(
  answer: (records: readonly RecordData[]) => PutEntry[],
): EndpointStream & { seen: RecordData[][] } {
  const seen: RecordData[][] = [];
  return {
    name: "reader",
    encrypted: false,
    directPut: false,
    description: () => ({}),
    seen,
    put: async (records) => {
      seen.push([...records]);
      return answer(records);
    },
  };
}

const taking = () => reader((records) => records.map((_, i) => ({ RecordId: `r${i}` })));

describe("local: Kinesis records, checked as Kinesis checks them", () => {
  it("takes a record's partition key and data", () => {
    assert.deepEqual(kinesisRecordOf({ PartitionKey: "k", Data: "QQ==" }, "record"), {
      data: { base64: "QQ==", bytes: 1 },
      partitionKey: "k",
    });
  });

  it("refuses a partition key that is missing, empty or longer than 256 characters", () => {
    const keyError = (shown: string) =>
      `1 validation error detected: Value '${shown}' at 'record.partitionKey' failed to satisfy constraint: Member must have length between 1 and 256`;
    rejects(() => kinesisRecordOf({ Data: "QQ==" }, "record"), "ValidationException", keyError("undefined"));
    rejects(
      () => kinesisRecordOf({ PartitionKey: 7, Data: "QQ==" }, "record"),
      "ValidationException",
      keyError("7"),
    );
    rejects(
      () => kinesisRecordOf({ PartitionKey: "", Data: "QQ==" }, "record"),
      "ValidationException",
      keyError(""),
    );
    const long = "k".repeat(257);
    rejects(
      () => kinesisRecordOf({ PartitionKey: long, Data: "QQ==" }, "record"),
      "ValidationException",
      keyError(long),
    );
    assert.equal(
      kinesisRecordOf({ PartitionKey: "k".repeat(256), Data: "QQ==" }, "record").partitionKey.length,
      256,
    );
  });

  it("refuses missing data and data that is not base64, naming where", () => {
    rejects(
      () => kinesisRecordOf({ PartitionKey: "k" }, "records.2.member"),
      "ValidationException",
      "1 validation error detected: Value null at 'records.2.member.data' failed to satisfy constraint: Member must not be null",
    );
    rejects(
      () => kinesisRecordOf({ PartitionKey: "k", Data: "QQ=" }, "record"),
      "SerializationException",
      "Base64 encoded value at 'record.data' is not valid base64",
    );
  });

  it("counts the partition key's UTF-8 bytes with the data against 1 MiB per record", () => {
    const key = "é"; // two bytes
    const fits = kinesisRecordOf({ PartitionKey: key, Data: zeros(MAX_KINESIS_RECORD_BYTES - 2) }, "record");
    assert.equal(fits.data.bytes, MAX_KINESIS_RECORD_BYTES - 2);
    rejects(
      () => kinesisRecordOf({ PartitionKey: key, Data: zeros(MAX_KINESIS_RECORD_BYTES - 1) }, "record"),
      "ValidationException",
      "1 validation error detected: Value at 'record.data' failed to satisfy constraint: Member must have length less than or equal to 1048576",
    );
  });

  it("takes 1 to 500 records per PutRecords, each checked where it is", () => {
    const lengthError =
      "1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length between 1 and 500";
    const many = (n: number) => Array.from({ length: n }, () => ({ PartitionKey: "k", Data: "QQ==" }));
    rejects(() => kinesisRecordsOf({}), "ValidationException", lengthError);
    rejects(() => kinesisRecordsOf({ Records: [] }), "ValidationException", lengthError);
    rejects(() => kinesisRecordsOf({ Records: many(501) }), "ValidationException", lengthError);
    assert.equal(kinesisRecordsOf({ Records: many(500) }).length, 500);
    assert.deepEqual(kinesisRecordsOf({ Records: [{ PartitionKey: "a", Data: "QUI=" }] }), [
      { data: { base64: "QUI=", bytes: 2 }, partitionKey: "a" },
    ]);
    rejects(
      () => kinesisRecordsOf({ Records: [...many(1), { PartitionKey: "k" }] }),
      "ValidationException",
      "1 validation error detected: Value null at 'records.2.member.data' failed to satisfy constraint: Member must not be null",
    );
  });

  it("refuses PutRecords over 5 MiB of data and partition keys together", () => {
    // Five records of 1 MiB less their one-byte key: exactly 5 MiB in all.
    const full = () => ({ PartitionKey: "k", Data: zeros(MAX_KINESIS_RECORD_BYTES - 1) });
    const exact = [full(), full(), full(), full(), full()];
    assert.equal(kinesisRecordsOf({ Records: exact }).length, 5);
    rejects(
      () => kinesisRecordsOf({ Records: [...exact, { PartitionKey: "k", Data: "" }] }),
      "InvalidArgumentException",
      "Records size exceeds 5 MB limit, got 5242881 bytes",
    );
  });
});

describe("local: a Kinesis source fans records out to the delivery streams that read it", () => {
  const record = (base64: string) => ({ data: { base64, bytes: 1 }, partitionKey: "k" });

  it("gives every reader every record, and growing sequence numbers on shard 0", async () => {
    const [a, b] = [taking(), taking()];
    const source = new LocalKinesisSource("src", "arn:src", [a, b]);
    const first = await source.put([record("QQ=="), record("Qg==")]);
    const second = await source.put([record("Qw==")]);
    assert.deepEqual(a.seen, [[record("QQ==").data, record("Qg==").data], [record("Qw==").data]]);
    assert.deepEqual(b.seen, a.seen);
    assert.deepEqual(
      [...first, ...second],
      [
        { SequenceNumber: "100000000000000000001", ShardId: "shardId-000000000000" },
        { SequenceNumber: "100000000000000000002", ShardId: "shardId-000000000000" },
        { SequenceNumber: "100000000000000000003", ShardId: "shardId-000000000000" },
      ],
    );
    assert.equal(source.name, "src");
    assert.equal(source.arn, "arn:src");
  });

  it("fails a record any reader could not take, as Kinesis's throttling or an internal failure", async () => {
    const busy = reader((records) =>
      records.map((_, i): PutEntry =>
        i === 0 ? { ErrorCode: "ServiceUnavailableException", ErrorMessage: "slow down" } : { RecordId: "r" },
      ),
    );
    const broken = reader((records) =>
      records.map((_, i): PutEntry =>
        i === 1 ? { ErrorCode: "InternalFailure", ErrorMessage: "disk full" } : { RecordId: "r" },
      ),
    );
    const source = new LocalKinesisSource("src", "arn:src", [taking(), busy, broken]);
    const entries: KinesisEntry[] = await source.put([record("QQ=="), record("Qg=="), record("Qw==")]);
    assert.deepEqual(entries, [
      {
        ErrorCode: "ProvisionedThroughputExceededException",
        ErrorMessage: "Rate exceeded for shard shardId-000000000000",
      },
      { ErrorCode: "InternalFailure", ErrorMessage: "disk full" },
      // Failed records take no sequence number.
      { SequenceNumber: "100000000000000000001", ShardId: "shardId-000000000000" },
    ]);
  });
});
