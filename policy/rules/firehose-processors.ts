// The processors of a destination's `processingConfiguration`, with their parameters by name.
import { arrayAt, booleanAt, Maybe, objectAt, stringAt } from "../lib/fields";
import { InputObject, isUnknown, UnknownValue } from "../lib/unknown-values";

export const PROCESSOR_TYPES = [
  "RecordDeAggregation",
  "Lambda",
  "MetadataExtraction",
  "AppendDelimiterToRecord",
  "Decompression",
  "CloudWatchLogProcessing",
] as const;

export interface Processor {
  /** Input path, e.g. `extendedS3Configuration.processingConfiguration.processors[0]`. */
  readonly path: string;
  readonly type: Maybe<string>;
  /** By name; a name not set reads as unknown while the list, or a name in it, is unknown at preview. */
  readonly parameters: ReadonlyMap<string, Maybe<string>>;
}

export interface Processing {
  readonly path: string;
  readonly enabled: Maybe<boolean>;
  readonly processors: readonly Processor[] | UnknownValue;
}

/** The block's processing configuration, or undefined when it has none. */
export function processingOf(block: InputObject | UnknownValue, blockPath: string): Processing | undefined {
  const processing = objectAt(block, "processingConfiguration");
  const path = `${blockPath}.processingConfiguration`;
  if (processing === undefined) {
    return undefined;
  }
  if (isUnknown(processing)) {
    return { path, enabled: processing, processors: processing };
  }
  const list = arrayAt(processing, "processors");
  const processors = isUnknown(list)
    ? list
    : (list ?? []).map((item, index) => processorOf(item, `${path}.processors[${index}]`));
  return { path, enabled: booleanAt(processing, "enabled"), processors };
}

/** Parameters by name, where a name not set reads as `unset` (unknown while the list is not fully known). */
class Parameters extends Map<string, Maybe<string>> {
  unset: Maybe<string> = undefined;

  override get(name: string): Maybe<string> {
    return this.has(name) ? super.get(name) : this.unset;
  }
}

function processorOf(item: InputObject[string], path: string): Processor {
  const parameters = new Parameters();
  const list = arrayAt(item, "parameters");
  if (isUnknown(list)) {
    parameters.unset = list;
  }
  // Stryker disable next-line ArrayDeclaration: an item that is not an object has no parameterName and is skipped below.
  for (const parameter of isUnknown(list) ? [] : (list ?? [])) {
    const name = stringAt(parameter, "parameterName");
    if (isUnknown(name)) {
      parameters.unset = name;
    } else if (typeof name === "string") {
      parameters.set(name, stringAt(parameter, "parameterValue"));
    }
  }
  return { path, type: stringAt(item, "type"), parameters };
}

/** The processors that run: those of a processing configuration with `enabled: true`. */
export function activeProcessors(processing: Processing | undefined): readonly Processor[] | UnknownValue {
  if (processing === undefined) {
    return [];
  }
  if (isUnknown(processing.enabled)) {
    return processing.enabled;
  }
  return processing.enabled === true ? processing.processors : [];
}
