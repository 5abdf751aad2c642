// The flags the local commands share: which stack (`--stack dev|prod` or `--config-file <Pulumi.x.yaml>`),
// where the lake is, how fast time runs.
import { parseArgs, ParseArgsConfig } from "node:util";
import { STACK_HELP, STACK_OPTIONS } from "../config/stack-options";

export const COMMON_OPTIONS = {
  ...STACK_OPTIONS,
  "lake-dir": { type: "string", default: ".lake" },
  "time-scale": { type: "string", default: "1" },
  help: { type: "boolean", default: false },
} as const satisfies ParseArgsConfig["options"];

export const COMMON_HELP = `${STACK_HELP}
  --lake-dir <dir>        local data lake root; the bucket is a folder in it (default: .lake)
  --time-scale <factor>   multiplies every buffer interval, e.g. 0.01 (default: 1)`;

/** A positive number flag, or an error naming the flag and the value. */
export function positiveNumber(flag: string, value: string | undefined): number {
  const n = Number(value); // NaN for a missing value, refused with the rest
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`--${flag} must be a positive number, got ${JSON.stringify(value)}`);
  }
  return n;
}

export function parseCommandLine<T extends ParseArgsConfig["options"]>(options: T) {
  return parseArgs({ args: process.argv.slice(2), options, allowPositionals: true, strict: true });
}
