// Buffering hints: AWS's bounds per destination type, the higher minimums of dynamic partitioning and format
// conversion, the organisation's own bounds, and the Lambda processor's buffer. An unset field counts as the
// value the provider sends for it (5 MiB / 300 s for most destinations), which is what AWS validates.
import { booleanAt, Maybe, numberAt, objectAt } from "../lib/fields";
import { Finding, skipped, violation } from "../lib/findings";
import { InputObject, isUnknown, UnknownValue } from "../lib/unknown-values";
import { Destination, destinationBlocks, s3Configurations } from "./firehose-destinations";
import { processingOf, Processor } from "./firehose-processors";
import {
  BufferLimits,
  DESTINATION_BUFFER_LIMITS,
  DYNAMIC_PARTITIONING_MIN_INTERVAL_SECONDS,
  DYNAMIC_PARTITIONING_MIN_SIZE_MIB,
  FORMAT_CONVERSION_MIN_SIZE_MIB,
  Range,
  S3_CONFIGURATION_LIMITS,
} from "./firehose-limits";

/** A set of buffering hints in the stream's inputs. */
export interface BufferTarget {
  readonly path: string;
  readonly config: InputObject | UnknownValue;
  readonly limits: BufferLimits;
  /** Set when this is the buffer that delivers to the destination (not a backup). */
  readonly destination?: Destination;
}

export function bufferTargets(inputs: InputObject): BufferTarget[] {
  const targets: BufferTarget[] = [];
  for (const block of destinationBlocks(inputs)) {
    if (block.destination !== "redshift") {
      const { destination, path, config } = block;
      targets.push({ path, config, destination, limits: DESTINATION_BUFFER_LIMITS[destination] });
    }
  }
  for (const s3 of s3Configurations(inputs)) {
    if (s3.role === "staging") {
      targets.push({
        path: s3.path,
        config: s3.config,
        destination: "redshift",
        limits: S3_CONFIGURATION_LIMITS,
      });
    } else if (s3.role !== "delivery") {
      targets.push({ path: s3.path, config: s3.config, limits: S3_CONFIGURATION_LIMITS });
    }
  }
  return targets;
}

/** A buffer value as AWS will see it: the input, or the provider's default when unset. */
export interface EffectiveValue {
  readonly value: number;
  readonly isDefault: boolean;
}

export function effectiveBuffer(
  target: BufferTarget,
  field: "bufferingSize" | "bufferingInterval",
): EffectiveValue | UnknownValue {
  const value = numberAt(target.config, field);
  if (isUnknown(value)) {
    return value;
  }
  const fallback =
    field === "bufferingSize" ? target.limits.defaultSizeMiB : target.limits.defaultIntervalSeconds;
  return value === undefined ? { value: fallback, isDefault: true } : { value, isDefault: false };
}

export function describe(effective: EffectiveValue, unit: string): string {
  return effective.isDefault
    ? `${effective.value} ${unit} (unset: the provider's default)`
    : `${effective.value} ${unit}`;
}

export interface LambdaBufferConfig {
  readonly lambdaMinBufferSizeMiB: number;
  readonly lambdaMaxBufferSizeMiB: number;
  readonly lambdaMinBufferIntervalSeconds: number;
  readonly lambdaMaxBufferIntervalSeconds: number;
}

export function checkAwsBufferBounds(inputs: InputObject, config: LambdaBufferConfig): Finding[] {
  return [
    ...bufferTargets(inputs).flatMap(checkTargetBounds),
    ...checkExtendedS3Minimums(inputs),
    ...destinationBlocks(inputs).flatMap((block) => checkLambdaBuffers(block.config, block.path, config)),
  ];
}

function checkTargetBounds(target: BufferTarget): Finding[] {
  const label = target.destination === undefined ? "an S3 configuration" : target.destination;
  return [
    checkRange(target, "bufferingSize", "MiB", target.limits.sizeMiB, label),
    checkRange(target, "bufferingInterval", "s", target.limits.intervalSeconds, label),
  ].flatMap((finding) => finding ?? []);
}

function checkRange(
  target: BufferTarget,
  field: "bufferingSize" | "bufferingInterval",
  unit: string,
  range: Range,
  label: string,
): Finding | undefined {
  const effective = effectiveBuffer(target, field);
  if (isUnknown(effective)) {
    return skipped(effective, `within AWS's ${range.min}-${range.max} ${unit}`);
  }
  if (effective.value >= range.min && effective.value <= range.max) {
    return undefined;
  }
  return violation(
    `${target.path}.${field} is ${describe(effective, unit)}; AWS accepts ${range.min}-${range.max} ${unit} ` +
      `for ${label}: set it within that range`,
  );
}

function checkExtendedS3Minimums(inputs: InputObject): Finding[] {
  const config = objectAt(inputs, "extendedS3Configuration");
  // Stryker disable next-line ConditionalExpression,BlockStatement: with no block every read below is undefined
  if (config === undefined) {
    return [];
  }
  const path = "extendedS3Configuration";
  const target: BufferTarget = { path, config, limits: DESTINATION_BUFFER_LIMITS.extended_s3 };
  const size = effectiveBuffer(target, "bufferingSize");
  const interval = effectiveBuffer(target, "bufferingInterval");
  const findings: Finding[] = [];

  const partitioning = booleanAt(config, "dynamicPartitioningConfiguration", "enabled");
  if (isUnknown(partitioning)) {
    findings.push(skipped(partitioning, "buffer minimums of dynamic partitioning"));
  } else if (partitioning === true) {
    const reason = "when dynamic partitioning is enabled";
    findings.push(
      ...atLeast(size, DYNAMIC_PARTITIONING_MIN_SIZE_MIB, `${path}.bufferingSize`, "MiB", reason),
    );
    findings.push(
      ...atLeast(
        interval,
        DYNAMIC_PARTITIONING_MIN_INTERVAL_SECONDS,
        `${path}.bufferingInterval`,
        "s",
        reason,
      ),
    );
  }

  const conversion = objectAt(config, "dataFormatConversionConfiguration");
  const conversionEnabled = conversion === undefined ? false : (booleanAt(conversion, "enabled") ?? true);
  if (isUnknown(conversionEnabled)) {
    findings.push(skipped(conversionEnabled, "buffer minimum of format conversion"));
  } else if (conversionEnabled) {
    const reason = "when data format conversion is enabled";
    findings.push(...atLeast(size, FORMAT_CONVERSION_MIN_SIZE_MIB, `${path}.bufferingSize`, "MiB", reason));
  }
  return findings;
}

function atLeast(
  effective: EffectiveValue | UnknownValue,
  minimum: number,
  field: string,
  unit: string,
  reason: string,
): Finding[] {
  if (isUnknown(effective)) {
    return [skipped(effective, `at least ${minimum} ${unit} ${reason}`)];
  }
  if (effective.value >= minimum) {
    return [];
  }
  return [
    violation(
      `${field} must be at least ${minimum} ${unit} ${reason}, got ${describe(effective, unit)}: AWS rejects ` +
        `the stream; set ${field.split(".").pop()} to ${minimum} or more`,
    ),
  ];
}

function checkLambdaBuffers(
  block: InputObject | UnknownValue,
  blockPath: string,
  config: LambdaBufferConfig,
): Finding[] {
  // AWS validates the parameters of every processor, enabled or not.
  // Stryker disable next-line ArrayDeclaration: the Lambda filter below drops any placeholder element
  const processors = processingOf(block, blockPath)?.processors ?? [];
  if (isUnknown(processors)) {
    return [skipped(processors, "Lambda processor buffer parameters")];
  }
  return processors
    .filter((processor) => processor.type === "Lambda")
    .flatMap((processor) => [
      ...checkParameter(processor, "BufferSizeInMBs", "MiB", {
        min: config.lambdaMinBufferSizeMiB,
        max: config.lambdaMaxBufferSizeMiB,
      }),
      ...checkParameter(processor, "BufferIntervalInSeconds", "s", {
        min: config.lambdaMinBufferIntervalSeconds,
        max: config.lambdaMaxBufferIntervalSeconds,
      }),
    ]);
}

function checkParameter(processor: Processor, name: string, unit: string, range: Range): Finding[] {
  const raw: Maybe<string> = processor.parameters.get(name);
  if (raw === undefined) {
    return [];
  }
  if (isUnknown(raw)) {
    return [skipped(raw, `${name} within ${range.min}-${range.max} ${unit}`)];
  }
  const value = Number(raw);
  if (Number.isFinite(value) && value >= range.min && value <= range.max) {
    return [];
  }
  return [
    violation(
      `${processor.path} parameter ${name} is "${raw}"; it must be a number within ${range.min}-${range.max} ` +
        `${unit}: set it within that range or leave it out for the default`,
    ),
  ];
}

export interface OrganisationBounds {
  readonly minSizeMiB?: number;
  readonly maxSizeMiB?: number;
  readonly minIntervalSeconds?: number;
  readonly maxIntervalSeconds?: number;
}

export interface OrganisationBufferConfig {
  /** Bounds per destination type (`extended_s3`, `redshift`, ...) on the buffer that delivers to it. */
  readonly bounds: Readonly<Record<string, OrganisationBounds>>;
}

export function checkOrganisationBufferBounds(
  inputs: InputObject,
  config: OrganisationBufferConfig,
): Finding[] {
  return bufferTargets(inputs).flatMap((target) => {
    // Stryker disable next-line ConditionalExpression: the config schema admits no "undefined" destination key
    const bounds = target.destination === undefined ? undefined : config.bounds[target.destination];
    if (bounds === undefined) {
      return [];
    }
    const label = `the organisation's bounds for ${target.destination}`;
    return [
      ...withinOrganisation(target, "bufferingSize", "MiB", bounds.minSizeMiB, bounds.maxSizeMiB, label),
      ...withinOrganisation(
        target,
        "bufferingInterval",
        "s",
        bounds.minIntervalSeconds,
        bounds.maxIntervalSeconds,
        label,
      ),
    ];
  });
}

function withinOrganisation(
  target: BufferTarget,
  field: "bufferingSize" | "bufferingInterval",
  unit: string,
  min: number | undefined,
  max: number | undefined,
  label: string,
): Finding[] {
  if (min === undefined && max === undefined) {
    return [];
  }
  const effective = effectiveBuffer(target, field);
  if (isUnknown(effective)) {
    return [skipped(effective, label)];
  }
  const tooSmall = effective.value < (min ?? -Infinity);
  const tooLarge = effective.value > (max ?? Infinity);
  if (!tooSmall && !tooLarge) {
    return [];
  }
  const range =
    max === undefined
      ? `at least ${min} ${unit}`
      : min === undefined
        ? `at most ${max} ${unit}`
        : `${min}-${max} ${unit}`;
  return [
    violation(
      `${target.path}.${field} is ${describe(effective, unit)}, outside ${label} (${range}): set it within ` +
        "that range to keep object sizes and delivery latency as agreed",
    ),
  ];
}
