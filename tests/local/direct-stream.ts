// A local delivery stream built directly (no stack, no endpoint, no bundle), for tests of delivery itself: a
// transform that returns each JSON record unchanged with its field `k` as the Lambda partition key, objects under
// `data/k=<k>/`, error documents under `errors/<error output type>/`.
import { DeliveryStreamConfig, LocalDeliveryStream, StreamOutput } from "../../local/delivery-stream";
import { LakeStore } from "../../local/lake-store";
import { Prefix } from "../../local/prefix";
import { RecordData } from "../../local/records";
import { tempDir } from "../support/temp-dir";

export const BUCKET = "bucket";
const HOUR_MS = 3_600_000;

/** Each record back unchanged, partitioned by its `k` (or `none`). */
async function passThrough(event: unknown): Promise<unknown> {
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

export function directStream(
  options: Partial<Pick<DeliveryStreamConfig, "journal" | "retry" | "activePartitionLimit">> & {
    lakeDir?: string;
    output?: StreamOutput;
  } = {},
): { stream: LocalDeliveryStream; store: LakeStore; lakeDir: string } {
  const lakeDir = options.lakeDir ?? tempDir("direct-lake");
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
    output: options.output ?? { format: "json", compression: "UNCOMPRESSED" },
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
    journal: options.journal,
    retry: options.retry,
    activePartitionLimit: options.activePartitionLimit,
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
