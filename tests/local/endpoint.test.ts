import {
  DescribeDeliveryStreamCommand,
  FirehoseServiceException,
  ListDeliveryStreamsCommand,
  PutRecordBatchCommand,
  PutRecordCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-firehose";
import * as assert from "node:assert/strict";
import { settingsOf } from "../support/stacks";
import { Running, runStack } from "./harness";

const STREAM = "firehose-etl-dev-events";

async function rejection(promise: Promise<unknown>): Promise<FirehoseServiceException> {
  try {
    await promise;
  } catch (err) {
    return err as FirehoseServiceException;
  }
  throw new Error("the call succeeded");
}

describe("local: Firehose endpoint with the AWS SDK", () => {
  let run: Running;
  before(async () => {
    run = await runStack(settingsOf("dev"));
  });
  after(async () => {
    await run.stop();
  });

  it("lists the stack's S3 streams by their program names", async () => {
    const out = await run.client.send(new ListDeliveryStreamsCommand({}));
    assert.deepEqual(out.DeliveryStreamNames, [STREAM]);
    assert.equal(out.HasMoreDeliveryStreams, false);
  });

  it("describes a stream as the stack configures it", async () => {
    const { DeliveryStreamDescription: d } = await run.client.send(
      new DescribeDeliveryStreamCommand({ DeliveryStreamName: STREAM }),
    );
    assert.equal(d?.DeliveryStreamARN, `arn:aws:firehose:eu-west-1:123456789012:deliverystream/${STREAM}`);
    assert.equal(d?.DeliveryStreamStatus, "ACTIVE");
    assert.equal(d?.DeliveryStreamType, "DirectPut");
    assert.ok(d?.CreateTimestamp instanceof Date);
    const s3 = d?.Destinations?.[0].ExtendedS3DestinationDescription;
    assert.equal(s3?.Prefix, "data/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/");
    assert.equal(
      s3?.ErrorOutputPrefix,
      "errors/events/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
    );
    assert.deepEqual(s3?.BufferingHints, { SizeInMBs: 5, IntervalInSeconds: 60 });
    assert.equal(s3?.CompressionFormat, "GZIP");
    assert.equal(s3?.BucketARN, "arn:aws:s3:::firehose-etl-dev-lake");
  });

  it("PutRecord returns a record id and Encrypted for a Direct PUT stream", async () => {
    const out = await run.client.send(
      new PutRecordCommand({
        DeliveryStreamName: STREAM,
        Record: { Data: Buffer.from('{"action":"click"}\n') },
      }),
    );
    assert.match(out.RecordId ?? "", /^\d{56}$/);
    assert.equal(out.Encrypted, true);
  });

  it("an unknown stream is ResourceNotFoundException", async () => {
    const err = await rejection(
      run.client.send(
        new PutRecordBatchCommand({ DeliveryStreamName: "nope", Records: [{ Data: Buffer.from("x") }] }),
      ),
    );
    assert.ok(err instanceof ResourceNotFoundException);
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.match(err.message, /^Firehose nope under account 123456789012 not found\./);
  });

  it("more than 500 records is the service's validation error", async () => {
    const Records = Array.from({ length: 501 }, () => ({ Data: Buffer.from("{}\n") }));
    const err = await rejection(
      run.client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records })),
    );
    assert.equal(err.name, "ValidationException");
    assert.equal(
      err.message,
      "1 validation error detected: Value '[501 records]' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500",
    );
  });

  it("a record over 1,000 KiB is the service's validation error, naming the record", async () => {
    const Records = [{ Data: Buffer.from("{}\n") }, { Data: Buffer.alloc(1_024_001, 0x61) }];
    const err = await rejection(
      run.client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records })),
    );
    assert.equal(err.name, "ValidationException");
    assert.equal(
      err.message,
      "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=1024001 cap=1024001]' at 'records.2.member.data' failed to satisfy constraint: Member must have length less than or equal to 1024000",
    );
  });

  it("more than 4 MiB in a batch is InvalidArgumentException; exactly the limits pass", async () => {
    const big = (n: number) => ({ Data: Buffer.alloc(n, 0x61) });
    const over = [big(1_024_000), big(1_024_000), big(1_024_000), big(1_024_000), big(98_305)];
    const err = await rejection(
      run.client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: over })),
    );
    assert.equal(err.name, "InvalidArgumentException");
    assert.equal(err.message, "Records size exceeds 4 MB limit");
    const exact = [big(1_024_000), big(1_024_000), big(1_024_000), big(1_024_000), big(98_304)];
    const out = await run.client.send(
      new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: exact }),
    );
    assert.equal(out.FailedPutCount, 0);
    assert.equal(out.RequestResponses?.length, 5);
  });

  it("a batch with a control character in its data is invalid JSON, not invalid base64", async () => {
    const res = await fetch(run.endpoint.url, {
      method: "POST",
      headers: {
        "X-Amz-Target": "Firehose_20150804.PutRecordBatch",
        "Content-Type": "application/x-amz-json-1.1",
      },
      body: `{"DeliveryStreamName":"${STREAM}","Records":[{"Data":"QUJD"},{"Data":"QU\u0001JD"}]}`,
    });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      __type: "SerializationException",
      message: "the request body is not valid JSON",
    });
  });

  it("an operation the endpoint does not serve is UnknownOperationException", async () => {
    const res = await fetch(run.endpoint.url, {
      method: "POST",
      headers: {
        "X-Amz-Target": "Firehose_20150804.CreateDeliveryStream",
        "Content-Type": "application/x-amz-json-1.1",
      },
      body: "{}",
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get("x-amzn-errortype"), "UnknownOperationException");
    assert.equal(((await res.json()) as { __type: string }).__type, "UnknownOperationException");
  });
});

describe("local: Direct PUT quota (--put-quota-mib)", () => {
  let run: Running;
  before(async () => {
    run = await runStack(settingsOf("dev"), { putQuotaMiBPerSecond: 0.001 });
  });
  after(async () => {
    await run.stop();
  });

  it("records over the quota fail one by one, as Firehose reports throttling", async () => {
    // 0.001 MiB/s allows a burst of 1,048 bytes: three 400-byte records fit two.
    const Records = [0, 1, 2].map(() => ({ Data: Buffer.alloc(400, 0x20) }));
    const out = await run.client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records }));
    assert.equal(out.FailedPutCount, 1);
    assert.match(out.RequestResponses?.[0].RecordId ?? "", /^\d{56}$/);
    assert.deepEqual(out.RequestResponses?.[2], {
      ErrorCode: "ServiceUnavailableException",
      ErrorMessage: "Slow down.",
    });
  });
});
