// Names that must be the same wherever a stack is described: in AWS, in the local run and in the offline check.
import { StackSettings } from "./settings";

/** `<project>-<stack>`: the prefix of every name that must be unique in the account. */
export function namePrefixOf(settings: Pick<StackSettings, "project" | "stack">): string {
  return `${settings.project}-${settings.stack}`;
}

/** `firehose-etl-prod-lake`: the name of a pipeline's delivery stream. */
export function streamNameOf(settings: Pick<StackSettings, "project" | "stack">, pipeline: string): string {
  return `${namePrefixOf(settings)}-${pipeline}`;
}
