// Where each pipeline's failures are in the lake, and which objects a replay selects: by pipeline, error type
// and the time in the object's name.
import { errorPrefixOf, s3Layout } from "../config/layout";
import { PipelineSettings } from "../config/settings";
import { ErrorType } from "./failures";
import { copyErrorPrefixOf } from "./redshift-copy";

export interface FailureSource {
  readonly pipeline: string;
  readonly errorType: ErrorType;
  /** The fixed part of the prefix the failures of this type are under. */
  readonly prefix: string;
}

const TYPE_EXPRESSION = "!{firehose:error-output-type}";

/** The failure types a pipeline's destination can produce, and where each one's objects are. */
export function sourcesOf(pipeline: PipelineSettings): FailureSource[] {
  const dest = pipeline.destination;
  const at = (errorOutputPrefix: string, types: ErrorType[]) =>
    types.map((errorType) => ({
      pipeline: pipeline.name,
      errorType,
      prefix: fixedPartOf(errorOutputPrefix.split(TYPE_EXPRESSION).join(errorType), pipeline.name),
    }));
  switch (dest.type) {
    case "s3": {
      const prefix = s3Layout(dest, pipeline.name).errorOutputPrefix;
      if (!prefix.includes(TYPE_EXPRESSION)) {
        throw new Error(
          `pipeline '${pipeline.name}': errorOutputPrefix must contain ${TYPE_EXPRESSION} to tell failure types apart, got '${prefix}'`,
        );
      }
      return at(prefix, ["processing-failed", "partitioning-failed", "format-conversion-failed"]);
    }
    case "opensearch":
      return at(errorPrefixOf(pipeline.name), ["processing-failed", "AmazonOpenSearchService-failed"]);
    case "http":
      return at(errorPrefixOf(pipeline.name), ["processing-failed", "http-endpoint-failed"]);
    // The delivery failure's folder name is not documented for Iceberg; `iceberg-failed` follows the others.
    case "iceberg":
      return at(errorPrefixOf(pipeline.name), ["processing-failed", "iceberg-failed"]);
    case "redshift":
      return [
        {
          pipeline: pipeline.name,
          errorType: "redshift-copy-failed",
          prefix: copyErrorPrefixOf(pipeline.name),
        },
      ];
    default: {
      const unknown: never = dest;
      throw new Error(`unknown destination ${JSON.stringify(unknown)}`);
    }
  }
}

/** Up to the last `/` before the first expression left. */
function fixedPartOf(prefix: string, pipeline: string): string {
  const fixed = prefix.split("!{")[0];
  const cut = fixed.slice(0, fixed.lastIndexOf("/") + 1);
  if (cut === "") {
    throw new Error(`pipeline '${pipeline}': its error prefix '${prefix}' has no fixed folder to list`);
  }
  return cut;
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const NAME_TIME = new RegExp(`-(\\d{4})-(\\d{2})-(\\d{2})-(\\d{2})-(\\d{2})-(\\d{2})-${UUID}(\\.[^/]*)?$`);

/** The time Firehose put in the object's name (the oldest record's arrival, UTC), or undefined. */
export function keyTimeMs(key: string): number | undefined {
  const m = NAME_TIME.exec(key);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

export interface TimeWindow {
  readonly fromMs?: number;
  readonly toMs?: number;
}

/** Inside the window by its name's time (to the second, `to` inclusive); a name without one is inside only when no window is set. */
export function inWindow(key: string, window: TimeWindow): boolean {
  if (window.fromMs === undefined && window.toMs === undefined) return true;
  const t = keyTimeMs(key);
  if (t === undefined) return false;
  return (
    (window.fromMs === undefined || t >= Math.floor(window.fromMs / 1000) * 1000) &&
    (window.toMs === undefined || t <= window.toMs)
  );
}

/** An ISO 8601 time flag, or an error naming the flag and the value. */
export function isoTime(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms)) {
    throw new Error(
      `--${flag} must be an ISO 8601 time such as 2026-11-02T14:00:00Z, got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}
