// The transform Lambda is configured only through environment variables; this is the one mapping from stack
// settings to them, used by the deployed function and by the local run alike.
import { PartitioningSettings, TransformSettings } from "./settings";

/** Environment of the transform, without the masking key (a secret, supplied separately). */
export function transformEnvironment(
  transform: TransformSettings,
  partitioning: PartitioningSettings | undefined,
): Record<string, string> {
  const lambdaKeys = partitioning?.extractor === "lambda" ? partitioning : undefined;
  const detect = transform.piiDetect;
  return {
    // piiFields and the columns marked `pii: true`, each once whatever its case.
    PII_FIELDS: transform.maskedPaths.join(","),
    PII_HASH_MODE: transform.hashMode,
    PII_HASH_LENGTH: String(transform.hashLength),
    // Absent when detection is off.
    ...(detect ? { PII_DETECT: detect.detectors.join(","), PII_DETECT_ACTION: detect.action } : {}),
    DROP_RULES: JSON.stringify(transform.dropRules),
    FIELD_DEFAULTS: JSON.stringify(transform.fieldDefaults),
    PARTITION_FIELDS: lambdaKeys ? lambdaKeys.fields.map((f) => f.name).join(",") : "",
    PARTITION_TIME: lambdaKeys?.time === "event" ? lambdaKeys.granularity : "",
  };
}
