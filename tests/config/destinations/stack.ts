// The dev stack with its one pipeline delivering to a destination under test, so that a destination's problems
// come out exactly as the program reports them (path, message, value).
import { RawConfig, problemsOf, rawConfigOf } from "../../support/stacks";

/** Where the one pipeline's destination sits in a problem's key path. */
export const AT = "firehose-etl:pipelines[0].destination";

// Read once: reading the stack file costs ten times what validating it does, and these tests validate hundreds.
let dev: RawConfig | undefined;

/** The problems of the dev stack whose only pipeline delivers to `destination`, after `edit` changed the rest. */
export function problemsWith(
  destination: RawConfig,
  edit: (raw: RawConfig) => void = () => undefined,
): string[] {
  dev ??= rawConfigOf("dev");
  const raw = structuredClone(dev);
  raw.pipelines = [{ name: "events", destination: structuredClone(destination) }];
  edit(raw);
  return problemsOf(raw);
}
