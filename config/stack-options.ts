// The flags every command chooses its stack with: `--stack <name>` (the committed Pulumi.<name>.yaml) or
// `--config-file <path>` (any stack file); dev when neither is given.
import { ParseArgsConfig } from "node:util";
import { StackSettings } from "./settings";
import { loadStackFile, stackFilePath } from "./stack-file";

export const STACK_OPTIONS = {
  stack: { type: "string", default: "dev" },
  "config-file": { type: "string" },
} as const satisfies ParseArgsConfig["options"];

export const STACK_HELP = `  --stack <name>          stack whose committed Pulumi.<name>.yaml to use (default: dev)
  --config-file <path>    a stack file to use instead (Pulumi.<stack>.yaml)`;

/** The stack file the flags name. */
export function stackFileFrom(values: { stack?: string; "config-file"?: string }): string {
  return values["config-file"] ?? stackFilePath(values.stack ?? "dev");
}

/** The stack's validated settings, exactly as `pulumi up` would read them. */
export function settingsFrom(values: { stack?: string; "config-file"?: string }): StackSettings {
  return loadStackFile(stackFileFrom(values));
}
