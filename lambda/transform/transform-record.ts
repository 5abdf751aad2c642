import { decodeRecordData, DecodeFailure } from "./decode";
import { matchesDropRule } from "./drop-rules";
import { base64Line } from "./json-line";
import { maskFields } from "./mask";
import { normaliseRecord } from "./normalise";
import { TransformOptions } from "./options";
import { PartitionKeys, partitionKeysFor } from "./partition-keys";
import { detectPii, PiiDetectedCounts } from "./pii-detect";
import { unwrapReplay } from "./replay-envelope";

/** What a record's transformation needs besides the record: validated options and the pseudonym digest. */
export interface RecordPipeline {
  readonly options: TransformOptions;
  readonly digest: (value: string) => string;
  /** The invoking delivery stream (from the event's ARN): replay envelopes for other streams are dropped. */
  readonly deliveryStream?: string;
}

export type RecordOutcome =
  | { readonly result: "Ok"; readonly data: string; readonly partition: PartitionKeys | undefined }
  | { readonly result: "Dropped" }
  | {
      readonly result: "ProcessingFailed";
      readonly reason: DecodeFailure | "pii_detected" | "invalid_replay_envelope";
    };

const DROPPED: RecordOutcome = { result: "Dropped" };
const PII_DETECTED: RecordOutcome = { result: "ProcessingFailed", reason: "pii_detected" };

/**
 * One record: decode, normalise, drop rules, masking, the PII detector, partition keys, then compact JSON plus a
 * newline (JSON Lines). Drop rules see the normalised but unmasked record; partition keys see the masked one, so
 * a PII value can never reach an S3 key. `detected` is the batch's count of values the detector found.
 */
export function transformRecord(
  data: unknown,
  arrivalMs: unknown,
  pipeline: RecordPipeline,
  detected: PiiDetectedCounts,
): RecordOutcome {
  let record = decodeRecordData(data);
  if (typeof record === "string") return { result: "ProcessingFailed", reason: record };
  const replayed = unwrapReplay(record, pipeline.deliveryStream);
  if (replayed !== undefined) {
    if (replayed === "other") return DROPPED;
    if (replayed === "invalid") return { result: "ProcessingFailed", reason: "invalid_replay_envelope" };
    record = decodeRecordData(replayed.data);
    if (typeof record === "string") return { result: "ProcessingFailed", reason: record };
  }
  const { options } = pipeline;
  normaliseRecord(record, options.fieldDefaults, options.hashLength);
  if (matchesDropRule(record, options.dropRules)) return DROPPED;
  maskFields(record, options.piiPaths, pipeline.digest, options.hashLength);
  if (
    options.piiDetect.detectors.length > 0 &&
    detectPii(record, options.piiDetect, pipeline.digest, detected)
  )
    return PII_DETECTED;
  const partition = partitionKeysFor(record, options.partition, arrivalMs);
  return { result: "Ok", data: base64Line(JSON.stringify(record)), partition };
}
