// Reads a `Pulumi.<stack>.yaml` file without the Pulumi CLI: the offline check and the local run use it to
// get exactly the settings `pulumi up` would get.
import * as fs from "fs";
import * as path from "path";
import { isScalar, parseDocument, visit } from "yaml";
import { engineText, fromEngineText } from "./config-value";
import { CONFIG_NAMESPACE, parseStackConfig } from "./parse";
import { StackSettings } from "./settings";

/** Stands in for a `secure:` value: no decryption key is available offline. */
export const SECRET_PLACEHOLDER = "[secret]";

export interface StackFile {
  readonly stack: string;
  /** The project's keys without the namespace; encrypted values replaced by SECRET_PLACEHOLDER. */
  readonly raw: Record<string, unknown>;
  /** Every config key of the file, with its namespace (`aws:region`, `firehose-etl:lake`, ...). */
  readonly all: Record<string, unknown>;
}

/**
 * The largest stack file read: real ones are a few KiB, and this bounds the time a mistaken path (a log, a
 * FIFO, `/dev/zero`) can take before a clear error.
 */
export const MAX_STACK_FILE_BYTES = 1024 * 1024;

/** `Pulumi.dev.yaml` → `dev`. */
export function stackNameOf(file: string): string {
  const match = /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(file));
  if (!match) throw new Error(`${file}: a stack file is named Pulumi.<stack>.yaml`);
  return match[1];
}

export function readStackFile(file: string): StackFile {
  const stack = stackNameOf(file);
  const doc: unknown = parseStackYaml(file, readConfigText(file));
  const config = (doc as { config?: unknown } | null)?.config ?? {};
  // A null config is already {}: `?? {}` above.
  if (typeof config !== "object" || Array.isArray(config)) {
    throw new Error(`${file}: 'config' must be a map of keys to values`);
  }
  const all = Object.fromEntries(Object.entries(config).map(([key, value]) => [key, withoutSecrets(value)]));
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(all)) {
    const [namespace, name] = key.includes(":") ? key.split(":", 2) : [CONFIG_NAMESPACE, key];
    // As the engine would pass it to the program, so that both readers see the same values.
    if (namespace === CONFIG_NAMESPACE) raw[name] = fromEngineText(engineText(value));
  }
  return { stack, raw, all };
}

/** Validated settings of the stack described by `file`. Throws ConfigError listing every problem. */
export function loadStackFile(file: string, project = CONFIG_NAMESPACE): StackSettings {
  const { stack, raw, all } = readStackFile(file);
  const region = typeof all["aws:region"] === "string" ? all["aws:region"] : undefined;
  return parseStackConfig(raw, { project, stack, region, source: file });
}

/** The committed stack file of `stack`, next to Pulumi.yaml. */
export function stackFilePath(stack: string): string {
  return path.join(__dirname, "..", `Pulumi.${stack}.yaml`);
}

function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== "object") return value;
  if (Object.keys(value).length === 1 && "secure" in value) return SECRET_PLACEHOLDER;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutSecrets(v)]));
}

/** The file's text, if it is a regular file of at most MAX_STACK_FILE_BYTES; an error naming it otherwise. */
function readConfigText(file: string): string {
  const problem = (what: string) => new Error(`${file}: ${what}`);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    throw problem(`cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  // A directory, FIFO or device is refused before it is opened: opening a FIFO waits for a writer, and a
  // device such as /dev/zero never ends.
  if (!stat.isFile()) throw problem(`is a ${kindOf(stat)}, not a stack file`);
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(MAX_STACK_FILE_BYTES + 1);
    let size = 0;
    // Until end of file or a full buffer, into which a read of 0 bytes returns 0.
    for (let n = 1; n > 0; size += n) n = fs.readSync(fd, buffer, size, buffer.length - size, null);
    if (size > MAX_STACK_FILE_BYTES) {
      throw problem(`is larger than ${MAX_STACK_FILE_BYTES} bytes (1 MiB), the most a stack file may hold`);
    }
    return buffer.toString("utf8", 0, size);
  } finally {
    fs.closeSync(fd);
  }
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return "directory";
  if (stat.isFIFO()) return "FIFO";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "device";
  // Stryker disable next-line ConditionalExpression: every kind Linux has is named above or here, so only a socket gets here
  if (stat.isSocket()) return "socket";
  // Stryker disable next-line StringLiteral: a fallback for other platforms' kinds, unreachable on Linux
  return "special file";
}

/**
 * The YAML document, with duplicate keys refused as YAML requires. The yaml package's own duplicate check
 * compares each key with every earlier one (quadratic time); a set per map keeps parsing linear.
 */
function parseStackYaml(file: string, text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: false });
  const [error] = doc.errors;
  if (error) throw new Error(`${file}: ${error.message}`);
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        const name = isScalar(key) ? key.value : String(key);
        if (seen.has(name)) {
          const line = isScalar(key) && key.range ? ` (line ${lineOf(text, key.range[0])})` : "";
          throw new Error(`${file}: duplicate key ${JSON.stringify(name)}${line}`);
        }
        seen.add(name);
      }
    },
  });
  return doc.toJS();
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}
