// A Glue table in the Iceberg format that Firehose can write and whose data rests encrypted: format version 2
// (Firehose writes no other: developer guide, Iceberg prerequisites), and a location in a bucket of this stack, so
// that the s3-bucket-kms-encryption policy's check of that bucket covers the table's data and metadata files.
import { objectAt, stringAt } from "../lib/fields";
import { Finding, skipped, violation } from "../lib/findings";
import { resourceLabel, StackResource } from "../lib/run-rule";
import { InputObject, isUnknown } from "../lib/unknown-values";
import { BUCKET_TYPES } from "./bucket-encryption";

export const GLUE_TABLE_TYPE = "aws:glue/catalogTable:CatalogTable";
/** The only Iceberg format version Firehose writes. */
const FORMAT_VERSION = "2";

export interface IcebergTableConfig {
  /** Accept a table whose location is a bucket outside the stack (its encryption is then not checked). */
  readonly allowExternalLocations: boolean;
}

export function checkIcebergTables(
  resources: readonly StackResource[],
  config: IcebergTableConfig,
): Finding[] {
  const buckets = resources.filter((r) => BUCKET_TYPES.includes(r.type));
  return resources
    .filter((r) => r.type === GLUE_TABLE_TYPE)
    .flatMap((table) => {
      const iceberg = objectAt(table.inputs, "openTableFormatInput", "icebergInput");
      if (iceberg === undefined) return [];
      if (isUnknown(iceberg))
        return [skipped(iceberg, `${resourceLabel(table)} is an Iceberg table Firehose can write`)];
      return [...checkVersion(table, iceberg), ...checkLocation(table, iceberg, buckets, config)];
    });
}

function checkVersion(table: StackResource, iceberg: InputObject): Finding[] {
  const version = stringAt(iceberg, "version");
  if (isUnknown(version)) return [skipped(version, "Iceberg format version 2")];
  // Unset means the provider's default, 2.
  if (version === undefined || version === FORMAT_VERSION) return [];
  return [
    violation(
      `${resourceLabel(table)}: openTableFormatInput.icebergInput.version is "${version}", and Firehose writes only ` +
        `format version ${FORMAT_VERSION} (records to any other go to the error prefix): set it to "${FORMAT_VERSION}"`,
      table.urn,
    ),
  ];
}

function checkLocation(
  table: StackResource,
  iceberg: InputObject,
  buckets: readonly StackResource[],
  config: IcebergTableConfig,
): Finding[] {
  const field = "openTableFormatInput.icebergInput.icebergTableInput.location";
  const location = stringAt(iceberg, "icebergTableInput", "location");
  const linked = buckets.filter((b) =>
    // Stryker disable next-line ArrayDeclaration: a placeholder element is no bucket URN, so nothing more matches.
    (table.propertyDependencyUrns["openTableFormatInput"] ?? []).includes(b.urn),
  );
  if (linked.length > 0 || config.allowExternalLocations) return [];
  if (isUnknown(location))
    return [skipped(location, `${resourceLabel(table)} lies in a bucket of this stack`)];
  // Stryker disable next-line StringLiteral: text that is not an s3:// URI matches nothing, as "" does.
  const bucketName = /^s3:\/\/([^/]+)\//.exec(location ?? "")?.[1];
  if (bucketName !== undefined && buckets.some((b) => stringAt(b.inputs, "bucket") === bucketName)) return [];
  return [
    violation(
      `${resourceLabel(table)}: ${field} is ${location === undefined ? "not set" : `"${location}"`}, not in a bucket ` +
        "of this stack, so nothing shows its data files are KMS-encrypted: put the table in the stack's lake " +
        "bucket (whose default encryption s3-bucket-kms-encryption checks)",
      table.urn,
    ),
  ];
}
