import { decodeRecordData, DecodeFailure } from "./decode";
import { matchesDropRule } from "./drop-rules";
import { base64Line } from "./json-line";
import { maskFields } from "./mask";
import { normaliseRecord } from "./normalise";
import { TransformOptions } from "./options";
import { PartitionKeys, partitionKeysFor } from "./partition-keys";

/** What a record's transformation needs besides the record: validated options and the pseudonym digest. */
export interface RecordPipeline {
  readonly options: TransformOptions;
  readonly digest: (value: string) => string;
}

export type RecordOutcome =
  | { readonly result: "Ok"; readonly data: string; readonly partition: PartitionKeys | undefined }
  | { readonly result: "Dropped" }
  | { readonly result: "ProcessingFailed"; readonly reason: DecodeFailure };

const DROPPED: RecordOutcome = { result: "Dropped" };

/**
 * One record: decode, normalise, drop rules, masking, partition keys, then compact JSON plus a newline (JSON
 * Lines). Drop rules see the normalised but unmasked record; partition keys see the masked one, so a PII value
 * can never reach an S3 key.
 */
export function transformRecord(data: unknown, arrivalMs: unknown, pipeline: RecordPipeline): RecordOutcome {
  const record = decodeRecordData(data);
  if (typeof record === "string") return { result: "ProcessingFailed", reason: record };
  const { options } = pipeline;
  normaliseRecord(record, options.fieldDefaults);
  if (matchesDropRule(record, options.dropRules)) return DROPPED;
  maskFields(record, options.piiFields, pipeline.digest);
  const partition = partitionKeysFor(record, options.partition, arrivalMs);
  return { result: "Ok", data: base64Line(JSON.stringify(record)), partition };
}
