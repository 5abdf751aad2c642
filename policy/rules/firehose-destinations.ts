// The shape of a FirehoseDeliveryStream's inputs in @pulumi/aws 7: which configuration block belongs to which
// destination, and every S3 configuration inside them (each has its own prefix, buffer and KMS key).
import { Maybe, objectAt, stringAt } from "../lib/fields";
import { InputObject, isUnknown, UnknownValue } from "../lib/unknown-values";

/** The `destination` values the provider accepts (the Terraform provider's snake_case names). */
export const DESTINATIONS = [
  "extended_s3",
  "redshift",
  "opensearch",
  "opensearchserverless",
  "http_endpoint",
  "splunk",
  "snowflake",
  "iceberg",
  "elasticsearch",
] as const;
export type Destination = (typeof DESTINATIONS)[number];

export const DESTINATION_CONFIG_KEYS: Readonly<Record<Destination, string>> = {
  extended_s3: "extendedS3Configuration",
  redshift: "redshiftConfiguration",
  opensearch: "opensearchConfiguration",
  opensearchserverless: "opensearchserverlessConfiguration",
  http_endpoint: "httpEndpointConfiguration",
  splunk: "splunkConfiguration",
  snowflake: "snowflakeConfiguration",
  iceberg: "icebergConfiguration",
  elasticsearch: "elasticsearchConfiguration",
};

export function isDestination(value: string): value is Destination {
  return DESTINATIONS.some((destination) => destination === value);
}

/** A destination configuration block that is present in the inputs. */
export interface DestinationBlock {
  readonly destination: Destination;
  /** Input path, e.g. `httpEndpointConfiguration`. */
  readonly path: string;
  readonly config: InputObject | UnknownValue;
}

/**
 * What an S3 configuration is for: `delivery` is extended S3's own, `staging` the S3 that Redshift COPYs from,
 * `backup` an `s3BackupConfiguration`, `failed-data` the S3 configuration of OpenSearch/HTTP/Splunk/...
 */
export type S3ConfigurationRole = "delivery" | "staging" | "backup" | "failed-data";

export interface S3Configuration {
  readonly role: S3ConfigurationRole;
  readonly path: string;
  readonly config: InputObject | UnknownValue;
}

/** Every destination block present, whatever `destination` says (a mismatch is its own violation). */
export function destinationBlocks(inputs: InputObject): DestinationBlock[] {
  return DESTINATIONS.flatMap((destination) => {
    const path = DESTINATION_CONFIG_KEYS[destination];
    const config = objectAt(inputs, path);
    return config === undefined ? [] : [{ destination, path, config }];
  });
}

export function s3Configurations(inputs: InputObject): S3Configuration[] {
  const found: S3Configuration[] = [];
  const add = (role: S3ConfigurationRole, path: string, config: Maybe<InputObject>): void => {
    if (config !== undefined) {
      found.push({ role, path, config });
    }
  };
  for (const block of destinationBlocks(inputs)) {
    if (block.destination === "extended_s3") {
      add("delivery", block.path, block.config);
    } else {
      const role = block.destination === "redshift" ? "staging" : "failed-data";
      add(role, `${block.path}.s3Configuration`, objectAt(block.config, "s3Configuration"));
    }
    add("backup", `${block.path}.s3BackupConfiguration`, objectAt(block.config, "s3BackupConfiguration"));
  }
  return found;
}

/** The stream's `destination`, or undefined when absent. */
export function destinationOf(inputs: InputObject): Maybe<string> {
  return stringAt(inputs, "destination");
}

/** Whether the stream reads from a Kinesis data stream or MSK (not Direct PUT). */
export function sourceOf(inputs: InputObject): "direct-put" | "kinesis" | "msk" | UnknownValue {
  const kinesis = objectAt(inputs, "kinesisSourceConfiguration");
  if (isUnknown(kinesis)) {
    return kinesis;
  }
  if (kinesis !== undefined) {
    return "kinesis";
  }
  const msk = objectAt(inputs, "mskSourceConfiguration");
  if (isUnknown(msk)) {
    return msk;
  }
  return msk === undefined ? "direct-put" : "msk";
}
