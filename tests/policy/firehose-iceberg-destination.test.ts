// Iceberg streams and tables: a good stream and table, then one change per case, each asserted on the message of
// the policy that owns the rule (the Iceberg policies, and the generic ones that cover every destination).
import * as assert from "assert";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { firehoseBufferBounds } from "../../policy/policies/firehose-buffer-bounds";
import { firehoseDestinationConfig } from "../../policy/policies/firehose-destination-config";
import { firehoseEncryption } from "../../policy/policies/firehose-encryption";
import { firehoseErrorPrefix } from "../../policy/policies/firehose-error-prefix";
import { firehoseIcebergDestination } from "../../policy/policies/firehose-iceberg-destination";
import { glueIcebergTable } from "../../policy/policies/glue-iceberg-table";
import { policies } from "../../policy/policies";
import { icebergStream } from "./fixtures";
import { evaluate, messagesOf, patched, resource, TYPES, UNKNOWN } from "./helpers";
import { itPassesEveryValidStream, streamViolations } from "./stream-policy";

const STREAM = "FirehoseDeliveryStream 'events': ";
const TABLES = "icebergConfiguration.destinationTableConfigurations";

function withIceberg(patch: Record<string, unknown>) {
  return patched(icebergStream(), { icebergConfiguration: patch });
}

function tableWith(patch: Record<string, unknown>) {
  return withIceberg({
    destinationTableConfigurations: [
      { databaseName: "lake", tableName: "events", uniqueKeys: ["event_id"], ...patch },
    ],
  });
}

const violationsOf = (
  props: Record<string, unknown>,
  config = {},
  policy: ResourceValidationPolicy = firehoseIcebergDestination,
) => streamViolations(policy, props, config);

/** The advisory note of the Iceberg policy when `what` is unknown at preview. */
const notesOf = (props: Record<string, unknown>) =>
  streamViolations(firehoseIcebergDestination, props, {}, "advisory");

const note = (what: string) =>
  "can't run policy 'firehose-iceberg-destination' during preview: not checked until the values are known at " +
  `deployment: ${what}`;

describe("firehose-iceberg-destination", () => {
  itPassesEveryValidStream(firehoseIcebergDestination);

  it("passes the good Iceberg stream under every policy of the pack", async () => {
    assert.deepEqual(
      await messagesOf(evaluate(policies, resource(TYPES.stream, icebergStream(), "events"))),
      [],
    );
  });

  it("requires the Glue Data Catalog's ARN, not a database's", async () => {
    const arn = "arn:aws:glue:eu-west-1:123456789012:database/lake";
    assert.deepEqual(await violationsOf(withIceberg({ catalogArn: arn })), [
      `${STREAM}icebergConfiguration.catalogArn is "${arn}": Firehose commits to the Glue Data Catalog, so set it ` +
        "to arn:<partition>:glue:<region>:<account>:catalog",
    ]);
  });

  it("accepts an S3 Tables catalog beneath the account's catalog, and skips an unknown ARN", async () => {
    const s3Tables = "arn:aws:glue:eu-west-1:123456789012:catalog/s3tablescatalog/lake-tables";
    assert.deepEqual(await violationsOf(withIceberg({ catalogArn: s3Tables })), []);
    assert.deepEqual(await violationsOf(withIceberg({ catalogArn: UNKNOWN })), []);
  });

  it("requires table configurations, unless config relaxes it", async () => {
    const stream = withIceberg({ destinationTableConfigurations: [] });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}${TABLES} is empty: name each table (databaseName, tableName) so Firehose checks at creation ` +
        "that it exists, and so its uniqueKeys can be set",
    ]);
    const relaxed = { "firehose-iceberg-destination": { requireTableConfigurations: false } };
    assert.deepEqual(await violationsOf(stream, relaxed), []);
  });

  it("requires each table configuration to name its table", async () => {
    assert.deepEqual(await violationsOf(tableWith({ tableName: undefined })), [
      `${STREAM}${TABLES}[0].tableName is not set: name the Iceberg table's table`,
    ]);
  });

  it("refuses the same table configured twice", async () => {
    const table = { databaseName: "lake", tableName: "events" };
    const stream = withIceberg({ appendOnly: true, destinationTableConfigurations: [table, table] });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}${TABLES}[1] configures lake.events again: configure each table once`,
    ]);
  });

  it("refuses uniqueKeys on an append-only stream", async () => {
    assert.deepEqual(await violationsOf(withIceberg({ appendOnly: true })), [
      `${STREAM}${TABLES}[0].uniqueKeys is set on an appendOnly stream, which only inserts and never uses them: ` +
        "remove them, or set appendOnly false to update and delete rows by those keys",
    ]);
  });

  it("accepts an append-only stream without uniqueKeys", async () => {
    const stream = withIceberg({
      appendOnly: true,
      destinationTableConfigurations: [{ databaseName: "lake", tableName: "events" }],
    });
    assert.deepEqual(await violationsOf(stream), []);
  });

  it("refuses empty and repeated uniqueKeys", async () => {
    assert.deepEqual(await violationsOf(tableWith({ uniqueKeys: [] })), [
      `${STREAM}${TABLES}[0].uniqueKeys is empty: list the columns that identify a row, or remove it`,
    ]);
    assert.deepEqual(await violationsOf(tableWith({ uniqueKeys: ["event_id", "event_id"] })), [
      `${STREAM}${TABLES}[0].uniqueKeys lists "event_id" twice: list each column once`,
    ]);
  });

  it("refuses a backup mode Iceberg does not have", async () => {
    assert.deepEqual(await violationsOf(withIceberg({ s3BackupMode: "FailedDocumentsOnly" })), [
      `${STREAM}icebergConfiguration.s3BackupMode is "FailedDocumentsOnly": use FailedDataOnly or AllData`,
    ]);
  });

  it("requires the catalog ARN", async () => {
    assert.deepEqual(await violationsOf(withIceberg({ catalogArn: undefined })), [
      `${STREAM}icebergConfiguration.catalogArn is not set: Firehose commits to the Glue Data Catalog, so set it ` +
        "to arn:<partition>:glue:<region>:<account>:catalog",
    ]);
  });

  it("accepts the catalogs of the China and GovCloud partitions", async () => {
    for (const arn of [
      "arn:aws-cn:glue:cn-north-1:123456789012:catalog",
      "arn:aws-us-gov:glue:us-gov-west-1:123456789012:catalog",
    ]) {
      assert.deepEqual(await violationsOf(withIceberg({ catalogArn: arn })), [], arn);
    }
  });

  it("refuses a catalog ARN with whitespace around it, which AWS does not trim", async () => {
    const arn = "arn:aws:glue:eu-west-1:123456789012:catalog";
    for (const padded of [` ${arn}`, `${arn}\n`]) {
      assert.deepEqual(await violationsOf(withIceberg({ catalogArn: padded })), [
        `${STREAM}icebergConfiguration.catalogArn is "${padded}": Firehose commits to the Glue Data Catalog, so ` +
          "set it to arn:<partition>:glue:<region>:<account>:catalog",
      ]);
    }
  });

  it("treats absent table configurations like an empty list", async () => {
    const stream = withIceberg({ destinationTableConfigurations: undefined });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}${TABLES} is empty: name each table (databaseName, tableName) so Firehose checks at creation ` +
        "that it exists, and so its uniqueKeys can be set",
    ]);
    const relaxed = { "firehose-iceberg-destination": { requireTableConfigurations: false } };
    assert.deepEqual(await violationsOf(stream, relaxed), []);
  });

  it("requires each table configuration to name its database", async () => {
    assert.deepEqual(await violationsOf(tableWith({ databaseName: undefined })), [
      `${STREAM}${TABLES}[0].databaseName is not set: name the Iceberg table's database`,
    ]);
  });

  it("reports only the missing name of tables that lack one, not a repeated table", async () => {
    const noTable = withIceberg({
      destinationTableConfigurations: [{ databaseName: "lake" }, { databaseName: "lake" }],
    });
    assert.deepEqual(await violationsOf(noTable), [
      `${STREAM}${TABLES}[0].tableName is not set: name the Iceberg table's table`,
      `${STREAM}${TABLES}[1].tableName is not set: name the Iceberg table's table`,
    ]);
    const noDatabase = withIceberg({
      destinationTableConfigurations: [{ tableName: "events" }, { tableName: "events" }],
    });
    assert.deepEqual(await violationsOf(noDatabase), [
      `${STREAM}${TABLES}[0].databaseName is not set: name the Iceberg table's database`,
      `${STREAM}${TABLES}[1].databaseName is not set: name the Iceberg table's database`,
    ]);
  });

  it("accepts an unset s3BackupMode", async () => {
    assert.deepEqual(await violationsOf(withIceberg({ s3BackupMode: undefined })), []);
  });

  describe("notes, without a violation, what is unknown at preview", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [
        "the Iceberg block",
        patched(icebergStream(), { icebergConfiguration: UNKNOWN }),
        "icebergConfiguration (Iceberg destination settings)",
      ],
      [
        "the catalog ARN",
        withIceberg({ catalogArn: UNKNOWN }),
        "icebergConfiguration.catalogArn (catalogArn is a Glue catalog ARN)",
      ],
      [
        "the table configurations",
        withIceberg({ destinationTableConfigurations: UNKNOWN }),
        `${TABLES} (destinationTableConfigurations name tables)`,
      ],
      [
        "appendOnly",
        withIceberg({ appendOnly: UNKNOWN }),
        "icebergConfiguration.appendOnly (uniqueKeys only without appendOnly)",
      ],
      [
        "a table's uniqueKeys",
        tableWith({ uniqueKeys: UNKNOWN }),
        `${TABLES}[0].uniqueKeys (uniqueKeys only without appendOnly, never empty or repeated)`,
      ],
      [
        "the backup mode",
        withIceberg({ s3BackupMode: UNKNOWN }),
        "icebergConfiguration.s3BackupMode (s3BackupMode is valid)",
      ],
    ];
    for (const [what, stream, skipped] of cases) {
      it(what, async () => {
        assert.deepEqual(await violationsOf(stream), []);
        assert.deepEqual(await notesOf(stream), [note(skipped)]);
      });
    }
  });

  describe("the generic rules cover the Iceberg block", () => {
    it("buffer bounds: 1-128 MiB (firehose-buffer-bounds)", async () => {
      assert.deepEqual(await violationsOf(withIceberg({ bufferingSize: 129 }), {}, firehoseBufferBounds), [
        `${STREAM}icebergConfiguration.bufferingSize is 129 MiB; AWS accepts 1-128 MiB for iceberg: set it within that range`,
      ]);
    });

    it("retry within 0-7200 s (firehose-destination-config)", async () => {
      assert.deepEqual(
        await violationsOf(withIceberg({ retryDuration: 7201 }), {}, firehoseDestinationConfig),
        [
          `${STREAM}icebergConfiguration.retryDuration is 7201 s; AWS accepts 0-7200 s: set it within that range`,
        ],
      );
    });

    it("failed records under the error prefix (firehose-error-prefix)", async () => {
      const stream = withIceberg({ s3Configuration: { errorOutputPrefix: undefined } });
      const messages = await violationsOf(stream, {}, firehoseErrorPrefix);
      assert.equal(messages.length, 1);
      assert.match(
        messages[0],
        /^FirehoseDeliveryStream 'events': icebergConfiguration\.s3Configuration\.errorOutputPrefix is not set/,
      );
    });

    it("backups encrypted with a customer managed key (firehose-encryption)", async () => {
      const stream = withIceberg({ s3Configuration: { kmsKeyArn: undefined } });
      assert.deepEqual(await violationsOf(stream, {}, firehoseEncryption), [
        `${STREAM}icebergConfiguration.s3Configuration.kmsKeyArn is not set, so AWS uses its own key: set it to ` +
          "the ARN of a customer managed KMS key so Firehose writes every object with it",
      ]);
    });
  });
});

describe("glue-iceberg-table", () => {
  const bucket = resource(TYPES.bucket, {}, "lake-bucket");
  const table = (
    iceberg: Record<string, unknown>,
    links = { propertyDependencies: { openTableFormatInput: [bucket.urn] } },
  ) =>
    resource(
      "aws:glue/catalogTable:CatalogTable",
      {
        databaseName: "lake",
        name: "events",
        openTableFormatInput: {
          icebergInput: {
            metadataOperation: "CREATE",
            version: "2",
            icebergTableInput: {
              location: "s3://lake-bucket-1234567/iceberg/events/",
              schema: { fields: [{ id: 1, name: "event_id", type: "string", required: false }] },
            },
            ...iceberg,
          },
        },
      },
      "events-table",
      links,
    );
  const violationsOf = async (resources: ReturnType<typeof resource>[], config = {}) =>
    (await evaluate(glueIcebergTable, resources, config))
      .filter((v) => v.level === "mandatory")
      .map((v) => v.message);

  it("passes a version 2 table in a bucket of the stack (by its location's dependency)", async () => {
    assert.deepEqual(await violationsOf([bucket, table({})]), []);
  });

  it("passes a table whose location names a stack bucket by value", async () => {
    const named = resource(TYPES.bucket, { bucket: "lake-bucket-1234567" }, "lake-bucket");
    assert.deepEqual(
      await violationsOf([named, table({}, { propertyDependencies: { openTableFormatInput: [] } })]),
      [],
    );
  });

  it("refuses format version 1, which Firehose does not write", async () => {
    assert.deepEqual(await violationsOf([bucket, table({ version: "1" })]), [
      "CatalogTable 'events-table': openTableFormatInput.icebergInput.version is \"1\", and Firehose writes only " +
        'format version 2 (records to any other go to the error prefix): set it to "2"',
    ]);
  });

  it("refuses a table in a bucket outside the stack, unless config allows it", async () => {
    const outside = table(
      { icebergTableInput: { location: "s3://someone-elses-bucket/events/" } },
      { propertyDependencies: { openTableFormatInput: [] } },
    );
    assert.deepEqual(await violationsOf([bucket, outside]), [
      "CatalogTable 'events-table': openTableFormatInput.icebergInput.icebergTableInput.location is " +
        '"s3://someone-elses-bucket/events/", not in a bucket of this stack, so nothing shows its data files are ' +
        "KMS-encrypted: put the table in the stack's lake bucket (whose default encryption s3-bucket-kms-encryption checks)",
    ]);
    assert.deepEqual(
      await violationsOf([bucket, outside], { "glue-iceberg-table": { allowExternalLocations: true } }),
      [],
    );
  });

  it("ignores Glue tables that are not Iceberg", async () => {
    const hive = resource("aws:glue/catalogTable:CatalogTable", {
      name: "events",
      tableType: "EXTERNAL_TABLE",
    });
    assert.deepEqual(await violationsOf([hive]), []);
  });
});
