// The endpoint's answer to each request, as a raw HTTP client sees it, against streams whose answers the test
// scripts: no stack, no transform, no lake.
import {
  PutRecordCommand,
  ServiceUnavailableException as FirehoseUnavailable,
} from "@aws-sdk/client-firehose";
import { PutRecordCommand as KinesisPutRecordCommand } from "@aws-sdk/client-kinesis";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import * as net from "node:net";
import { Endpoint, EndpointStream, PutEntry, startEndpoint, StreamDirectory } from "../../local/endpoint";
import { LocalKinesisSource } from "../../local/kinesis-source";
import { localFirehoseClient, localKinesisClient } from "../../local/producer";
import { RecordData } from "../../local/records";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SERVED = "(PutRecord, PutRecordBatch, DescribeDeliveryStream, ListDeliveryStreams)";

/** What a scripted stream's `put` answers for each record: accepted, refused, or a thrown error. */
type Script = (data: RecordData, i: number) => PutEntry;

interface FakeStream extends EndpointStream {
  readonly puts: RecordData[][];
  script: Script | Error;
}

function fakeStream(name: string, options: { directPut?: boolean; encrypted?: boolean; type?: string } = {}) {
  const stream: FakeStream = {
    name,
    encrypted: options.encrypted ?? false,
    directPut: options.directPut ?? true,
    puts: [],
    script: (_, i) => ({ RecordId: `${name}-${i}` }),
    description: () => ({ DeliveryStreamName: name, DeliveryStreamType: options.type ?? "DirectPut" }),
    put: (records) => {
      stream.puts.push([...records]);
      const script = stream.script;
      if (script instanceof Error) return Promise.reject(script);
      return Promise.resolve(records.map((r, i) => script(r, i)));
    },
  };
  return stream;
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

describe("local: the endpoint's answer to each request", () => {
  const plain = fakeStream("plain", { encrypted: true });
  const sourced = fakeStream("sourced", { directPut: false, type: "KinesisStreamAsSource" });
  const other = fakeStream("b-other");
  const source = new LocalKinesisSource("clicks", "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks", [
    sourced,
  ]);
  const streams = [plain, sourced, other];
  const directory: StreamDirectory = {
    names: () => streams.map((s) => s.name),
    find: (name) => streams.find((s) => s.name === name),
    findSource: (nameOrArn) => ([source.name, source.arn].includes(nameOrArn) ? source : undefined),
  };
  let endpoint: Endpoint;
  const logged: string[] = [];
  const original = { error: console.error, warn: console.warn };

  before(async () => {
    endpoint = await startEndpoint(directory);
    console.error = console.warn = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
  });
  after(async () => {
    Object.assign(console, original);
    await endpoint.close();
  });
  beforeEach(() => {
    logged.length = 0;
    for (const s of streams) {
      s.puts.length = 0;
      s.script = (_, i) => ({ RecordId: `${s.name}-${i}` });
    }
  });

  async function send(
    target: string | undefined,
    body: string | Buffer | Record<string, unknown>,
    method = "POST",
  ): Promise<Answer> {
    const headers: Record<string, string> = { "Content-Type": "application/x-amz-json-1.1" };
    if (target !== undefined) headers["X-Amz-Target"] = target;
    const res = await fetch(endpoint.url, {
      method,
      headers,
      body:
        method === "GET"
          ? undefined
          : typeof body === "string" || Buffer.isBuffer(body)
            ? body
            : JSON.stringify(body),
    });
    const text = await res.text();
    assert.equal(res.headers.get("content-type"), "application/x-amz-json-1.1");
    assert.equal(res.headers.get("content-length"), String(Buffer.byteLength(text)));
    assert.match(res.headers.get("x-amzn-requestid") ?? "", UUID);
    return { status: res.status, headers: res.headers, body: JSON.parse(text) as Record<string, unknown> };
  }

  const firehose = (operation: string, body: string | Buffer | Record<string, unknown>) =>
    send(`Firehose_20150804.${operation}`, body);
  const kinesis = (operation: string, body: Record<string, unknown>) =>
    send(`Kinesis_20131202.${operation}`, body);

  function assertError(answer: Answer, status: number, type: string, message: string): void {
    assert.deepEqual(
      { status: answer.status, errorType: answer.headers.get("x-amzn-errortype"), body: answer.body },
      { status, errorType: type, body: { __type: type, message } },
    );
  }

  it("listens on 127.0.0.1 and an ephemeral port unless told otherwise", () => {
    assert.ok(endpoint.port > 0);
    assert.equal(endpoint.url, `http://127.0.0.1:${endpoint.port}`);
  });

  it("listens on the host and port it is given, and refuses a port in use", async () => {
    const second = await startEndpoint(directory, { host: "localhost", port: 0 });
    try {
      assert.equal(second.url, `http://localhost:${second.port}`);
      await assert.rejects(startEndpoint(directory, { port: second.port, host: "localhost" }), /EADDRINUSE/);
    } finally {
      await second.close();
    }
  });

  it("PutRecordBatch answers each record's entry, the failed count and Encrypted, with no error type", async () => {
    plain.script = (_, i) =>
      i === 1
        ? { ErrorCode: "ServiceUnavailableException", ErrorMessage: "Slow down." }
        : { RecordId: `r${i}` };
    const answer = await firehose("PutRecordBatch", {
      DeliveryStreamName: "plain",
      Records: [{ Data: "QUJD" }, { Data: "REVG" }, { Data: "" }],
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get("x-amzn-errortype"), null);
    assert.deepEqual(answer.body, {
      FailedPutCount: 1,
      Encrypted: true,
      RequestResponses: [
        { RecordId: "r0" },
        { ErrorCode: "ServiceUnavailableException", ErrorMessage: "Slow down." },
        { RecordId: "r2" },
      ],
    });
    assert.deepEqual(plain.puts, [
      [
        { base64: "QUJD", bytes: 3 },
        { base64: "REVG", bytes: 3 },
        { base64: "", bytes: 0 },
      ],
    ]);
  });

  it("PutRecordBatch in a layout other than the SDKs' is read as JSON alike", async () => {
    const answer = await firehose(
      "PutRecordBatch",
      ' { "Records": [ { "Data": "QUJD" } ], "DeliveryStreamName": "b-other" } ',
    );
    assert.deepEqual(answer.body, {
      FailedPutCount: 0,
      Encrypted: false,
      RequestResponses: [{ RecordId: "b-other-0" }],
    });
  });

  it("PutRecord answers the record id and Encrypted", async () => {
    const answer = await firehose("PutRecord", { DeliveryStreamName: "b-other", Record: { Data: "QUJD" } });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { RecordId: "b-other-0", Encrypted: false });
    assert.deepEqual(other.puts, [[{ base64: "QUJD", bytes: 3 }]]);
  });

  it("PutRecord of a record the stream refuses is a 503 ServiceUnavailableException with its message", async () => {
    plain.script = () => ({
      ErrorCode: "ServiceUnavailableException",
      ErrorMessage: "The stream is shutting down.",
    });
    const answer = await firehose("PutRecord", { DeliveryStreamName: "plain", Record: { Data: "QUJD" } });
    assertError(answer, 503, "ServiceUnavailableException", "The stream is shutting down.");
    assert.deepEqual(logged, []);
  });

  it("the AWS SDK sees a refused PutRecord as its ServiceUnavailableException", async () => {
    plain.script = () => ({ ErrorCode: "ServiceUnavailableException", ErrorMessage: "Slow down." });
    const client = localFirehoseClient(endpoint.url, "eu-west-1");
    try {
      await assert.rejects(
        client.send(
          new PutRecordCommand({ DeliveryStreamName: "plain", Record: { Data: Buffer.from("x") } }),
        ),
        (err: unknown) => {
          assert.ok(err instanceof FirehoseUnavailable);
          assert.equal(err.message, "Slow down.");
          assert.equal(err.$metadata.httpStatusCode, 503);
          return true;
        },
      );
    } finally {
      client.destroy();
    }
  });

  it("a stream that fails unexpectedly is a logged 500 InternalFailure", async () => {
    plain.script = new Error("disk full");
    const answer = await firehose("PutRecordBatch", {
      DeliveryStreamName: "plain",
      Records: [{ Data: "QUJD" }],
    });
    assertError(answer, 500, "InternalFailure", "local endpoint error: Error: disk full");
    assert.deepEqual(logged, ["Error: disk full"]);
  });

  it("a stream that fails unexpectedly on a body of the SDKs' layout is not taken for invalid JSON", async () => {
    plain.script = new Error("disk full");
    const answer = await firehose(
      "PutRecordBatch",
      '{"DeliveryStreamName":"plain","Records":[{"Data":"QUJD"}]}',
    );
    assertError(answer, 500, "InternalFailure", "local endpoint error: Error: disk full");
  });

  it("a refused request in the SDKs' layout keeps its own error when the body is valid JSON", async () => {
    const answer = await firehose(
      "PutRecordBatch",
      '{"DeliveryStreamName":"nope","Records":[{"Data":"QUJD"}]}',
    );
    assertError(
      answer,
      400,
      "ResourceNotFoundException",
      "Firehose nope under account 123456789012 not found. Local streams: plain, sourced, b-other",
    );
    assert.deepEqual(logged, []);
  });

  it("PutRecord and PutRecordBatch to a stream that reads Kinesis are InvalidArgumentException", async () => {
    const message = "This operation is not permitted on KinesisStreamAsSource delivery stream type.";
    for (const [operation, body] of [
      ["PutRecord", { DeliveryStreamName: "sourced", Record: { Data: "QUJD" } }],
      ["PutRecordBatch", { DeliveryStreamName: "sourced", Records: [{ Data: "QUJD" }] }],
    ] as const) {
      assertError(await firehose(operation, body), 400, "InvalidArgumentException", message);
    }
    assert.deepEqual(sourced.puts, []);
  });

  it("DescribeDeliveryStream answers the stream's description; an unknown stream is ResourceNotFoundException", async () => {
    const answer = await firehose("DescribeDeliveryStream", { DeliveryStreamName: "sourced" });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, {
      DeliveryStreamDescription: {
        DeliveryStreamName: "sourced",
        DeliveryStreamType: "KinesisStreamAsSource",
      },
    });
    assertError(
      await firehose("DescribeDeliveryStream", { DeliveryStreamName: "missing" }),
      400,
      "ResourceNotFoundException",
      "Firehose missing under account 123456789012 not found. Local streams: plain, sourced, b-other",
    );
  });

  describe("ListDeliveryStreams", () => {
    const list = async (request: Record<string, unknown>) =>
      (await firehose("ListDeliveryStreams", request)).body;

    it("lists every stream in name order, 10 at most by default", async () => {
      assert.deepEqual(await list({}), {
        DeliveryStreamNames: ["b-other", "plain", "sourced"],
        HasMoreDeliveryStreams: false,
      });
      // An empty body is the empty request.
      assert.deepEqual((await firehose("ListDeliveryStreams", "")).body, await list({}));
    });

    it("stops at Limit and says whether there are more", async () => {
      assert.deepEqual(await list({ Limit: 1 }), {
        DeliveryStreamNames: ["b-other"],
        HasMoreDeliveryStreams: true,
      });
      assert.deepEqual(await list({ Limit: 2 }), {
        DeliveryStreamNames: ["b-other", "plain"],
        HasMoreDeliveryStreams: true,
      });
      assert.deepEqual(await list({ Limit: 3 }), {
        DeliveryStreamNames: ["b-other", "plain", "sourced"],
        HasMoreDeliveryStreams: false,
      });
      assert.deepEqual(await list({ Limit: 10000 }), {
        DeliveryStreamNames: ["b-other", "plain", "sourced"],
        HasMoreDeliveryStreams: false,
      });
    });

    it("starts after ExclusiveStartDeliveryStreamName", async () => {
      assert.deepEqual(await list({ ExclusiveStartDeliveryStreamName: "plain" }), {
        DeliveryStreamNames: ["sourced"],
        HasMoreDeliveryStreams: false,
      });
      assert.deepEqual(await list({ ExclusiveStartDeliveryStreamName: "c", Limit: 1 }), {
        DeliveryStreamNames: ["plain"],
        HasMoreDeliveryStreams: true,
      });
      assert.deepEqual(await list({ ExclusiveStartDeliveryStreamName: 7 }), {
        DeliveryStreamNames: ["b-other", "plain", "sourced"],
        HasMoreDeliveryStreams: false,
      });
    });

    it("keeps only the streams of DeliveryStreamType when it is given", async () => {
      assert.deepEqual(await list({ DeliveryStreamType: "KinesisStreamAsSource" }), {
        DeliveryStreamNames: ["sourced"],
        HasMoreDeliveryStreams: false,
      });
      assert.deepEqual(await list({ DeliveryStreamType: "DirectPut" }), {
        DeliveryStreamNames: ["b-other", "plain"],
        HasMoreDeliveryStreams: false,
      });
      assert.deepEqual(await list({ DeliveryStreamType: 1 }), {
        DeliveryStreamNames: ["b-other", "plain", "sourced"],
        HasMoreDeliveryStreams: false,
      });
    });

    it("a null Limit is the default", async () => {
      assert.deepEqual(await list({ Limit: null }), await list({}));
    });

    for (const limit of [0, 10001, 2.5, "5", -1]) {
      it(`a Limit of ${JSON.stringify(limit)} is ValidationException`, async () => {
        assertError(
          await firehose("ListDeliveryStreams", { Limit: limit }),
          400,
          "ValidationException",
          `1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 10000`,
        );
      });
    }
  });

  describe("Kinesis on the stack's source stream", () => {
    it("PutRecord answers the sequence number, the shard and KMS encryption", async () => {
      const answer = await kinesis("PutRecord", { StreamName: "clicks", PartitionKey: "k", Data: "QUJD" });
      assert.equal(answer.status, 200);
      assert.deepEqual(Object.keys(answer.body), ["SequenceNumber", "ShardId", "EncryptionType"]);
      assert.match(String(answer.body.SequenceNumber), /^\d{21}$/);
      assert.equal(answer.body.ShardId, "shardId-000000000000");
      assert.equal(answer.body.EncryptionType, "KMS");
      assert.deepEqual(sourced.puts, [[{ base64: "QUJD", bytes: 3 }]]);
    });

    it("addresses the stream by ARN before name", async () => {
      const answer = await kinesis("PutRecord", {
        StreamARN: source.arn,
        StreamName: "wrong",
        PartitionKey: "k",
        Data: "QUJD",
      });
      assert.equal(answer.status, 200);
    });

    it("PutRecord of a record a reader refuses is that error, status 400", async () => {
      sourced.script = () => ({ ErrorCode: "ServiceUnavailableException", ErrorMessage: "Slow down." });
      assertError(
        await kinesis("PutRecord", { StreamName: "clicks", PartitionKey: "k", Data: "QUJD" }),
        400,
        "ProvisionedThroughputExceededException",
        "Rate exceeded for shard shardId-000000000000",
      );
    });

    it("PutRecords answers each record's entry and the failed count", async () => {
      sourced.script = (_, i) =>
        i === 0 ? { ErrorCode: "InternalFailure", ErrorMessage: "broken" } : { RecordId: String(i) };
      const answer = await kinesis("PutRecords", {
        StreamName: "clicks",
        Records: [
          { PartitionKey: "a", Data: "QUJD" },
          { PartitionKey: "b", Data: "REVG" },
        ],
      });
      assert.equal(answer.status, 200);
      const records = answer.body.Records as Record<string, unknown>[];
      assert.deepEqual(records[0], { ErrorCode: "InternalFailure", ErrorMessage: "broken" });
      assert.equal(records[1].ShardId, "shardId-000000000000");
      assert.equal(answer.body.FailedRecordCount, 1);
      assert.equal(answer.body.EncryptionType, "KMS");
      assert.deepEqual(Object.keys(answer.body), ["FailedRecordCount", "Records", "EncryptionType"]);
    });

    it("the AWS SDK's Kinesis client puts a record", async () => {
      const client = localKinesisClient(endpoint.url, "eu-west-1");
      try {
        const out = await client.send(
          new KinesisPutRecordCommand({ StreamName: "clicks", PartitionKey: "p", Data: Buffer.from("x") }),
        );
        assert.equal(out.ShardId, "shardId-000000000000");
        assert.equal(out.EncryptionType, "KMS");
      } finally {
        client.destroy();
      }
    });

    it("an unknown stream is ResourceNotFoundException naming it", async () => {
      assertError(
        await kinesis("PutRecords", { StreamName: "nope", Records: [{ PartitionKey: "a", Data: "QUJD" }] }),
        400,
        "ResourceNotFoundException",
        "Stream nope under account 123456789012 not found.",
      );
      assertError(
        await kinesis("PutRecord", { PartitionKey: "a", Data: "QUJD" }),
        400,
        "ResourceNotFoundException",
        "Stream undefined under account 123456789012 not found.",
      );
      assertError(
        await kinesis("PutRecord", { StreamName: 5, PartitionKey: "a", Data: "QUJD" }),
        400,
        "ResourceNotFoundException",
        "Stream 5 under account 123456789012 not found.",
      );
    });

    it("another Kinesis operation is UnknownOperationException, even for a stream that exists", async () => {
      for (const name of ["clicks", "nope"]) {
        assertError(
          await kinesis("GetRecords", { StreamName: name }),
          400,
          "UnknownOperationException",
          "Kinesis operation GetRecords is not supported locally (PutRecord, PutRecords)",
        );
      }
    });

    it("a Kinesis body that is not JSON is SerializationException", async () => {
      assertError(
        await send("Kinesis_20131202.PutRecord", "{not json"),
        400,
        "SerializationException",
        "the request body is not valid JSON",
      );
    });
  });

  describe("requests the endpoint refuses", () => {
    it("an operation it does not serve names the target and what it serves", async () => {
      assertError(
        await firehose("CreateDeliveryStream", {}),
        400,
        "UnknownOperationException",
        `operation "Firehose_20150804.CreateDeliveryStream" is not supported locally ${SERVED}`,
      );
    });

    it("a target of another service's prefix is an operation it does not serve", async () => {
      assertError(
        await send("Firehose_20990101.PutRecord", { DeliveryStreamName: "plain", Record: { Data: "QUJD" } }),
        400,
        "UnknownOperationException",
        `operation "Firehose_20990101.PutRecord" is not supported locally ${SERVED}`,
      );
      assertError(
        await send("PutRecordBatch", '{"DeliveryStreamName":"plain","Records":[{"Data":"QUJD"}]}'),
        400,
        "UnknownOperationException",
        `operation "PutRecordBatch" is not supported locally ${SERVED}`,
      );
    });

    it("a request without a target is an unknown operation null", async () => {
      assertError(
        await send(undefined, "{}"),
        400,
        "UnknownOperationException",
        `operation null is not supported locally ${SERVED}`,
      );
    });

    it("a method other than POST is UnknownOperationException naming it", async () => {
      assertError(
        await send("Firehose_20150804.ListDeliveryStreams", "", "GET"),
        400,
        "UnknownOperationException",
        "GET is not supported: POST /",
      );
      assertError(
        await send("Firehose_20150804.ListDeliveryStreams", "{}", "PUT"),
        400,
        "UnknownOperationException",
        "PUT is not supported: POST /",
      );
    });

    it("a body that is not JSON, or not an object, is SerializationException", async () => {
      assertError(
        await firehose("ListDeliveryStreams", "{"),
        400,
        "SerializationException",
        "the request body is not valid JSON",
      );
      assertError(
        await firehose("DescribeDeliveryStream", "[1]"),
        400,
        "SerializationException",
        "the request body must be a JSON object",
      );
    });

    it("a body over 8 MiB is InvalidArgumentException; one of 8 MiB is read", async () => {
      const limit = 8 * 1024 * 1024;
      assertError(
        await firehose("ListDeliveryStreams", Buffer.alloc(limit + 1, 0x20)),
        400,
        "InvalidArgumentException",
        "Records size exceeds 4 MB limit",
      );
      const padded = Buffer.alloc(limit, 0x20);
      padded.write("{}");
      const answer = await firehose("ListDeliveryStreams", padded);
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body.DeliveryStreamNames, ["b-other", "plain", "sourced"]);
    });

    it("a body sent in many chunks is read whole", async () => {
      const body = JSON.stringify({
        DeliveryStreamName: "plain",
        Records: [{ Data: "QUJD".repeat(50_000) }],
      });
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          endpoint.url,
          {
            method: "POST",
            headers: { "X-Amz-Target": "Firehose_20150804.PutRecordBatch", "Transfer-Encoding": "chunked" },
          },
          (res) => {
            let text = "";
            res.on("data", (chunk: Buffer) => (text += chunk.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on("error", reject);
        for (let at = 0; at < body.length; at += 1000) req.write(body.slice(at, at + 1000));
        req.end();
      });
      assert.equal(answer.status, 200);
      assert.equal(plain.puts[0][0].bytes, 150_000);
    });
  });

  describe("a producer that disconnects", () => {
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    /** Writes `request` on a raw connection, runs `then` with the socket, and waits for a log line. */
    async function disconnect(request: string, then: (socket: net.Socket) => Promise<void>): Promise<void> {
      const socket = net.connect(endpoint.port, "127.0.0.1");
      await new Promise<void>((resolve) => socket.once("connect", resolve));
      socket.write(request);
      await then(socket);
      for (let waited = 0; logged.length === 0 && waited < 2000; waited += 20) await pause(20);
      await pause(50);
    }

    const complete = (target: string) => {
      const body = JSON.stringify({ DeliveryStreamName: "plain", Records: [{ Data: "QUJD" }] });
      return (
        `POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: ${target}\r\n` +
        `Content-Type: application/x-amz-json-1.1\r\nContent-Length: ${body.length}\r\n\r\n${body}`
      );
    };

    it("mid-request without a target is one line naming the request", async () => {
      await disconnect("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{", async (socket) => {
        await pause(50);
        socket.destroy();
      });
      assert.equal(logged.length, 1, logged.join("\n"));
      assert.match(logged[0], /^\[endpoint\] 127\.0\.0\.1:\d+ disconnected mid-request \(request\)$/);
    });

    for (const outcome of ["answer", "failure"] as const) {
      it(`before the ${outcome} is one line naming the operation, and no reply`, async () => {
        let settle: (() => void) | undefined;
        const put = plain.put;
        const called = new Promise<void>((resolve) => {
          plain.put = (records) => {
            plain.puts.push([...records]);
            resolve();
            return new Promise<PutEntry[]>((accept, reject) => {
              settle = () => (outcome === "answer" ? accept([{ RecordId: "r" }]) : reject(new Error("late")));
            });
          };
        });
        try {
          await disconnect(complete("Firehose_20150804.PutRecordBatch"), async (socket) => {
            await called;
            socket.destroy();
            await pause(50);
            settle?.();
          });
        } finally {
          plain.put = put;
        }
        assert.deepEqual(logged.length, 1, logged.join("\n"));
        assert.match(
          logged[0],
          /^\[endpoint\] 127\.0\.0\.1:\d+ disconnected before the reply \(PutRecordBatch\)$/,
        );
      });
    }
  });
});
