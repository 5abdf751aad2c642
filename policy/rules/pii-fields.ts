// The transform masks the paths in its PII_FIELDS environment variable; the tables say which columns hold PII.
// Joined across the stack: every masked path starts at a column, every column marked PII is masked, and every
// column whose name says PII is masked or explicitly marked not PII. Glue columns carry the decision as a column
// parameter; Redshift columns reach the pack only as the stream's `dataTableColumns`, with the opt-outs in a tag.
import { arrayAt, objectAt, stringAt, valueAt } from "../lib/fields";
import { Finding, skipped, violation } from "../lib/findings";
import {
  masksColumn,
  NOT_PII_COLUMNS_TAG,
  PII_COLUMN_PARAMETER,
  piiNameReason,
  topLevelField,
} from "../lib/pii-columns";
import { resourceLabel, StackResource } from "../lib/run-rule";
import { isUnknown } from "../lib/unknown-values";

export const FUNCTION_TYPE = "aws:lambda/function:Function";
export const GLUE_TABLE_TYPE = "aws:glue/catalogTable:CatalogTable";
export const STREAM_TYPE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";

export interface PiiFieldsConfig {
  /** The environment variable that lists a function's masked paths; functions without it are not transforms. */
  readonly piiFieldsVariable: string;
}

/** A column as the rule sees it: where it is declared, and its PII marker ("true", "false" or none). */
interface Column {
  readonly name: string;
  readonly marker?: string;
  /** `Glue table 'events'` or `Redshift table of FirehoseDeliveryStream 'warehouse-stream'`. */
  readonly table: string;
  /** Partition columns hold no marker and are never named like PII in our layouts; they only match paths. */
  readonly partition: boolean;
}

export function checkPiiFields(resources: readonly StackResource[], config: PiiFieldsConfig): Finding[] {
  const gathered = stackColumns(resources);
  const findings: Finding[] = [...gathered.skipped];
  for (const fn of resources.filter((r) => r.type === FUNCTION_TYPE)) {
    const value = valueAt(fn.inputs, "environment", "variables", config.piiFieldsVariable);
    if (value === undefined) continue;
    if (isUnknown(value)) {
      findings.push(skipped(value, `${config.piiFieldsVariable} against the tables' columns`));
      continue;
    }
    if (gathered.columns.length === 0) continue;
    const paths = String(value)
      .split(",")
      .map((path) => path.trim())
      .filter((path) => path !== "");
    findings.push(...checkFunction(fn, paths, gathered.columns, config.piiFieldsVariable));
  }
  return findings;
}

function checkFunction(
  fn: StackResource,
  paths: readonly string[],
  columns: readonly Column[],
  variable: string,
): Finding[] {
  const label = `${resourceLabel(fn)}: environment ${variable}`;
  const fix =
    "mark the column pii: true (or list it in transform.piiFields), or pii: false if it holds no personal data";
  const names = new Set(columns.map((c) => c.name.toLowerCase()));
  const unmatched = paths
    .filter((path) => !names.has(topLevelField(path)))
    .map((path) =>
      violation(
        `${label} masks "${path}", which starts at no column of the stack's tables (${[...names].join(", ")}), ` +
          "so the field it was meant for is delivered in plaintext: fix the path in transform.piiFields",
        fn.urn,
      ),
    );
  const unmasked = columns
    .filter((c) => !c.partition && !masksColumn(paths, c.name))
    .flatMap((c) => {
      if (c.marker === "true") {
        return [
          violation(
            `${label} ("${paths.join(",")}") does not mask column '${c.name}' of the ${c.table}, which is ` +
              "marked PII: deploy the transform built from the same config as the table",
            fn.urn,
          ),
        ];
      }
      const holds = piiNameReason(c.name);
      if (c.marker === "false" || holds === undefined) return [];
      return [
        violation(
          `${label} ("${paths.join(",")}") does not mask column '${c.name}' of the ${c.table}, which looks like ` +
            `${holds} and is not marked either way: ${fix}`,
          fn.urn,
        ),
      ];
    });
  return [...unmatched, ...unmasked];
}

/** Every column of the stack's Glue tables and Redshift destinations, and the checks an unknown value skipped. */
function stackColumns(resources: readonly StackResource[]): { columns: Column[]; skipped: Finding[] } {
  const columns: Column[] = [];
  const skippedChecks: Finding[] = [];
  for (const table of resources.filter((r) => r.type === GLUE_TABLE_TYPE)) {
    const where = `Glue table '${stringAt(table.inputs, "name") ?? table.name}'`;
    for (const [field, partition] of [
      [["storageDescriptor", "columns"], false],
      [["partitionKeys"], true],
    ] as const) {
      const list = arrayAt(table.inputs, ...field);
      if (isUnknown(list)) {
        skippedChecks.push(skipped(list, "PII columns of the Glue table"));
        continue;
      }
      // Stryker disable next-line ArrayDeclaration: an item that is not an object has no name and is skipped below.
      for (const item of list ?? []) {
        const name = stringAt(item, "name");
        if (typeof name !== "string") continue;
        const marker = stringAt(objectAt(item, "parameters"), PII_COLUMN_PARAMETER);
        columns.push({
          name,
          marker: typeof marker === "string" ? marker : undefined,
          table: where,
          partition,
        });
      }
    }
  }
  for (const stream of resources.filter((r) => r.type === STREAM_TYPE)) {
    const list = stringAt(stream.inputs, "redshiftConfiguration", "dataTableColumns");
    if (list === undefined) continue;
    if (isUnknown(list)) {
      skippedChecks.push(skipped(list, "PII columns of the Redshift table"));
      continue;
    }
    const tag = stringAt(stream.inputs, "tags", NOT_PII_COLUMNS_TAG);
    const notPii = new Set(typeof tag === "string" ? tag.split(" ") : []);
    const where = `Redshift table of ${resourceLabel(stream)}`;
    for (const name of list.split(",").map((n) => n.trim())) {
      if (name === "") continue;
      columns.push({ name, marker: notPii.has(name) ? "false" : undefined, table: where, partition: false });
    }
  }
  return { columns, skipped: skippedChecks };
}
