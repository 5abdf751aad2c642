// The flags the local commands share: which stack (`--stack dev|prod` or `--config-file <Pulumi.x.yaml>`),
// where the lake is, how fast time runs.
import * as path from "node:path";
import { parseArgs, ParseArgsConfig } from "node:util";
import { StackSettings } from "../config/settings";
import { loadStackFile, stackFilePath } from "../config/stack-file";

export const COMMON_OPTIONS = {
  stack: { type: "string", default: "dev" },
  "config-file": { type: "string" },
  "lake-dir": { type: "string", default: ".lake" },
  "time-scale": { type: "string", default: "1" },
  help: { type: "boolean", default: false },
} as const satisfies ParseArgsConfig["options"];

export const COMMON_HELP = `  --stack <name>          stack whose committed Pulumi.<name>.yaml to run (default: dev)
  --config-file <path>    a stack file to run instead (Pulumi.<stack>.yaml)
  --lake-dir <dir>        local data lake root; the bucket is a folder in it (default: .lake)
  --time-scale <factor>   multiplies every buffer interval, e.g. 0.01 (default: 1)`;

/** The stack file the flags name. */
export function stackFileFrom(values: { stack?: string; "config-file"?: string }): string {
  return values["config-file"] ? path.resolve(values["config-file"]) : stackFilePath(values.stack ?? "dev");
}

/** The stack's validated settings, exactly as `pulumi up` would read them. */
export function settingsFrom(values: { stack?: string; "config-file"?: string }): StackSettings {
  return loadStackFile(stackFileFrom(values));
}

/** A positive number flag, or an error naming the flag and the value. */
export function positiveNumber(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n <= 0) {
    throw new Error(`--${flag} must be a positive number, got ${JSON.stringify(value)}`);
  }
  return n;
}

export function parseCommandLine<T extends ParseArgsConfig["options"]>(options: T) {
  return parseArgs({ args: process.argv.slice(2), options, allowPositionals: true, strict: true });
}
