// KMS key references: what is a customer managed key (CMK), what is an AWS managed one.
import { Maybe } from "../lib/fields";
import { Finding, skipped, violation } from "../lib/findings";
import { isUnknown } from "../lib/unknown-values";

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/\S+$/;
const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\//;

/** `arn:aws:kms:<region>:<account>:key/<id>`, as opposed to an alias or a bare key id. */
export function isKeyArn(reference: string): boolean {
  return KEY_ARN.test(reference);
}

/** `alias/aws/<service>` (or its ARN): a key AWS manages, which the account cannot control or audit by policy. */
export function isAwsManagedKey(reference: string): boolean {
  return AWS_MANAGED_ALIAS.test(reference);
}

export interface CustomerKeyCheck {
  /** Input path, e.g. `kmsKeyId`. */
  readonly field: string;
  /** The fix, e.g. "set kmsKeyId to the ARN of a customer managed KMS key". */
  readonly fix: string;
  readonly allowAwsManagedKeys: boolean;
  /** The service requires a key ARN (no alias, no key id). */
  readonly requireKeyArn?: boolean;
}

/**
 * The key must be set and customer managed. An unknown value passes the CMK test: it is the output of a resource
 * this deployment creates, while AWS managed keys are named by literal aliases or by data-source lookups, which
 * are known at preview. Its form (key ARN or alias) is only known at deployment, so that check is skipped.
 */
export function checkCustomerManagedKey(value: Maybe<string>, check: CustomerKeyCheck): Finding[] {
  if (value === undefined) {
    return [violation(`${check.field} is not set, so AWS uses its own key: ${check.fix}`)];
  }
  if (isUnknown(value)) {
    return check.requireKeyArn === true ? [skipped(value, "a KMS key ARN, not an alias")] : [];
  }
  if (!check.allowAwsManagedKeys && isAwsManagedKey(value)) {
    return [violation(`${check.field} is "${value}", an AWS managed key: ${check.fix}`)];
  }
  if (check.requireKeyArn === true && !isKeyArn(value)) {
    return [
      violation(
        `${check.field} is "${value}", which is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); ` +
          `aliases and key ids are rejected here: ${check.fix}`,
      ),
    ];
  }
  return [];
}
