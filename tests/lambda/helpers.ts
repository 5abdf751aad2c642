import { FirehoseTransformationEvent, FirehoseTransformationEventRecord } from "aws-lambda";
import { createHmac } from "node:crypto";
import { parseTransformOptions, TransformEnvironment } from "../../lambda/transform/options";
import { createDigester } from "../../lambda/transform/pseudonym";
import { RecordPipeline } from "../../lambda/transform/transform-record";

export const TEST_KEY = "test-hmac-key-0123456789abcdef";
export const ARRIVAL_MS = Date.UTC(2025, 10, 25, 13, 45, 0);

/** The EMF metric definitions every batch's log line carries, written out (not imported) so a renamed metric fails. */
export const BATCH_METRIC_DEFINITIONS = [
  {
    Namespace: "FirehoseEtl/Transform",
    Dimensions: [["FunctionName"]],
    Metrics: [
      { Name: "RecordsIn", Unit: "Count" },
      { Name: "RecordsOk", Unit: "Count" },
      { Name: "RecordsDropped", Unit: "Count" },
      { Name: "RecordsProcessingFailed", Unit: "Count" },
      { Name: "RecordsOverResponseLimit", Unit: "Count" },
      { Name: "ResponseBytes", Unit: "Bytes" },
    ],
  },
];

export function base64Of(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return Buffer.from(text, "utf8").toString("base64");
}

/** The text of an Ok record's data, which must end in exactly one newline. */
export function textOf(data: string | undefined): string {
  if (data === undefined) throw new Error("Ok record without data");
  const text = Buffer.from(data, "base64").toString("utf8");
  if (!text.endsWith("\n") || text.slice(0, -1).includes("\n")) throw new Error(`not one JSON line: ${text}`);
  return text.slice(0, -1);
}

export function recordOf(
  value: unknown,
  recordId: string,
  arrivalMs = ARRIVAL_MS,
): FirehoseTransformationEventRecord {
  return { recordId, approximateArrivalTimestamp: arrivalMs, data: base64Of(value) };
}

export function eventOf(values: readonly unknown[]): FirehoseTransformationEvent {
  return {
    invocationId: "test-invocation",
    deliveryStreamArn: "arn:aws:firehose:eu-west-1:123456789012:deliverystream/test",
    region: "eu-west-1",
    records: values.map((value, index) => recordOf(value, `record-${index}`)),
  };
}

/** The expected pseudonym, computed independently of the transform's code. */
export function hmacPseudonym(name: string, value: string, key = TEST_KEY, hexLength = 32): string {
  return `${name}_hash_${createHmac("sha256", key).update(value, "utf8").digest("hex").slice(0, hexLength)}`;
}

/** A pipeline as the handler builds it, from environment variables and a key. */
export function pipelineFor(env: TransformEnvironment = {}, key = TEST_KEY): RecordPipeline {
  const options = parseTransformOptions(env);
  return { options, digest: createDigester({ mode: options.hashMode, key, hexLength: options.hashLength }) };
}
