// A local delivery stream built directly (no stack, no endpoint, no bundle), for tests of delivery itself: a
// transform that returns each JSON record unchanged with its field `k` as the Lambda partition key, objects under
// `data/k=<k>/`, error documents under `errors/<error output type>/`.
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { DeliveryStreamConfig, LocalDeliveryStream } from "../../local/delivery-stream";
import { LakeStore } from "../../local/lake-store";
import { Prefix } from "../../local/prefix";
import { RecordData } from "../../local/records";
import { tempDir } from "../support/temp-dir";

export const BUCKET = "bucket";
const HOUR_MS = 3_600_000;

/** Each record back unchanged, partitioned by its `k` (or `none`). */
export async function passThrough(event: unknown): Promise<unknown> {
  const { records } = event as { records: { recordId: string; data: string }[] };
  return {
    records: records.map((r) => {
      const parsed = JSON.parse(Buffer.from(r.data, "base64").toString()) as { k?: string };
      return {
        recordId: r.recordId,
        result: "Ok",
        data: r.data,
        metadata: { partitionKeys: { k: parsed.k ?? "none" } },
      };
    }),
  };
}

/** The stream's configuration with any field but the store replaced by `options` (`lakeDir`: the lake's folder). */
export function directStream(
  options: Partial<Omit<DeliveryStreamConfig, "store">> & { lakeDir?: string } = {},
): { stream: LocalDeliveryStream; store: LakeStore; lakeDir: string } {
  const { lakeDir = tempDir("direct-lake"), ...config } = options;
  const store = new LakeStore(lakeDir, BUCKET);
  const stream = new LocalDeliveryStream({
    name: "direct",
    arn: "arn:aws:firehose:eu-west-1:000000000000:deliverystream/direct",
    region: "eu-west-1",
    description: {},
    encrypted: false,
    transform: { handler: passThrough, buffer: { sizeBytes: 1024 * 1024, intervalMs: HOUR_MS }, retries: 0 },
    prefix: Prefix.compile("data/k=!{partitionKeyFromLambda:k}/", "prefix"),
    errorOutputPrefix: Prefix.compile("errors/!{firehose:error-output-type}/", "errorOutputPrefix"),
    buffer: { sizeBytes: 64 * 1024 * 1024, intervalMs: HOUR_MS },
    output: { format: "json", compression: "UNCOMPRESSED" },
    store,
    errorDocuments: {
      lambdaArn: "arn:aws:lambda:eu-west-1:000000000000:function:f",
      dataCatalogTable: {
        catalogId: "000000000000",
        databaseName: "db",
        tableName: "t",
        region: "eu-west-1",
        versionId: "0",
      },
    },
    ...config,
  });
  return { stream, store, lakeDir };
}

/** JSON records as PutRecordBatch carries them. */
export function recordsOf(values: readonly Record<string, unknown>[]): RecordData[] {
  return values.map((value) => {
    const bytes = Buffer.from(`${JSON.stringify(value)}\n`);
    return { base64: bytes.toString("base64"), bytes: bytes.length };
  });
}

/**
 * Makes the lake refuse writes under `under` (a key prefix in the bucket) by putting a file where that folder
 * should be; returns the file, whose removal lets the writes through.
 */
export function blockLakeWrites(lakeDir: string, under = "data"): string {
  const blocker = path.join(lakeDir, BUCKET, under);
  mkdirSync(path.dirname(blocker), { recursive: true });
  writeFileSync(blocker, "not a folder");
  return blocker;
}
