// The customer managed key check every encryption rule shares: which references are key ARNs, which are AWS
// managed, and what an unknown key skips.
import * as assert from "node:assert/strict";
import { UnknownValue } from "../../policy/lib/unknown-values";
import { checkCustomerManagedKey, CustomerKeyCheck, isKeyArn } from "../../policy/rules/kms-keys";
import { KEY_ARN } from "./helpers";

const FIX = "set keyArn to the ARN of a customer managed KMS key";
const KEY_ARN_ONLY: CustomerKeyCheck = {
  field: "serverSideEncryption.keyArn",
  fix: FIX,
  allowAwsManagedKeys: false,
  requireKeyArn: true,
};

function notAnArn(value: string): string {
  return (
    `serverSideEncryption.keyArn is "${value}", which is not a KMS key ARN ` +
    `(arn:aws:kms:<region>:<account>:key/<id>); aliases and key ids are rejected here: ${FIX}`
  );
}

describe("KMS key references (policy/rules/kms-keys.ts)", () => {
  it("accepts key ARNs of every AWS partition where a key ARN is required", () => {
    for (const arn of [
      KEY_ARN,
      "arn:aws-cn:kms:cn-north-1:123456789012:key/1111aaaa-2222-bbbb-3333-cccc4444dddd",
      "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-1234abcd",
    ]) {
      assert.equal(isKeyArn(arn), true, arn);
      assert.deepEqual(checkCustomerManagedKey(arn, KEY_ARN_ONLY), [], arn);
    }
  });

  it("rejects aliases, key ids and text around an ARN where a key ARN is required, naming the value", () => {
    for (const value of [
      "arn:aws:kms:eu-west-1:123456789012:alias/etl",
      "alias/etl",
      "1111aaaa-2222-bbbb-3333-cccc4444dddd",
      `keyArn=${KEY_ARN}`,
      `${KEY_ARN} (prod)`,
    ]) {
      assert.equal(isKeyArn(value), false, value);
      assert.deepStrictEqual(checkCustomerManagedKey(value, KEY_ARN_ONLY), [
        { kind: "violation", message: notAnArn(value) },
      ]);
    }
  });

  it("rejects an AWS managed key unless allowed, and a key that is not set", () => {
    assert.deepStrictEqual(checkCustomerManagedKey("alias/aws/firehose", KEY_ARN_ONLY), [
      {
        kind: "violation",
        message: `serverSideEncryption.keyArn is "alias/aws/firehose", an AWS managed key: ${FIX}`,
      },
    ]);
    assert.deepEqual(
      checkCustomerManagedKey("alias/aws/sns", {
        field: "kmsMasterKeyId",
        fix: FIX,
        allowAwsManagedKeys: true,
      }),
      [],
    );
    assert.deepStrictEqual(checkCustomerManagedKey(undefined, KEY_ARN_ONLY), [
      {
        kind: "violation",
        message: `serverSideEncryption.keyArn is not set, so AWS uses its own key: ${FIX}`,
      },
    ]);
  });

  it("skips only the key-ARN form check for a key that is unknown at preview", () => {
    const unknown = new UnknownValue("serverSideEncryption.keyArn", "unknown-sentinel");
    assert.deepStrictEqual(checkCustomerManagedKey(unknown, KEY_ARN_ONLY), [
      { kind: "skipped", value: unknown, check: "a KMS key ARN, not an alias" },
    ]);
    assert.deepEqual(checkCustomerManagedKey(unknown, { ...KEY_ARN_ONLY, requireKeyArn: false }), []);
  });
});
