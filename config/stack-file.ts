// Reads a `Pulumi.<stack>.yaml` file without the Pulumi CLI: the offline check and the local run use it to
// get exactly the settings `pulumi up` would get.
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
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

/** `Pulumi.dev.yaml` → `dev`. */
export function stackNameOf(file: string): string {
  const match = /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(file));
  if (!match) throw new Error(`${file}: a stack file is named Pulumi.<stack>.yaml`);
  return match[1];
}

export function readStackFile(file: string): StackFile {
  const stack = stackNameOf(file);
  const doc: unknown = parseYaml(fs.readFileSync(file, "utf8"));
  const config = (doc as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
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
