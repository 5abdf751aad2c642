// AWS's limits on a Firehose stream's buffers, Lambda processor and retries: the one table that the stack's
// config schema (config/), the policy pack's rules and its config defaults all read. It lives in the pack so that
// the pack stays self-contained for `pulumi policy publish`; config may import from policy/, never the reverse.
import { Destination } from "./firehose-destinations";

export interface Range {
  readonly min: number;
  readonly max: number;
}

export interface BufferLimits {
  readonly sizeMiB: Range;
  readonly intervalSeconds: Range;
  /** What the provider sends when the field is unset. */
  readonly defaultSizeMiB: number;
  readonly defaultIntervalSeconds: number;
}

const standard = (maxSizeMiB: number): BufferLimits => ({
  sizeMiB: { min: 1, max: maxSizeMiB },
  intervalSeconds: { min: 0, max: 900 },
  defaultSizeMiB: 5,
  defaultIntervalSeconds: 300,
});

/** AWS's bounds (Firehose API) and the provider's defaults, for each destination's own buffer. */
export const DESTINATION_BUFFER_LIMITS: Readonly<Record<Destination, BufferLimits>> = {
  extended_s3: standard(128),
  // Redshift buffers in its S3 staging configuration.
  redshift: standard(128),
  opensearch: standard(100),
  opensearchserverless: standard(100),
  elasticsearch: standard(100),
  http_endpoint: standard(64),
  splunk: {
    sizeMiB: { min: 1, max: 5 },
    intervalSeconds: { min: 0, max: 60 },
    defaultSizeMiB: 5,
    defaultIntervalSeconds: 60,
  },
  snowflake: { ...standard(128), defaultSizeMiB: 1, defaultIntervalSeconds: 0 },
  iceberg: standard(128),
};

/** The S3 configuration of a non-S3 destination, and every S3 backup configuration. */
export const S3_CONFIGURATION_LIMITS = standard(128);

export const DYNAMIC_PARTITIONING_MIN_SIZE_MIB = 64;
export const DYNAMIC_PARTITIONING_MIN_INTERVAL_SECONDS = 60;
export const FORMAT_CONVERSION_MIN_SIZE_MIB = 64;

/**
 * The Lambda processor's `BufferSizeInMBs` (0.2-3: Lambda's 6 MB payload) and `BufferIntervalInSeconds` (current
 * docs say 0-900, older docs 60-900: 60-900 is the range every reading accepts).
 */
export const LAMBDA_PROCESSOR_BUFFER = {
  sizeMiB: { min: 0.2, max: 3 },
  intervalSeconds: { min: 60, max: 900 },
} as const;

/** Firehose's values for the Lambda processor's parameters when they are not set (Firehose API, ProcessorParameter). */
export const LAMBDA_PROCESSOR_DEFAULTS = {
  BufferSizeInMBs: 1,
  BufferIntervalInSeconds: 60,
  NumberOfRetries: 3,
} as const;

/** `retryDuration` of every destination that has one, in seconds (Firehose API). */
export const RETRY_SECONDS: Range = { min: 0, max: 7200 };
