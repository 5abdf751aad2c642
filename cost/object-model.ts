// What objects an S3-writing pipeline produces: Firehose keeps one buffer per active partition and writes an
// object when the buffer holds `sizeMiB` of incoming data or is `intervalSeconds` old, whichever comes first
// (the buffer size is counted before compression). The object then holds that data compressed or converted.
import { DestinationSettings, S3DestinationSettings } from "../config/settings";

/**
 * Bytes written per byte received, per output format, unless the usage says otherwise. Measured with `npm start`
 * on its sample workload (784,314 bytes in 3,000 records; README, "Cost and object-size estimate"): JSON Lines +
 * GZIP wrote 0.18 of the bytes received (dev), Parquet + SNAPPY 0.26 (prod's lake, in objects of 145-506 rows,
 * whose fixed Parquet overhead large objects would not have). The others are assumptions: ZIP as GZIP; Snappy and
 * HADOOP_SNAPPY half of the input; Parquet + GZIP a fifth less than SNAPPY; uncompressed Parquet 0.6.
 */
export const DEFAULT_BYTES_WRITTEN_RATIO = {
  "json/UNCOMPRESSED": 1,
  "json/GZIP": 0.18,
  "json/ZIP": 0.18,
  "json/Snappy": 0.5,
  "json/HADOOP_SNAPPY": 0.5,
  "parquet/SNAPPY": 0.26,
  "parquet/GZIP": 0.21,
  "parquet/UNCOMPRESSED": 0.6,
} as const;

export type OutputFormat = keyof typeof DEFAULT_BYTES_WRITTEN_RATIO;

/** Zero buffering (interval 0) is modeled as one object per second per partition. */
const ZERO_BUFFER_INTERVAL_SECONDS = 1;

export interface ObjectModelInput {
  /** Bytes per second the pipeline receives while active. */
  readonly bytesPerSecond: number;
  readonly buffer: { readonly sizeMiB: number; readonly intervalSeconds: number };
  /** Buffers open at once: active partitions (1 without dynamic partitioning). */
  readonly partitions: number;
  readonly bytesWrittenRatio: number;
}

export interface ObjectModel {
  /** Objects written per hour while the pipeline is active. */
  readonly perHour: number;
  /** Mean bytes per object (0 when nothing is written). */
  readonly meanBytes: number;
  /** Bytes written per hour while active: perHour × meanBytes. */
  readonly bytesPerHour: number;
  /** Incoming bytes each object holds before compression: what the buffer filled to. */
  readonly inputBytesPerObject: number;
  /** Which limit flushes the buffer. */
  readonly flushedBy: "size" | "interval";
}

export function objectModel(input: ObjectModelInput): ObjectModel {
  const bytesPerHour = input.bytesPerSecond * 3600 * input.bytesWrittenRatio;
  if (input.bytesPerSecond === 0) {
    return { perHour: 0, meanBytes: 0, bytesPerHour: 0, inputBytesPerObject: 0, flushedBy: "interval" };
  }
  const perPartition = input.bytesPerSecond / input.partitions;
  const interval = Math.max(input.buffer.intervalSeconds, ZERO_BUFFER_INTERVAL_SECONDS);
  const sizeBytes = input.buffer.sizeMiB * 1024 * 1024;
  const secondsToFill = sizeBytes / perPartition;
  const flushedBy = secondsToFill < interval ? "size" : "interval";
  const secondsPerObject = Math.min(secondsToFill, interval);
  const perHour = (input.partitions * 3600) / secondsPerObject;
  return {
    perHour,
    meanBytes: bytesPerHour / perHour,
    bytesPerHour,
    inputBytesPerObject: perPartition * secondsPerObject,
    flushedBy,
  };
}

/** The output format key of an S3 destination. */
export function outputFormatOf(dest: S3DestinationSettings): OutputFormat {
  return dest.format === "parquet" ? `parquet/${dest.parquetCompression}` : `json/${dest.compression}`;
}

/**
 * What a pipeline writes to the lake, if anything: its data (S3), its COPY staging objects (Redshift: GZIP JSON),
 * or a backup of every record (OpenSearch `AllDocuments`, HTTP `AllData`, GZIP JSON). Failed-records-only backups
 * are not modeled (they depend on the failure rate).
 */
export function lakeOutputOf(
  dest: DestinationSettings,
): { format: OutputFormat; partitioned: boolean } | undefined {
  switch (dest.type) {
    case "s3":
      return { format: outputFormatOf(dest), partitioned: dest.partitioning !== undefined };
    case "redshift":
      return { format: "json/GZIP", partitioned: false };
    case "opensearch":
      return dest.backupMode === "AllDocuments" ? { format: "json/GZIP", partitioned: false } : undefined;
    case "http":
      return dest.backupMode === "AllData" ? { format: "json/GZIP", partitioned: false } : undefined;
    case "iceberg":
      // Iceberg's own Parquet files and their compaction are not modeled yet: only a backup of all data is.
      return dest.backupMode === "AllData" ? { format: "json/GZIP", partitioned: false } : undefined;
  }
}
