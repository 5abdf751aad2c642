// Reads an error document object: one JSON document per failed record, one per line, GZIP or not (developer
// guide: error output, data format conversion errors, OpenSearch and HTTP endpoint backups). A line that cannot
// be read is a problem naming the object, the line, the field and the value; the other lines are still read, so
// one bad document never hides (or loses) the records around it.
import { gunzipSync } from "node:zlib";
import { FailedRecord } from "./failures";

export interface ReadObject {
  readonly records: FailedRecord[];
  /** Lines (or the whole object) that could not be read: nothing of them is replayed. */
  readonly problems: string[];
}

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * The code and message fields, in the order we look for them. Processing, partitioning, OpenSearch and HTTP
 * failures document `errorCode`/`errorMessage`; the data format conversion page shows `lastErrorCode`/
 * `lastErrorMessage` in one version and `ErrorCode`/`ErrorMessage` in another. The local run writes the
 * first form for every type today and is being aligned to the documented names: all three are accepted.
 */
const CODE_FIELDS = ["errorCode", "lastErrorCode", "ErrorCode"] as const;
const MESSAGE_FIELDS = ["errorMessage", "lastErrorMessage", "ErrorMessage"] as const;

export function readErrorObject(key: string, body: Buffer): ReadObject {
  let text: string;
  try {
    const gzipped = body[0] === GZIP_MAGIC[0] && body[1] === GZIP_MAGIC[1];
    if (key.endsWith(".gz") && !gzipped) throw new Error("it is named .gz but is not GZIP");
    text = (gzipped ? gunzipSync(body) : body).toString("utf8");
  } catch (err) {
    return { records: [], problems: [`${key}: corrupt or truncated object (${messageOf(err)})`] };
  }
  const records: FailedRecord[] = [];
  const problems: string[] = [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  lines.forEach((line, index) => {
    const read = readDocument(key, index, line);
    if (typeof read === "string") problems.push(read);
    else records.push(read);
  });
  return { records, problems };
}

function readDocument(key: string, line: number, text: string): FailedRecord | string {
  const where = `${key} line ${line + 1}`;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return `${where}: not a JSON document (truncated object?): ${excerpt(text)}`;
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    return `${where}: an error document is a JSON object, got ${excerpt(text)}`;
  }
  const fields = doc as Record<string, unknown>;
  const rawData = fields.rawData;
  if (typeof rawData !== "string")
    return `${where}: rawData must be a base64 string, got ${excerpt(rawData)}`;
  const data = strictBase64(rawData);
  if (!data) return `${where}: rawData is not base64: ${excerpt(rawData)}`;
  const arrival = fields.arrivalTimestamp;
  return {
    key,
    line,
    errorCode: firstString(fields, CODE_FIELDS) ?? "(no error code)",
    errorMessage: firstString(fields, MESSAGE_FIELDS) ?? "",
    arrivalMs: typeof arrival === "number" && Number.isFinite(arrival) ? arrival : undefined,
    data,
  };
}

/** Node's decoder skips characters it does not know; a replay must not send bytes nobody wrote. */
export function strictBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, "base64");
}

function firstString(fields: Record<string, unknown>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = fields[name];
    if (typeof value === "string") return value;
  }
  return undefined;
}

function excerpt(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text);
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
