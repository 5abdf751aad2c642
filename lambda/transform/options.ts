import { DropRule, parseDropRules } from "./drop-rules";
import { FieldPath, parseFieldPath } from "./field-path";
import { isJsonObject, JsonValue } from "./json";
import { FieldDefault } from "./normalise";
import { PartitionSettings, PartitionTime, TIME_PARTITION_KEYS } from "./partition-keys";
import {
  detectedBy,
  PII_DETECT_ACTIONS,
  PII_DETECTORS,
  PiiDetectAction,
  PiiDetector,
  PiiDetectSettings,
} from "./pii-detect";
import { compilePiiPaths, PiiPathNode } from "./pii-paths";
import { HashMode, SALTED_SHA256_HEX_LENGTH } from "./pseudonym";

/** Where the HMAC key or salt comes from. The key itself is never part of the options. */
export type HashKeySource =
  | { readonly kind: "secret"; readonly secretArn: string }
  | { readonly kind: "environment" }
  | { readonly kind: "none" };

export interface TransformOptions {
  readonly piiFields: readonly FieldPath[];
  /** `piiFields` as the tree masking matches keys against. */
  readonly piiPaths: PiiPathNode;
  readonly piiDetect: PiiDetectSettings;
  readonly hashMode: HashMode;
  /** Hex characters of each pseudonym. */
  readonly hashLength: number;
  readonly hashKeySource: HashKeySource;
  readonly dropRules: readonly DropRule[];
  readonly fieldDefaults: readonly FieldDefault[];
  readonly partition: PartitionSettings;
}

/** The environment variables the transform reads; nothing else configures it. */
export type TransformEnvironment = Readonly<Record<string, string | undefined>>;

export const DEFAULT_PII_FIELDS = "email";
export const DEFAULT_HASH_LENGTH = 32;
export const MIN_HASH_LENGTH = 8;
export const MAX_HASH_LENGTH = 64;

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function shown(value: string): string {
  return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}...` : value);
}

function listOf(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function parsePiiFields(value: string | undefined): FieldPath[] {
  return listOf(value ?? DEFAULT_PII_FIELDS).map((path) => parseFieldPath(path, "PII_FIELDS"));
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

function parsePiiDetect(value: string | undefined, actionValue: string | undefined): PiiDetectSettings {
  const text = value ?? "";
  const detectors: PiiDetector[] = [];
  for (const name of listOf(text)) {
    if (!isOneOf(PII_DETECTORS, name) || detectors.includes(name)) {
      throw new Error(
        `PII_DETECT entries must be distinct names from ${PII_DETECTORS.join(", ")}, got ${JSON.stringify(name)} in ${shown(text)}`,
      );
    }
    detectors.push(name);
  }
  let action: PiiDetectAction = "mask";
  if (actionValue !== undefined && actionValue !== "") {
    if (!isOneOf(PII_DETECT_ACTIONS, actionValue)) {
      throw new Error(
        `PII_DETECT_ACTION must be ${PII_DETECT_ACTIONS.map((name) => JSON.stringify(name)).join(" or ")}, got ${shown(actionValue)}`,
      );
    }
    action = actionValue;
  }
  return { detectors, action };
}

function parseHashMode(value: string | undefined): HashMode {
  if (value === undefined || value === "" || value === "hmac-sha256") return "hmac-sha256";
  if (value === "sha256-salt") return "sha256-salt";
  throw new Error(`PII_HASH_MODE must be "hmac-sha256" or "sha256-salt", got ${shown(value)}`);
}

/**
 * Validated in both modes so a typo never passes silently; used by hmac-sha256 only, because sha256-salt keeps
 * the 12 hex chars existing pipelines store (the stack config sets the variable whatever the mode).
 */
function parseHashLength(value: string | undefined, mode: HashMode): number {
  let length = DEFAULT_HASH_LENGTH;
  if (value !== undefined && value !== "") {
    length = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(length >= MIN_HASH_LENGTH && length <= MAX_HASH_LENGTH && length % 2 === 0)) {
      throw new Error(
        `PII_HASH_LENGTH must be an even number of hex chars from ${MIN_HASH_LENGTH} to ${MAX_HASH_LENGTH}, got ${shown(value)}`,
      );
    }
  }
  return mode === "sha256-salt" ? SALTED_SHA256_HEX_LENGTH : length;
}

function parseHashKeySource(env: TransformEnvironment): HashKeySource {
  const secretArn = env.PII_HASH_KEY_SECRET_ARN;
  if (secretArn !== undefined && secretArn !== "") {
    if (!secretArn.startsWith("arn:")) {
      throw new Error(
        `PII_HASH_KEY_SECRET_ARN must be a Secrets Manager secret ARN, got ${shown(secretArn)}`,
      );
    }
    return { kind: "secret", secretArn };
  }
  const key = env.PII_HASH_KEY;
  return key !== undefined && key !== "" ? { kind: "environment" } : { kind: "none" };
}

function parseFieldDefaults(value: string | undefined, piiDetect: PiiDetectSettings): FieldDefault[] {
  if (value === undefined || value.trim() === "") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error(`FIELD_DEFAULTS must be a JSON object of field defaults, got ${shown(value)}`);
  }
  if (!isJsonObject(parsed))
    throw new Error(`FIELD_DEFAULTS must be a JSON object of field defaults, got ${shown(value)}`);
  return Object.keys(parsed).map((field) => {
    if (field === "" || field === "__proto__") {
      throw new Error(`FIELD_DEFAULTS may not set the field ${JSON.stringify(field)}, got ${shown(value)}`);
    }
    // The detector would rename the added key, so a second pass would add it again: the transform would not be
    // idempotent, and replaying a transformed record would change it.
    const detector = detectedBy(field, piiDetect.detectors);
    if (detector !== undefined) {
      throw new Error(
        `FIELD_DEFAULTS may not set a field the ${detector} detector (PII_DETECT) finds in a key, got ${JSON.stringify(field)}`,
      );
    }
    return { field, value: parsed[field] as JsonValue };
  });
}

function parsePartitionTime(value: string | undefined): PartitionTime {
  if (value === undefined || value === "" || value === "none") return "none";
  if (value === "day" || value === "hour") return value;
  throw new Error(`PARTITION_TIME must be empty, "day" or "hour", got ${shown(value)}`);
}

function parsePartition(fieldsValue: string | undefined, timeValue: string | undefined): PartitionSettings {
  const time = parsePartitionTime(timeValue);
  const fieldsText = fieldsValue ?? "";
  const fields = listOf(fieldsText);
  // Stryker disable next-line StringLiteral,ArrayDeclaration: TIME_PARTITION_KEYS.none is undefined, an empty Set too; FIELD_NAME rejects the injected name.
  const taken = new Set<string>(time === "none" ? [] : TIME_PARTITION_KEYS[time]);
  for (const field of fields) {
    if (!FIELD_NAME.test(field)) {
      throw new Error(
        `PARTITION_FIELDS entries must be top-level field names of letters, digits and _, got ${JSON.stringify(field)} in ${shown(fieldsText)}`,
      );
    }
    if (taken.has(field)) {
      throw new Error(
        `PARTITION_FIELDS has ${JSON.stringify(field)} twice or as a key PARTITION_TIME=${time} already sets, got ${shown(fieldsText)}`,
      );
    }
    taken.add(field);
  }
  return { fields, time };
}

/**
 * Reads and validates the transform's configuration. Throws an error naming the variable and the value it got;
 * the hash key's value is never echoed.
 */
export function parseTransformOptions(env: TransformEnvironment): TransformOptions {
  const hashMode = parseHashMode(env.PII_HASH_MODE);
  const piiFields = parsePiiFields(env.PII_FIELDS);
  const piiDetect = parsePiiDetect(env.PII_DETECT, env.PII_DETECT_ACTION);
  return {
    piiFields,
    piiPaths: compilePiiPaths(piiFields, "PII_FIELDS"),
    piiDetect,
    hashMode,
    hashLength: parseHashLength(env.PII_HASH_LENGTH, hashMode),
    hashKeySource: parseHashKeySource(env),
    dropRules: parseDropRules(env.DROP_RULES),
    fieldDefaults: parseFieldDefaults(env.FIELD_DEFAULTS, piiDetect),
    partition: parsePartition(env.PARTITION_FIELDS, env.PARTITION_TIME),
  };
}
