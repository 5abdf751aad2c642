import { FirehoseClient, PutRecordBatchCommand } from "@aws-sdk/client-firehose";
import { KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import * as assert from "node:assert/strict";
import { Endpoint, EndpointStream, startEndpoint } from "../../local/endpoint";
import { LocalKinesisSource } from "../../local/kinesis-source";
import type { LocalStack } from "../../local/local-stack";
import {
  localFirehoseClient,
  localKinesisClient,
  putAll,
  putAllToKinesis,
  stackProducer,
} from "../../local/producer";
import { RecordData } from "../../local/records";

type Call = { stream?: string; records: Buffer[] };

/** A client whose calls the test sees; `failing(call, i)` says whether record i of that call fails. */
function fakeClient<T>(
  failing: (call: number, i: number) => boolean,
  answer: (failed: boolean[]) => unknown,
): { client: T; calls: Call[] } {
  const calls: Call[] = [];
  const client = {
    send: (command: PutRecordBatchCommand | PutRecordsCommand) => {
      const input = command.input as {
        DeliveryStreamName?: string;
        StreamName?: string;
        Records: { Data: Buffer; PartitionKey?: string }[];
      };
      const call = calls.length;
      calls.push({
        stream: input.DeliveryStreamName ?? input.StreamName,
        records: input.Records.map((r) => r.Data),
      });
      if (command instanceof PutRecordsCommand) {
        for (const r of input.Records) assert.match(r.PartitionKey ?? "", /^[0-9a-f-]{36}$/);
      }
      return Promise.resolve(answer(input.Records.map((_, i) => failing(call, i))));
    },
  };
  return { client: client as T, calls };
}

const firehoseAnswer = (failed: boolean[]) => ({
  RequestResponses: failed.map((f, i) =>
    f ? { ErrorCode: "ServiceUnavailableException" } : { RecordId: String(i) },
  ),
});
const kinesisAnswer = (failed: boolean[]) => ({
  Records: failed.map((f) =>
    f ? { ErrorCode: "ProvisionedThroughputExceededException" } : { ShardId: "s" },
  ),
});

const records = (count: number, size: number) =>
  Array.from({ length: count }, (_, i) => Buffer.alloc(size, 0x61 + (i % 26)));

describe("local: producer batches", () => {
  const delays: number[] = [];
  const realSetTimeout = global.setTimeout;
  beforeEach(() => {
    delays.length = 0;
    // Backoff without waiting: the delays asked for are what the test checks.
    global.setTimeout = ((fn: () => void, ms: number) => {
      delays.push(ms);
      return realSetTimeout(fn, 0);
    }) as typeof setTimeout;
  });
  afterEach(() => {
    global.setTimeout = realSetTimeout;
  });

  it("sends at most 500 records per PutRecordBatch call, in order", async () => {
    const { client, calls } = fakeClient<FirehoseClient>(() => false, firehoseAnswer);
    const sent = records(1001, 1);
    assert.equal(await putAll(client, "s", sent), 3);
    assert.deepEqual(
      calls.map((c) => [c.stream, c.records.length]),
      [
        ["s", 500],
        ["s", 500],
        ["s", 1],
      ],
    );
    assert.deepEqual(
      calls.flatMap((c) => c.records),
      sent,
    );
    assert.deepEqual(delays, []);
  });

  it("exactly 500 records is one call; none is no call", async () => {
    const { client, calls } = fakeClient<FirehoseClient>(() => false, firehoseAnswer);
    assert.equal(await putAll(client, "s", records(500, 1)), 1);
    assert.equal(await putAll(client, "s", []), 0);
    assert.equal(calls.length, 1);
  });

  it("starts a new call before a record that would take it over 4 MiB of data", async () => {
    const { client, calls } = fakeClient<FirehoseClient>(() => false, firehoseAnswer);
    const mib = 1024 * 1024;
    await putAll(client, "s", [...records(4, mib), ...records(1, 1)]);
    assert.deepEqual(
      calls.map((c) => c.records.length),
      [4, 1],
    );
    calls.length = 0;
    await putAll(client, "s", [...records(3, mib), Buffer.alloc(mib - 1), Buffer.alloc(1), Buffer.alloc(1)]);
    assert.deepEqual(
      calls.map((c) => c.records.length),
      [5, 1],
    );
  });

  it("retries only the records a call reports as failed, backing off twice as long each time from 100 ms", async () => {
    // Which records of each call fail: two of the first call, then the last of them again, four times.
    const failures: Record<number, number[]> = { 0: [1, 3], 1: [1], 2: [0], 3: [0], 4: [0] };
    const { client, calls } = fakeClient<FirehoseClient>(
      (call, i) => failures[call]?.includes(i) ?? false,
      firehoseAnswer,
    );
    const sent = records(5, 1);
    assert.equal(await putAll(client, "s", sent), 6);
    assert.deepEqual(calls[1].records, [sent[1], sent[3]]);
    assert.deepEqual(calls[2].records, [sent[3]]);
    assert.deepEqual(delays, [100, 200, 400, 800, 1600]);
  });

  it("backs off 2 s at most", async () => {
    const { client } = fakeClient<FirehoseClient>((call) => call < 7, firehoseAnswer);
    assert.equal(await putAll(client, "s", records(1, 1)), 8);
    assert.deepEqual(delays, [100, 200, 400, 800, 1600, 2000, 2000]);
  });

  it("a call without per-record answers counts as all accepted", async () => {
    const { client, calls } = fakeClient<FirehoseClient>(
      () => false,
      () => ({}),
    );
    assert.equal(await putAll(client, "s", records(3, 1)), 1);
    assert.equal(calls.length, 1);
  });

  it("PutRecords takes at most 500 records per call and retries the failed ones", async () => {
    const { client, calls } = fakeClient<KinesisClient>((call, i) => call === 0 && i === 2, kinesisAnswer);
    const sent = records(501, 1);
    assert.equal(await putAllToKinesis(client, "k", sent), 3);
    assert.deepEqual(
      calls.map((c) => [c.stream, c.records.length]),
      [
        ["k", 500],
        ["k", 1],
        ["k", 1],
      ],
    );
    assert.deepEqual(calls[1].records, [sent[2]]);
    assert.deepEqual(delays, [100]);
  });

  it("PutRecords counts 36 bytes of partition key per record against 5 MiB a call", async () => {
    const { client, calls } = fakeClient<KinesisClient>(() => false, kinesisAnswer);
    const mib = 1024 * 1024;
    // Five records of 1 MiB - 36 bytes fill a call exactly; one of 1 MiB - 35 does not fit with four others.
    await putAllToKinesis(client, "k", records(6, mib - 36));
    assert.deepEqual(
      calls.map((c) => c.records.length),
      [5, 1],
    );
    calls.length = 0;
    await putAllToKinesis(client, "k", [...records(4, mib - 36), Buffer.alloc(mib - 35)]);
    assert.deepEqual(
      calls.map((c) => c.records.length),
      [4, 1],
    );
    calls.length = 0;
    await putAllToKinesis(client, "k", records(1, 0));
    assert.equal(calls.length, 1);
  });
});

describe("local: producer clients", () => {
  it("a Firehose client for the endpoint with placeholder credentials", async () => {
    const client = localFirehoseClient("http://127.0.0.1:1", "eu-central-1");
    try {
      assert.equal(await client.config.region(), "eu-central-1");
      const credentials = await client.config.credentials();
      assert.equal(credentials.accessKeyId, "local");
      assert.equal(credentials.secretAccessKey, "local");
    } finally {
      client.destroy();
    }
  });

  it("a Kinesis client for the endpoint over HTTP/1.1 without a host prefix", async () => {
    const client = localKinesisClient("http://127.0.0.1:1", "eu-central-1");
    try {
      assert.equal(await client.config.region(), "eu-central-1");
      const credentials = await client.config.credentials();
      assert.equal(credentials.accessKeyId, "local");
      assert.equal(credentials.secretAccessKey, "local");
      assert.equal(client.config.disableHostPrefix, true);
      assert.ok(client.config.requestHandler instanceof NodeHttpHandler);
    } finally {
      client.destroy();
    }
  });
});

describe("local: a stack's producer", () => {
  const taken: RecordData[] = [];
  const stream: EndpointStream = {
    name: "first",
    encrypted: false,
    directPut: true,
    description: () => ({}),
    put: (data) => {
      taken.push(...data);
      return Promise.resolve(data.map((_, i) => ({ RecordId: String(i) })));
    },
  };
  const source = new LocalKinesisSource("src", "arn:aws:kinesis:eu-west-1:123456789012:stream/src", [stream]);
  let endpoint: Endpoint;
  before(async () => {
    endpoint = await startEndpoint({
      names: () => ["first"],
      find: (name) => (name === "first" ? stream : undefined),
      findSource: (name) => (name === "src" ? source : undefined),
    });
  });
  after(() => endpoint.close());
  beforeEach(() => (taken.length = 0));

  const stackOf = (withSource: boolean) =>
    ({
      settings: { region: "eu-west-1" },
      streams: [{ name: "first" }, { name: "second" }],
      source: withSource ? source : undefined,
    }) as unknown as LocalStack;

  it("puts to the first delivery stream with PutRecordBatch", async () => {
    const producer = stackProducer(stackOf(false), endpoint.url);
    try {
      assert.equal(producer.target, "first");
      assert.equal(producer.call, "PutRecordBatch");
      assert.equal(await producer.put([Buffer.from("a"), Buffer.from("b")]), 1);
      assert.deepEqual(
        taken.map((d) => Buffer.from(d.base64, "base64").toString()),
        ["a", "b"],
      );
    } finally {
      producer.close();
    }
  });

  it("puts to the Kinesis source stream with PutRecords when the stack has one", async () => {
    const producer = stackProducer(stackOf(true), endpoint.url);
    try {
      assert.equal(producer.target, "src");
      assert.equal(producer.call, "PutRecords");
      assert.equal(await producer.put([Buffer.from("c")]), 1);
      assert.deepEqual(
        taken.map((d) => Buffer.from(d.base64, "base64").toString()),
        ["c"],
      );
    } finally {
      producer.close();
    }
  });
});
