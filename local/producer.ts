// A well-behaved Firehose producer with the AWS SDK: PutRecordBatch in batches within the API's limits,
// retrying only the records a batch reports as failed, with backoff.
import { FirehoseClient, PutRecordBatchCommand } from "@aws-sdk/client-firehose";
import { MAX_BATCH_BYTES, MAX_BATCH_RECORDS } from "./put-request";

/** A client for the local endpoint: the SDK needs a region and credentials, which the endpoint ignores. */
export function localFirehoseClient(endpoint: string, region: string): FirehoseClient {
  return new FirehoseClient({
    endpoint,
    region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

/** Sends every record; returns how many PutRecordBatch calls it took. */
export async function putAll(
  client: FirehoseClient,
  streamName: string,
  records: readonly Buffer[],
): Promise<number> {
  let calls = 0;
  let batch: Buffer[] = [];
  let bytes = 0;
  const send = async () => {
    let todo = batch;
    for (let attempt = 0; todo.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** attempt)));
      calls++;
      const out = await client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: streamName,
          Records: todo.map((Data) => ({ Data })),
        }),
      );
      todo = todo.filter((_, i) => out.RequestResponses?.[i]?.ErrorCode !== undefined);
    }
    batch = [];
    bytes = 0;
  };
  for (const record of records) {
    if (batch.length === MAX_BATCH_RECORDS || bytes + record.length > MAX_BATCH_BYTES) await send();
    batch.push(record);
    bytes += record.length;
  }
  if (batch.length > 0) await send();
  return calls;
}
