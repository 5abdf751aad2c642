// A well-behaved producer with the AWS SDK: PutRecordBatch to a Firehose stream, or PutRecords to the Kinesis data
// stream a Kinesis-sourced stack reads, in batches within the API's limits, retrying only the records a call
// reports as failed, with backoff.
import { FirehoseClient, PutRecordBatchCommand } from "@aws-sdk/client-firehose";
import { KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { randomUUID } from "node:crypto";
import { MAX_KINESIS_RECORDS, MAX_KINESIS_REQUEST_BYTES } from "./kinesis-source";
import type { LocalStack } from "./local-stack";
import { MAX_BATCH_BYTES, MAX_BATCH_RECORDS } from "./put-request";

/** A client for the local endpoint: the SDK needs a region and credentials, which the endpoint ignores. */
export function localFirehoseClient(endpoint: string, region: string): FirehoseClient {
  return new FirehoseClient({
    endpoint,
    region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

/** A put call's limits: records and bytes per call, and the bytes a record counts for. */
interface CallLimits {
  readonly records: number;
  readonly bytes: number;
  readonly sizeOf: (record: Buffer) => number;
}

/**
 * Sends every record in calls within `limits`, retrying only the records a call reports as failed (each call
 * returns whether each record failed), with backoff; returns how many calls it took.
 */
async function sendInBatches(
  records: readonly Buffer[],
  limits: CallLimits,
  call: (batch: readonly Buffer[]) => Promise<boolean[]>,
): Promise<number> {
  let calls = 0;
  let batch: Buffer[] = [];
  let bytes = 0;
  const send = async () => {
    let todo = batch;
    for (let attempt = 0; todo.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** attempt)));
      calls++;
      const failed = await call(todo);
      todo = todo.filter((_, i) => failed[i]);
    }
    batch = [];
    bytes = 0;
  };
  for (const record of records) {
    const size = limits.sizeOf(record);
    if (batch.length === limits.records || bytes + size > limits.bytes) await send();
    batch.push(record);
    bytes += size;
  }
  if (batch.length > 0) await send();
  return calls;
}

/** Sends every record with PutRecordBatch; returns how many calls it took. */
export function putAll(
  client: FirehoseClient,
  streamName: string,
  records: readonly Buffer[],
): Promise<number> {
  const limits = { records: MAX_BATCH_RECORDS, bytes: MAX_BATCH_BYTES, sizeOf: (r: Buffer) => r.length };
  return sendInBatches(records, limits, async (batch) => {
    const out = await client.send(
      new PutRecordBatchCommand({ DeliveryStreamName: streamName, Records: batch.map((Data) => ({ Data })) }),
    );
    return batch.map((_, i) => out.RequestResponses?.[i]?.ErrorCode !== undefined);
  });
}

/** A client for the local endpoint's Kinesis API (the stack's source stream). */
export function localKinesisClient(endpoint: string, region: string): KinesisClient {
  return new KinesisClient({
    endpoint,
    region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    // Kinesis prefixes the host with the account for ARN-addressed calls; loopback has no such host.
    disableHostPrefix: true,
    // The Kinesis client speaks HTTP/2 by default (for SubscribeToShard); PutRecords works over HTTP/1.1 too.
    requestHandler: new NodeHttpHandler(),
  });
}

/** Sends every record to a Kinesis data stream with PutRecords; returns how many calls it took. */
export function putAllToKinesis(
  client: KinesisClient,
  streamName: string,
  records: readonly Buffer[],
): Promise<number> {
  // Kinesis counts each record's partition key too: a 36-character UUID here.
  const limits = {
    records: MAX_KINESIS_RECORDS,
    bytes: MAX_KINESIS_REQUEST_BYTES,
    sizeOf: (r: Buffer) => r.length + 36,
  };
  return sendInBatches(records, limits, async (batch) => {
    const out = await client.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: batch.map((Data) => ({ Data, PartitionKey: randomUUID() })),
      }),
    );
    return batch.map((_, i) => out.Records?.[i]?.ErrorCode !== undefined);
  });
}

/** Where a stack's producers put records locally: its Kinesis source stream, or its first delivery stream. */
export interface StackProducer {
  /** The stream records are put to, and the call that puts them. */
  readonly target: string;
  readonly call: "PutRecords" | "PutRecordBatch";
  /** Sends every record; returns how many calls it took. */
  put(records: readonly Buffer[]): Promise<number>;
  close(): void;
}

export function stackProducer(stack: LocalStack, endpoint: string): StackProducer {
  const region = stack.settings.region;
  if (stack.source) {
    const client = localKinesisClient(endpoint, region);
    const target = stack.source.name;
    return {
      target,
      call: "PutRecords",
      put: (r) => putAllToKinesis(client, target, r),
      close: () => client.destroy(),
    };
  }
  const client = localFirehoseClient(endpoint, region);
  const target = stack.streams[0].name;
  return {
    target,
    call: "PutRecordBatch",
    put: (r) => putAll(client, target, r),
    close: () => client.destroy(),
  };
}
