// Encryption of a delivery stream: server-side encryption with a CMK for Direct PUT streams (a stream reading
// from Kinesis or MSK cannot take it and relies on its source's encryption), and a KMS key on every S3
// configuration, so objects are written with that key whatever the bucket's default is.
import { booleanAt, objectAt, stringAt } from "../lib/fields";
import { Finding, skipped, violation } from "../lib/findings";
import { InputObject, isUnknown } from "../lib/unknown-values";
import { s3Configurations, sourceOf } from "./firehose-destinations";
import { checkCustomerManagedKey } from "./kms-keys";

export interface FirehoseEncryptionConfig {
  /** Direct PUT streams must use CUSTOMER_MANAGED_CMK; false also accepts AWS_OWNED_CMK. */
  readonly requireCustomerManagedKey: boolean;
  /** Accept `alias/aws/s3` as an S3 configuration's kmsKeyArn. */
  readonly allowAwsManagedKeys: boolean;
}

const SSE_FIX =
  'set serverSideEncryption to { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: <ARN of a customer managed key> }';

export function checkFirehoseEncryption(inputs: InputObject, config: FirehoseEncryptionConfig): Finding[] {
  return [...checkServerSideEncryption(inputs, config), ...checkS3KmsKeys(inputs, config)];
}

function checkServerSideEncryption(inputs: InputObject, config: FirehoseEncryptionConfig): Finding[] {
  const source = sourceOf(inputs);
  const sse = objectAt(inputs, "serverSideEncryption");
  const enabled = booleanAt(sse, "enabled");
  if (isUnknown(source)) {
    return [skipped(source, "server-side encryption suits the stream's source")];
  }
  if (source !== "direct-put") {
    if (isUnknown(enabled)) {
      return [skipped(enabled, "no server-side encryption on a stream with a source stream")];
    }
    const sourceName = source === "kinesis" ? "a Kinesis data stream" : "an MSK cluster";
    return enabled === true
      ? [
          violation(
            `serverSideEncryption.enabled is true on a stream that reads from ${sourceName}; AWS accepts ` +
              "server-side encryption only for Direct PUT streams: remove serverSideEncryption and encrypt the " +
              "source with KMS",
          ),
        ]
      : [];
  }
  if (isUnknown(enabled)) {
    return [skipped(enabled, "server-side encryption is enabled")];
  }
  if (enabled !== true) {
    const received = enabled === false ? "false" : "not set";
    return [violation(`serverSideEncryption.enabled is ${received} on a Direct PUT stream: ${SSE_FIX}`)];
  }
  const keyType = stringAt(sse, "keyType") ?? "AWS_OWNED_CMK";
  if (isUnknown(keyType)) {
    return [skipped(keyType, "server-side encryption uses a customer managed key")];
  }
  if (keyType !== "CUSTOMER_MANAGED_CMK") {
    return config.requireCustomerManagedKey
      ? [violation(`serverSideEncryption.keyType is "${keyType}", not "CUSTOMER_MANAGED_CMK": ${SSE_FIX}`)]
      : [];
  }
  return checkCustomerManagedKey(stringAt(sse, "keyArn"), {
    field: "serverSideEncryption.keyArn",
    fix: "set it to the ARN of a customer managed KMS key",
    allowAwsManagedKeys: false,
    requireKeyArn: true,
  });
}

function checkS3KmsKeys(inputs: InputObject, config: FirehoseEncryptionConfig): Finding[] {
  return s3Configurations(inputs).flatMap((s3) => {
    if (isUnknown(s3.config)) {
      return [skipped(s3.config, "kmsKeyArn is set")];
    }
    return checkCustomerManagedKey(stringAt(s3.config, "kmsKeyArn"), {
      field: `${s3.path}.kmsKeyArn`,
      fix: "set it to the ARN of a customer managed KMS key so Firehose writes every object with it",
      allowAwsManagedKeys: config.allowAwsManagedKeys,
    });
  });
}
