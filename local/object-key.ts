// Firehose's object names: `<evaluated prefix><stream>-<stream version>-<yyyy-MM-dd-HH-mm-ss>-<uuid><extension>`,
// the time being the arrival of the oldest record in the object (UTC), the extension `.gz` for GZIP and
// `.parquet` for Parquet conversion.
import { randomUUID } from "node:crypto";
import { compileDateFormat } from "../policy/lib/java-date-format";

/** Firehose numbers stream versions from 1 (one more per configuration change). */
export const STREAM_VERSION = 1;

const SUFFIX_TIME = compileDateFormat("yyyy-MM-dd-HH-mm-ss");

export function objectKey(
  prefix: string,
  streamName: string,
  oldestArrivalMs: number,
  extension: string,
): string {
  return `${prefix}${streamName}-${STREAM_VERSION}-${SUFFIX_TIME(oldestArrivalMs)}-${randomUUID()}${extension}`;
}
