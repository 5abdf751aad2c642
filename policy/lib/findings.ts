// What a rule returns: definite violations, and checks it skipped because a value is unknown at preview.
import { redactUrlCredentials } from "./redact";
import { UnknownValue } from "./unknown-values";

export interface ViolationFinding {
  readonly kind: "violation";
  readonly message: string;
  /** Stack rules only: the resource in violation (resource rules always report against their resource). */
  readonly urn?: string;
}

export interface SkippedFinding {
  readonly kind: "skipped";
  readonly value: UnknownValue;
  readonly check: string;
}

export type Finding = ViolationFinding | SkippedFinding;

/** A violation; a URL's credentials in the message are redacted, since `pulumi preview` prints it to CI logs. */
export function violation(text: string, urn?: string): ViolationFinding {
  const message = redactUrlCredentials(text);
  return urn === undefined ? { kind: "violation", message } : { kind: "violation", message, urn };
}

export function skipped(value: UnknownValue, check: string): SkippedFinding {
  return { kind: "skipped", value, check };
}
