// The delivery stream's destination wiring: a `destination` value the provider accepts, its configuration
// block, retry durations within AWS's 0-7200 s, and processors that actually run and that Firehose accepts.
import { booleanAt, numberAt } from "../lib/fields";
import { Finding, skipped, violation } from "../lib/findings";
import { InputObject, isUnknown, UnknownValue } from "../lib/unknown-values";
import {
  DESTINATION_CONFIG_KEYS,
  destinationBlocks,
  destinationOf,
  DESTINATIONS,
  isDestination,
} from "./firehose-destinations";
import { Processor, processingOf, PROCESSOR_TYPES } from "./firehose-processors";
import { RETRY_SECONDS } from "./firehose-limits";

/** RecordDeAggregation's `SubRecordType` values (Firehose developer guide, dynamic partitioning of aggregated data). */
const SUB_RECORD_TYPES = ["JSON", "DELIMITED"];

export interface DestinationConfig {
  /** Destination types the organisation uses. */
  readonly allowedDestinations: readonly string[];
}

export function checkDestinationConfig(inputs: InputObject, config: DestinationConfig): Finding[] {
  return [
    ...checkDestinationValue(inputs, config),
    ...destinationBlocks(inputs).flatMap((block) => [
      ...checkRetry(block.config, block.path, ["retryDuration"]),
      ...checkRetry(block.config, block.path, ["dynamicPartitioningConfiguration", "retryDuration"]),
      ...checkProcessing(block.config, block.path),
    ]),
  ];
}

function checkDestinationValue(inputs: InputObject, config: DestinationConfig): Finding[] {
  const destination = destinationOf(inputs);
  if (isUnknown(destination)) {
    return [skipped(destination, "destination is valid")];
  }
  if (destination === undefined || !isDestination(destination)) {
    const snake = destination?.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
    const fix =
      snake !== undefined && isDestination(snake)
        ? `use "${snake}" (the provider's snake_case name)`
        : `use one of ${DESTINATIONS.join(", ")}`;
    const received = destination === undefined ? "not set" : `"${destination}", which the provider rejects`;
    return [violation(`destination is ${received}: ${fix}`)];
  }
  const findings: Finding[] = [];
  if (!config.allowedDestinations.includes(destination)) {
    findings.push(
      violation(
        `destination "${destination}" is not one the organisation allows: use one of ` +
          config.allowedDestinations.join(", "),
      ),
    );
  }
  const key = DESTINATION_CONFIG_KEYS[destination];
  if (inputs[key] === undefined) {
    findings.push(violation(`destination is "${destination}" but ${key} is not set: add the ${key} block`));
  }
  return findings;
}

function checkRetry(
  block: InputObject | UnknownValue,
  blockPath: string,
  keys: readonly string[],
): Finding[] {
  const path = [blockPath, ...keys].join(".");
  const seconds = numberAt(block, ...keys);
  if (isUnknown(seconds)) {
    return [skipped(seconds, `retry duration within ${RETRY_SECONDS.min}-${RETRY_SECONDS.max} s`)];
  }
  if (seconds === undefined || (seconds >= RETRY_SECONDS.min && seconds <= RETRY_SECONDS.max)) {
    return [];
  }
  return [
    violation(
      `${path} is ${seconds} s; AWS accepts ${RETRY_SECONDS.min}-${RETRY_SECONDS.max} s: set it within that range`,
    ),
  ];
}

function checkProcessing(block: InputObject | UnknownValue, blockPath: string): Finding[] {
  const processing = processingOf(block, blockPath);
  if (processing === undefined) {
    return [];
  }
  if (isUnknown(processing.processors)) {
    return [skipped(processing.processors, "processors are enabled and well-formed")];
  }
  const findings: Finding[] = [];
  // AWS accepts processors under `enabled: false` (they do not run; the advisory firehose-processor-defaults
  // says so) except with dynamic partitioning, which needs its processors to run.
  const enabled = booleanAt(block, "processingConfiguration", "enabled");
  const partitioning = booleanAt(block, "dynamicPartitioningConfiguration", "enabled");
  if (isUnknown(enabled)) {
    findings.push(skipped(enabled, "processors run"));
  } else if (isUnknown(partitioning)) {
    findings.push(skipped(partitioning, "processors run"));
  } else if (processing.processors.length > 0 && enabled !== true && partitioning === true) {
    findings.push(
      violation(
        `${processing.path}.enabled is ${String(enabled ?? "not set")} while dynamic partitioning is enabled, ` +
          "so no partition keys are extracted and AWS rejects the stream: set enabled: true",
      ),
    );
  }
  for (const processor of processing.processors) {
    if (isUnknown(processor.type)) {
      findings.push(skipped(processor.type, "processor type is valid"));
    } else if (processor.type === undefined || !PROCESSOR_TYPES.some((type) => type === processor.type)) {
      findings.push(
        violation(
          `${processor.path}.type is ${processor.type === undefined ? "not set" : `"${processor.type}"`}: use ` +
            `one of ${PROCESSOR_TYPES.join(", ")}`,
        ),
      );
    } else if (processor.type === "Lambda") {
      // Set with a value unknown at preview (the function's ARN) is set; only an unknown list leaves it open.
      const arn = processor.parameters.get("LambdaArn");
      if (isUnknown(arn) && !processor.parameters.has("LambdaArn")) {
        findings.push(skipped(arn, "a Lambda processor has a LambdaArn"));
      } else if (arn === undefined) {
        findings.push(
          violation(`${processor.path} is a Lambda processor without a LambdaArn parameter: add it`),
        );
      }
    } else if (processor.type === "RecordDeAggregation") {
      findings.push(...checkDeaggregation(processor, block));
    }
  }
  return findings;
}

/**
 * A RecordDeAggregation processor needs dynamic partitioning (else the create fails: "RecordDeAggregationProcessor
 * can only be present when Dynamic Partitioning is enabled"), a known SubRecordType and, for DELIMITED, a
 * base64-encoded Delimiter.
 */
function checkDeaggregation(processor: Processor, block: InputObject | UnknownValue): Finding[] {
  const findings: Finding[] = [];
  const partitioning = booleanAt(block, "dynamicPartitioningConfiguration", "enabled");
  if (isUnknown(partitioning)) {
    findings.push(skipped(partitioning, "dynamic partitioning is on for RecordDeAggregation"));
  } else if (partitioning !== true) {
    findings.push(
      violation(
        `${processor.path} is a RecordDeAggregation processor but dynamic partitioning is not enabled; Firehose ` +
          "rejects the stream (the processor can only be present when Dynamic Partitioning is enabled): set " +
          "dynamicPartitioningConfiguration.enabled to true, or remove the processor",
      ),
    );
  }
  const type = processor.parameters.get("SubRecordType");
  if (isUnknown(type)) {
    findings.push(skipped(type, "SubRecordType is JSON or DELIMITED"));
  } else if (type === undefined || !SUB_RECORD_TYPES.includes(type)) {
    findings.push(
      violation(
        `${processor.path} SubRecordType is ${type === undefined ? "not set" : `"${type}"`}: use JSON or DELIMITED`,
      ),
    );
  } else if (type === "DELIMITED") {
    const delimiter = processor.parameters.get("Delimiter");
    if (isUnknown(delimiter)) {
      findings.push(skipped(delimiter, "Delimiter is base64"));
    } else if (delimiter === undefined || !isBase64(delimiter)) {
      findings.push(
        violation(
          `${processor.path} SubRecordType is DELIMITED but its Delimiter is ` +
            `${delimiter === undefined ? "not set" : `"${delimiter}", which is not base64`}: set it to the ` +
            `delimiter base64-encoded (#### is IyMjIw==)`,
        ),
      );
    }
  }
  return findings;
}

/** Non-empty canonical base64 (what encoding some bytes gives). */
function isBase64(text: string): boolean {
  return text.length > 0 && Buffer.from(text, "base64").toString("base64") === text;
}
