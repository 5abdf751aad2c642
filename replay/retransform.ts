// `--retransform`: the check an operator makes before replaying after a fix. Runs the stack's current transform
// bundle, with the environment the program declares for it (local/declared-stack.ts), over the raw records, and
// says how many would now be Ok, Dropped or still failing; for a Parquet pipeline, an Ok record that the table's
// columns cannot hold still fails (format conversion), as the local run decides it.
import { randomUUID } from "node:crypto";
import { streamNameOf } from "../config/naming";
import { PipelineSettings, StackSettings } from "../config/settings";
import { declareStack, localTransformOf } from "../local/declared-stack";
import { declaredStreams } from "../local/declared-stream";
import { parquetColumnsOf, rowOf } from "../local/parquet-object";
import { ACCOUNT_ID } from "../local/endpoint";
import { AcceptedRecord } from "../local/records";
import { LOCAL_PII_HASH_KEY, loadTransformHandler } from "../local/transform-bundle";
import { invokeTransform } from "../local/transform-invocation";

export interface RetransformCounts {
  ok: number;
  dropped: number;
  /** Still failing, by reason (`processing-failed <code>` or `format-conversion-failed`). */
  failing: Map<string, number>;
}

/** Records per transformation event, as a 1 MiB processor buffer would hold ~300-byte records. */
const EVENT_RECORDS = 500;

export async function retransform(
  settings: StackSettings,
  pipeline: PipelineSettings,
  bundleFile: string,
  records: readonly Buffer[],
  piiHashKey: string = process.env.PII_HASH_KEY ?? LOCAL_PII_HASH_KEY,
): Promise<RetransformCounts> {
  const declared = await declareStack(settings);
  const streamName = streamNameOf(settings, pipeline.name);
  // As the local run: $PII_HASH_KEY, else the local key (an unusable key fails every record, as it would).
  const transform = localTransformOf(declared, streamName, piiHashKey);
  const handler = loadTransformHandler(bundleFile, transform.environment, () => undefined);
  const output = declaredStreams(declared).streams.find((s) => s.name === streamName)?.output;
  const columns = output?.format === "parquet" ? parquetColumnsOf(output.columns) : undefined;
  const counts: RetransformCounts = { ok: 0, dropped: 0, failing: new Map() };
  const fail = (reason: string) => counts.failing.set(reason, (counts.failing.get(reason) ?? 0) + 1);
  const context = {
    handler,
    streamArn: `arn:aws:firehose:${settings.region}:${ACCOUNT_ID}:deliverystream/${streamName}`,
    region: settings.region,
    retries: 0,
  };
  for (let start = 0; start < records.length; start += EVENT_RECORDS) {
    const batch: AcceptedRecord[] = records.slice(start, start + EVENT_RECORDS).map((data) => ({
      recordId: randomUUID(),
      data: { base64: data.toString("base64"), bytes: data.length },
      arrivalMs: Date.now(),
      // Not journalled: a retransform only predicts.
      segment: 0,
      line: 0,
    }));
    for (const outcome of await invokeTransform(batch, context)) {
      if (outcome.result === "Dropped") counts.dropped++;
      else if (outcome.result === "ProcessingFailed") fail(`processing-failed ${outcome.errorCode}`);
      else if (columns && rowOf(outcome.data, columns) instanceof Error) fail("format-conversion-failed");
      else counts.ok++;
    }
  }
  return counts;
}
