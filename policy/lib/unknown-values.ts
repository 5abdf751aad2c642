// During preview, an input that depends on a resource not yet created reaches a policy as a sentinel behind
// @pulumi/policy's unknown-checking proxy, which throws UnknownValueError on access. The SDK turns that throw
// into one advisory "can't run policy" note and drops every later check of the policy. We read the inputs
// once into plain data with explicit UnknownValue markers instead, so a rule skips only the check that needs
// the value, and the skipped checks are reported through the SDK's own advisory path (UnknownInputsError).
import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";

/** What @pulumi/policy 1.21 exports at runtime; its proxy.d.ts is empty, so the imports are untyped. */
interface SdkUnknownValueError extends Error {
  readonly unknownTypeSentinel: string;
}
type SdkUnknownValueErrorClass = new (sentinel: string, path: PropertyKey[]) => SdkUnknownValueError;
const SdkUnknownValueError: SdkUnknownValueErrorClass = UnknownValueError;
const withUnknownChecks: (props: object) => Record<string, unknown> = unknownCheckingProxy;

/** A value that is not known until the deployment runs. */
export class UnknownValue {
  constructor(
    /** Dotted path of the input, e.g. `extendedS3Configuration.prefix`. */
    readonly path: string,
    /** The SDK's sentinel for the value's type, kept to raise the SDK's own error later. */
    readonly sentinel: string,
  ) {}
}

export type InputValue = string | number | boolean | null | UnknownValue | InputValue[] | InputObject;
export interface InputObject {
  readonly [key: string]: InputValue | undefined;
}

export function isUnknown(value: unknown): value is UnknownValue {
  return value instanceof UnknownValue;
}

/** Whether `error` is the SDK's UnknownValueError (which the SDK reports as an advisory note). */
export function isSdkUnknownValueError(error: unknown): error is Error {
  return error instanceof SdkUnknownValueError;
}

/**
 * Copies resource inputs into plain data, replacing every unknown value with an UnknownValue. Accepts the
 * SDK's proxied props as well as plain objects holding the engine's raw unknown sentinels.
 */
export function readInputs(props: object): InputObject {
  return copyObject(withUnknownChecks(props), "");
}

function copyObject(source: Record<string, unknown>, path: string): InputObject {
  const copy: Record<string, InputValue> = {};
  for (const key of Object.keys(source)) {
    const value = copyField(source, key, joinPath(path, key));
    if (value !== undefined) {
      copy[key] = value;
    }
  }
  return copy;
}

function copyField(source: Record<string, unknown>, key: string, path: string): InputValue | undefined {
  let value: unknown;
  try {
    value = source[key];
  } catch (error) {
    if (error instanceof SdkUnknownValueError) {
      return new UnknownValue(path, error.unknownTypeSentinel);
    }
    throw error;
  }
  return copyValue(value, path);
}

function copyValue(value: unknown, path: string): InputValue | undefined {
  if (
    value === null ||
    typeof value === "string" ||
    typeof value === "number" ||
    typeof value === "boolean"
  ) {
    return value;
  }
  if (Array.isArray(value)) {
    // Index by index: the SDK's proxy throws on the unknown element itself, which `map` would not catch.
    const items = value as unknown as Record<string, unknown>;
    const copy: InputValue[] = [];
    for (let index = 0; index < value.length; index++) {
      copy.push(copyField(items, String(index), `${path}[${index}]`) ?? null);
    }
    return copy;
  }
  if (typeof value === "object") {
    return copyObject(value as Record<string, unknown>, path);
  }
  // Absent values, functions and symbols are not resource inputs.
  return undefined;
}

function joinPath(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/** One check that could not run because a value it needs is unknown. */
export interface SkippedCheck {
  readonly value: UnknownValue;
  /** What was not checked, e.g. "buffer size at least 64 MiB with dynamic partitioning". */
  readonly check: string;
}

/**
 * Raised after a policy has reported its definite violations, when some checks had to be skipped. It extends the
 * SDK's UnknownValueError so that the Pulumi CLI (and the offline engine) report it as an advisory note.
 */
export class UnknownInputsError extends SdkUnknownValueError {
  constructor(readonly skipped: readonly [SkippedCheck, ...SkippedCheck[]]) {
    // Stryker disable next-line ArrayDeclaration: the SDK builds its message from this path (replaced below); nothing reads props
    super(skipped[0].value.sentinel, []);
    const list = skipped.map((s) => `${s.value.path} (${s.check})`).join("; ");
    this.message = `not checked until the values are known at deployment: ${list}`;
  }
}
