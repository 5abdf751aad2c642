// The RecordDeAggregation processor's parameters, as the stack (components/destinations/s3.ts) declares them;
// the local run reads them back from the declared stream (local/declared-stream.ts).
import { DeaggregationSettings } from "./settings";

export const DEAGGREGATION_PROCESSOR = "RecordDeAggregation";

/** Firehose caps de-aggregation at 500 records per input record. */
export const MAX_SUB_RECORDS = 500;

/** `SubRecordType`, and for DELIMITED the `Delimiter`, which Firehose takes base64-encoded. */
export function deaggregationParameters(settings: DeaggregationSettings): { name: string; value: string }[] {
  const parameters: { name: string; value: string }[] = [
    { name: "SubRecordType", value: settings.subRecordType },
  ];
  if (settings.subRecordType === "DELIMITED" && settings.delimiter !== undefined) {
    parameters.push({ name: "Delimiter", value: Buffer.from(settings.delimiter).toString("base64") });
  }
  return parameters;
}
