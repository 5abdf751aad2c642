// An Apache Iceberg destination (Firehose developer guide, "Deliver data to Apache Iceberg Tables"): the Glue
// Data Catalog's ARN, at least one table configuration naming a database and a table, unique keys only where
// Firehose uses them (not on an append-only stream, never empty or repeated), and a backup mode AWS knows.
// Buffer bounds, retry, error prefix and backup encryption are checked for every destination by the generic rules.
import { arrayAt, booleanAt, objectAt, stringAt, stringsAt } from "../lib/fields";
import { Finding, skipped, violation } from "../lib/findings";
import { InputObject, InputValue, isUnknown } from "../lib/unknown-values";

export interface IcebergDestinationConfig {
  /** Require at least one destinationTableConfiguration (else records route only by jq or Lambda metadata). */
  readonly requireTableConfigurations: boolean;
}

const PATH = "icebergConfiguration";
/** The Glue Data Catalog (or an S3 Tables catalog beneath it): `arn:<partition>:glue:<region>:<account>:catalog`. */
const CATALOG_ARN = /^arn:aws[a-z-]*:glue:[a-z0-9-]+:\d{12}:catalog(\/[^\s]+)?$/;
const BACKUP_MODES = ["FailedDataOnly", "AllData"];

export function checkIcebergDestination(inputs: InputObject, config: IcebergDestinationConfig): Finding[] {
  const block = objectAt(inputs, PATH);
  if (block === undefined) return [];
  if (isUnknown(block)) return [skipped(block, "Iceberg destination settings")];
  return [...checkCatalog(block), ...checkTables(block, config), ...checkBackupMode(block)];
}

function checkCatalog(block: InputObject): Finding[] {
  const arn = stringAt(block, "catalogArn");
  if (isUnknown(arn)) return [skipped(arn, "catalogArn is a Glue catalog ARN")];
  if (arn === undefined) return [wrongCatalog("not set")];
  return CATALOG_ARN.test(arn) ? [] : [wrongCatalog(`"${arn}"`)];
}

function wrongCatalog(found: string): Finding {
  return violation(
    `${PATH}.catalogArn is ${found}: Firehose commits to the Glue Data Catalog, so set it to ` +
      "arn:<partition>:glue:<region>:<account>:catalog",
  );
}

function checkTables(block: InputObject, config: IcebergDestinationConfig): Finding[] {
  const tables = arrayAt(block, "destinationTableConfigurations");
  if (isUnknown(tables)) return [skipped(tables, "destinationTableConfigurations name tables")];
  if (tables === undefined || tables.length === 0) {
    return config.requireTableConfigurations
      ? [
          violation(
            `${PATH}.destinationTableConfigurations is empty: name each table (databaseName, tableName) so ` +
              "Firehose checks at creation that it exists, and so its uniqueKeys can be set",
          ),
        ]
      : [];
  }
  const appendOnly = booleanAt(block, "appendOnly");
  const findings: Finding[] = isUnknown(appendOnly)
    ? [skipped(appendOnly, "uniqueKeys only without appendOnly")]
    : [];
  const seen = new Set<string>();
  tables.forEach((table, i) => {
    const path = `${PATH}.destinationTableConfigurations[${i}]`;
    const database = stringAt(table, "databaseName");
    const name = stringAt(table, "tableName");
    for (const [field, value] of [
      ["databaseName", database],
      ["tableName", name],
    ] as const) {
      if (value === undefined)
        findings.push(
          violation(
            `${path}.${field} is not set: name the Iceberg table's ${field === "databaseName" ? "database" : "table"}`,
          ),
        );
    }
    if (typeof database === "string" && typeof name === "string") {
      const key = `${database}.${name}`;
      if (seen.has(key))
        findings.push(violation(`${path} configures ${key} again: configure each table once`));
      seen.add(key);
    }
    findings.push(...checkUniqueKeys(table, path, appendOnly === true));
  });
  return findings;
}

function checkUniqueKeys(table: InputValue, path: string, appendOnly: boolean): Finding[] {
  const keys = stringsAt(table, "uniqueKeys");
  if (keys === undefined) return [];
  if (isUnknown(keys)) return [skipped(keys, "uniqueKeys only without appendOnly, never empty or repeated")];
  if (appendOnly) {
    return [
      violation(
        `${path}.uniqueKeys is set on an appendOnly stream, which only inserts and never uses them: remove ` +
          "them, or set appendOnly false to update and delete rows by those keys",
      ),
    ];
  }
  if (keys.length === 0) {
    return [violation(`${path}.uniqueKeys is empty: list the columns that identify a row, or remove it`)];
  }
  const repeated = keys.filter((k, i) => typeof k === "string" && keys.indexOf(k) !== i);
  return repeated.map((key) =>
    violation(`${path}.uniqueKeys lists "${String(key)}" twice: list each column once`),
  );
}

function checkBackupMode(block: InputObject): Finding[] {
  const mode = stringAt(block, "s3BackupMode");
  if (isUnknown(mode)) return [skipped(mode, "s3BackupMode is valid")];
  if (mode === undefined || BACKUP_MODES.includes(mode)) return [];
  return [violation(`${PATH}.s3BackupMode is "${mode}": use ${BACKUP_MODES.join(" or ")}`)];
}
