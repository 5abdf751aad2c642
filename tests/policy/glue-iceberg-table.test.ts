// glue-iceberg-table beyond the good table and one change each (firehose-iceberg-destination.test.ts): defaults,
// values unknown at preview, how the table's location is joined to the stack's buckets, and what is not a table.
import * as assert from "assert";
import { glueIcebergTable } from "../../policy/policies/glue-iceberg-table";
import { PolicyResource } from "../../policy/evaluate";
import { evaluate, patched, resource, TYPES, UNKNOWN } from "./helpers";

const GLUE_TABLE = "aws:glue/catalogTable:CatalogTable";
const TABLE = "CatalogTable 'events-table'";
const LOCATION = "openTableFormatInput.icebergInput.icebergTableInput.location";
const OUTSIDE =
  "not in a bucket of this stack, so nothing shows its data files are KMS-encrypted: put the table in the " +
  "stack's lake bucket (whose default encryption s3-bucket-kms-encryption checks)";

const lake = resource(TYPES.bucket, { bucket: "lake-bucket-1234567" }, "lake-bucket");

function tableProps(iceberg: Record<string, unknown> = {}) {
  return {
    databaseName: "lake",
    name: "events",
    openTableFormatInput: {
      icebergInput: patched(
        {
          metadataOperation: "CREATE",
          version: "2",
          icebergTableInput: {
            location: "s3://lake-bucket-1234567/iceberg/events/",
            schema: { fields: [{ id: 1, name: "event_id", type: "string", required: false }] },
          },
        },
        iceberg,
      ),
    },
  };
}

/** The table, its location joined to the stack by value only unless `dependsOn` names resources. */
function table(iceberg: Record<string, unknown> = {}, dependsOn: readonly PolicyResource[] = []) {
  return resource(GLUE_TABLE, tableProps(iceberg), "events-table", {
    propertyDependencies: { openTableFormatInput: dependsOn.map((r) => r.urn) },
  });
}

async function findings(resources: PolicyResource[]): Promise<[string, string][]> {
  return (await evaluate(glueIcebergTable, resources)).map((v) => [v.level, v.message]);
}

const notChecked = (what: string): [string, string][] => [
  [
    "advisory",
    `can't run policy 'glue-iceberg-table' during preview: not checked until the values are known at deployment: ${what}`,
  ],
];

describe("glue-iceberg-table: defaults and values unknown at preview", () => {
  it("passes a table without a format version: the provider's default is 2", async () => {
    assert.deepEqual(await findings([lake, table({ version: undefined })]), []);
  });

  it("notes an Iceberg input unknown at preview as not checked", async () => {
    const unknown = resource(GLUE_TABLE, { ...tableProps(), openTableFormatInput: UNKNOWN }, "events-table");
    assert.deepEqual(
      await findings([lake, unknown]),
      notChecked(`openTableFormatInput (${TABLE} is an Iceberg table Firehose can write)`),
    );
  });

  it("notes a format version unknown at preview as not checked", async () => {
    assert.deepEqual(
      await findings([lake, table({ version: UNKNOWN })]),
      notChecked("openTableFormatInput.icebergInput.version (Iceberg format version 2)"),
    );
  });

  it("notes a location unknown at preview as not checked, unless it depends on a stack bucket", async () => {
    const unknownLocation = { icebergTableInput: { location: UNKNOWN } };
    assert.deepEqual(
      await findings([lake, table(unknownLocation)]),
      notChecked(`${LOCATION} (${TABLE} lies in a bucket of this stack)`),
    );
    assert.deepEqual(await findings([lake, table(unknownLocation, [lake])]), []);
  });
});

describe("glue-iceberg-table: the table's bucket", () => {
  it("passes a location that names any one of the stack's buckets", async () => {
    const backup = resource(TYPES.bucket, { bucket: "backup-bucket-1234567" }, "backup-bucket");
    assert.deepEqual(await findings([backup, lake, table()]), []);
  });

  it("refuses a table without a location when no stack bucket is joined to it", async () => {
    const autoNamed = resource(TYPES.bucket, {}, "lake-bucket");
    const noLocation = { icebergTableInput: { location: undefined } };
    assert.deepEqual(await findings([autoNamed, table(noLocation)]), [
      ["mandatory", `${TABLE}: ${LOCATION} is not set, ${OUTSIDE}`],
    ]);
  });

  it("reads the bucket only from a location that starts with s3:// (not one with a leading space)", async () => {
    const spaced = { icebergTableInput: { location: " s3://lake-bucket-1234567/iceberg/events/" } };
    assert.deepEqual(await findings([lake, table(spaced)]), [
      ["mandatory", `${TABLE}: ${LOCATION} is " s3://lake-bucket-1234567/iceberg/events/", ${OUTSIDE}`],
    ]);
  });

  it("joins only buckets: a dependency on another resource, or another resource's bucket input, is no bucket", async () => {
    const outside = { icebergTableInput: { location: "s3://someone-elses-bucket/events/" } };
    const suffix = resource("random:index/randomString:RandomString", { length: 8 }, "suffix");
    const policy = resource("aws:s3/bucketPolicy:BucketPolicy", { bucket: "someone-elses-bucket" }, "grant");
    assert.deepEqual(await findings([lake, suffix, policy, table(outside, [suffix])]), [
      ["mandatory", `${TABLE}: ${LOCATION} is "s3://someone-elses-bucket/events/", ${OUTSIDE}`],
    ]);
  });
});

describe("glue-iceberg-table: what is a Glue Iceberg table", () => {
  it("checks only Glue tables: a component given a table's args is not one", async () => {
    const component = resource(
      "firehose-etl:storage:IcebergTable",
      tableProps({ version: "1", icebergTableInput: { location: "s3://someone-elses-bucket/events/" } }),
      "events",
    );
    assert.deepEqual(await findings([lake, table(), component]), []);
  });
});
