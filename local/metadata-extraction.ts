// Firehose's inline parser (the MetadataExtraction processor, `JsonParsingEngine: JQ-1.6`): a jq query run on
// every record whose output object becomes the record's `partitionKeyFromQuery` keys. Queries of the form the
// stack derives (`{country:.country}`: an object of top-level or nested field paths) run on a compiled fast
// path with jq's semantics for them (tests check it against real jq); any other query runs in jq-wasm, batched,
// because each jq-wasm call costs about a millisecond.
import * as jq from "jq-wasm";

export type Extraction =
  | { readonly ok: true; readonly keys: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly message: string };

export interface MetadataExtractor {
  /** `fast` when the query compiled to the fast path, `jq` when every record goes through jq-wasm. */
  readonly engine: "fast" | "jq";
  /** The keys of each record, in order; a record whose keys cannot be extracted gets a message. */
  extract(records: readonly Buffer[]): Promise<Extraction[]>;
}

/** Records per jq-wasm call: its per-call cost is fixed while larger inputs slow it down again (measured). */
const JQ_BATCH = 16;

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Compiles `query`; `engine: "jq"` forces jq-wasm (tests compare the two). */
export function compileMetadataQuery(query: string, options: { engine?: "jq" } = {}): MetadataExtractor {
  const fields = options.engine === "jq" ? undefined : parseObjectOfPaths(query);
  if (fields) {
    return { engine: "fast", extract: async (records) => records.map((r) => extractFast(r, fields)) };
  }
  return { engine: "jq", extract: (records) => extractWithJq(records, query) };
}

interface FieldQuery {
  readonly key: string;
  readonly path: readonly string[];
}

const IDENT = "[A-Za-z_][A-Za-z0-9_]*";
const ENTRY = new RegExp(`^\\s*(?:(${IDENT})|"(${IDENT})")\\s*(?::\\s*((?:\\.${IDENT})+)\\s*)?$`);

/** `{a:.a, "b": .x.y, c}` → fields; anything else → undefined (jq-wasm then evaluates the query). */
function parseObjectOfPaths(query: string): FieldQuery[] | undefined {
  const body = /^\s*\{(.*)\}\s*$/s.exec(query)?.[1];
  // An empty body needs no check of its own: its one entry, "", is no field.
  if (body === undefined) return undefined;
  const fields: FieldQuery[] = [];
  for (const entry of body.split(",")) {
    const match = ENTRY.exec(entry);
    if (!match) return undefined;
    const key = match[1] ?? match[2];
    // `{c}` is jq's shorthand for `{c: .c}`.
    const path = match[3] ? match[3].split(".").slice(1) : [key];
    fields.push({ key, path });
  }
  return fields;
}

function extractFast(record: Buffer, fields: readonly FieldQuery[]): Extraction {
  let input: JsonValue;
  try {
    input = JSON.parse(record.toString("utf8")) as JsonValue;
  } catch (err) {
    return { ok: false, message: `record is not valid JSON: ${(err as Error).message}` };
  }
  const output: Record<string, JsonValue> = {};
  for (const { key, path } of fields) {
    let value: JsonValue = input;
    for (const name of path) {
      if (value === null) break;
      if (typeof value !== "object" || Array.isArray(value)) {
        return { ok: false, message: `jq: error: Cannot index ${jqType(value)} with "${name}"` };
      }
      value = Object.prototype.hasOwnProperty.call(value, name) ? value[name] : null;
    }
    output[key] = value;
  }
  return keysOf(output);
}

/** Null never gets here: jq gives null for any field of null. */
function jqType(value: Exclude<JsonValue, null>): string {
  return Array.isArray(value) ? "array" : typeof value;
}

/** Firehose needs every key's value to be a non-empty scalar ("partitionKeys values must not be null or empty"). */
function keysOf(output: unknown): Extraction {
  if (typeof output !== "object" || output === null || Array.isArray(output)) {
    return { ok: false, message: `the query must produce a JSON object, got ${JSON.stringify(output)}` };
  }
  const keys: Record<string, string> = {};
  for (const [key, value] of Object.entries(output as Record<string, unknown>)) {
    if (value === null || value === "") {
      return {
        ok: false,
        message: `partitionKeys values must not be null or empty, got ${key}=${JSON.stringify(value)}`,
      };
    }
    if (typeof value === "object") {
      return {
        ok: false,
        message: `partition key ${key} must be a string, number or boolean, got ${JSON.stringify(value)}`,
      };
    }
    keys[key] = String(value);
  }
  return { ok: true, keys };
}

async function extractWithJq(records: readonly Buffer[], query: string): Promise<Extraction[]> {
  // Stryker disable next-line ArrayDeclaration: every index is assigned below
  const results: Extraction[] = [];
  // jq stops at the first unparsable input, so only valid JSON goes in; each input gives exactly one line.
  const valid: { index: number; text: string }[] = [];
  records.forEach((record, index) => {
    const text = record.toString("utf8");
    try {
      JSON.parse(text);
      valid.push({ index, text });
    } catch (err) {
      results[index] = { ok: false, message: `record is not valid JSON: ${(err as Error).message}` };
    }
  });
  const filter = `try {ok: [(${query})]} catch {err: .}`;
  // Stryker disable next-line EqualityOperator: one more, empty batch gives no output and is no error
  for (let start = 0; start < valid.length; start += JQ_BATCH) {
    const batch = valid.slice(start, start + JQ_BATCH);
    const { stdout, stderr } = await jq.raw(batch.map((v) => v.text).join("\n"), filter, ["-c"]);
    const lines = stdout === "" ? [] : stdout.split("\n");
    if (lines.length !== batch.length) {
      throw new Error(
        `jq query ${JSON.stringify(query)} failed: ${stderr || `${lines.length} outputs for ${batch.length} inputs`}`,
      );
    }
    lines.forEach((line, i) => {
      const { ok, err } = JSON.parse(line) as { ok?: unknown[]; err?: unknown };
      results[batch[i].index] =
        ok === undefined
          ? { ok: false, message: `jq: error: ${typeof err === "string" ? err : JSON.stringify(err)}` }
          : ok.length !== 1
            ? { ok: false, message: `the query must produce one object per record, got ${ok.length}` }
            : keysOf(ok[0]);
    });
  }
  return results;
}
