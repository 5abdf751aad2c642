import * as assert from "assert";
import { transformPiiFields } from "../../policy/policies/transform-pii-fields";
import { evaluate, messagesOf, patched, resource, TYPES, UNKNOWN } from "./helpers";

// The provider's type tokens, spelled out: the rule must recognise these, whatever its own constants say.
const FUNCTION_TYPE = "aws:lambda/function:Function";
const GLUE_TABLE_TYPE = "aws:glue/catalogTable:CatalogTable";

const PII = { "firehose-etl:pii": "true" };

function transform(piiFields: unknown = "email") {
  return { environment: { variables: { PII_FIELDS: piiFields, PII_HASH_MODE: "hmac-sha256" } } };
}

function glueTable(
  columns: unknown[] = [
    { name: "event_id", type: "string" },
    { name: "email", type: "string", parameters: PII },
  ],
) {
  return {
    name: "events",
    partitionKeys: [{ name: "country", type: "string" }],
    storageDescriptor: { columns },
  };
}

function redshiftStream(columns = "event_id,email", tags?: Record<string, string>) {
  return {
    destination: "redshift",
    redshiftConfiguration: { dataTableName: "events", dataTableColumns: columns },
    ...(tags ? { tags } : {}),
  };
}

function stack(
  fn: Record<string, unknown> = transform(),
  table: Record<string, unknown> = glueTable(),
  stream: Record<string, unknown> = redshiftStream(),
) {
  return [
    resource(FUNCTION_TYPE, fn, "transform-function"),
    resource(GLUE_TABLE_TYPE, table, "lake-table"),
    resource(TYPES.stream, stream, "warehouse-stream"),
  ];
}

const check = (resources = stack()) => messagesOf(evaluate(transformPiiFields, resources));

const FN = "Function 'transform-function': environment PII_FIELDS";

describe("transform-pii-fields", () => {
  it("passes a transform that masks exactly the marked columns, in any case, and nested paths under a column", async () => {
    assert.deepEqual(await check(), []);
    assert.deepEqual(await check(stack(transform("EMAIL,country.code"))), []);
  });

  it("reports a masked path that starts at no column (the typo 'emial')", async () => {
    assert.deepEqual(await check(stack(transform("emial"))), [
      `${FN} masks "emial", which starts at no column of the stack's tables (event_id, email, country), so the ` +
        "field it was meant for is delivered in plaintext: fix the path in transform.piiFields",
      `${FN} ("emial") does not mask column 'email' of the Glue table 'events', which is marked PII: deploy the ` +
        "transform built from the same config as the table",
      `${FN} ("emial") does not mask column 'email' of the Redshift table of FirehoseDeliveryStream ` +
        "'warehouse-stream', which looks like an e-mail address and is not marked either way: mark the column " +
        "pii: true (or list it in transform.piiFields), or pii: false if it holds no personal data",
    ]);
  });

  it("reports a column marked PII that the transform does not mask", async () => {
    const table = glueTable([
      { name: "email", type: "string", parameters: PII },
      { name: "loyalty_id", type: "string", parameters: PII },
    ]);
    assert.deepEqual(await check(stack(transform(), table)), [
      `${FN} ("email") does not mask column 'loyalty_id' of the Glue table 'events', which is marked PII: deploy ` +
        "the transform built from the same config as the table",
    ]);
  });

  it("reports a Glue column whose name says PII, unmarked and unmasked", async () => {
    const table = glueTable([
      { name: "email", type: "string", parameters: PII },
      { name: "phone", type: "string" },
    ]);
    assert.deepEqual(await check(stack(transform(), table)), [
      `${FN} ("email") does not mask column 'phone' of the Glue table 'events', which looks like a phone number ` +
        "and is not marked either way: mark the column pii: true (or list it in transform.piiFields), or pii: " +
        "false if it holds no personal data",
    ]);
  });

  it("accepts an explicit opt-out: the Glue column's marker, or the stream's tag for Redshift columns", async () => {
    const table = glueTable([
      { name: "email", type: "string", parameters: PII },
      { name: "name", type: "string", parameters: { "firehose-etl:pii": "false" } },
    ]);
    const stream = redshiftStream("email,street", { "firehose-etl:not-pii-columns": "street" });
    assert.deepEqual(await check(stack(transform(), table, stream)), []);
    const untagged = redshiftStream("email,street");
    assert.deepEqual(await check(stack(transform(), table, untagged)), [
      `${FN} ("email") does not mask column 'street' of the Redshift table of FirehoseDeliveryStream ` +
        "'warehouse-stream', which looks like a postal or network address and is not marked either way: mark the " +
        "column pii: true (or list it in transform.piiFields), or pii: false if it holds no personal data",
    ]);
  });

  it("ignores functions without PII_FIELDS, and stacks that declare no table", async () => {
    assert.deepEqual(
      await check(stack(patched(transform(), { environment: { variables: { PII_FIELDS: undefined } } }))),
      [],
    );
    assert.deepEqual(await check([resource(FUNCTION_TYPE, transform("emial"), "transform-function")]), []);
  });

  it("trims the masked paths and ignores empty ones, as the transform does", async () => {
    assert.deepEqual(await check(stack(transform(" email , country.code,, "))), []);
  });

  it("quotes the masked paths comma-joined, as the transform reads them", async () => {
    const table = glueTable([
      { name: "email", type: "string", parameters: PII },
      { name: "loyalty_id", type: "string", parameters: PII },
      { name: "phone", type: "string" },
    ]);
    assert.deepEqual(await check(stack(transform("email, country.code"), table)), [
      `${FN} ("email,country.code") does not mask column 'loyalty_id' of the Glue table 'events', which is ` +
        "marked PII: deploy the transform built from the same config as the table",
      `${FN} ("email,country.code") does not mask column 'phone' of the Glue table 'events', which looks like a ` +
        "phone number and is not marked either way: mark the column pii: true (or list it in transform.piiFields), " +
        "or pii: false if it holds no personal data",
    ]);
  });

  it("reads Redshift's dataTableColumns trimmed, without empty names", async () => {
    const resources = [
      resource(FUNCTION_TYPE, transform("emial"), "transform-function"),
      resource(TYPES.stream, redshiftStream(" event_id , email ,"), "warehouse-stream"),
    ];
    assert.deepEqual(await check(resources), [
      `${FN} masks "emial", which starts at no column of the stack's tables (event_id, email), so the field it ` +
        "was meant for is delivered in plaintext: fix the path in transform.piiFields",
      `${FN} ("emial") does not mask column 'email' of the Redshift table of FirehoseDeliveryStream ` +
        "'warehouse-stream', which looks like an e-mail address and is not marked either way: mark the column " +
        "pii: true (or list it in transform.piiFields), or pii: false if it holds no personal data",
    ]);
  });

  it("reads each fact from its own resource type: components given the same args are not checked", async () => {
    const components = [
      resource("firehose-etl:transform:TransformFunction", transform("emial"), "transform"),
      resource("firehose-etl:storage:DataLake", glueTable([{ name: "phone", type: "string" }]), "lake"),
      resource("firehose-etl:warehouse:Warehouse", redshiftStream("street"), "warehouse"),
    ];
    assert.deepEqual(await check([...stack(), ...components]), []);
  });

  it("leaves out a Glue column whose name is unknown at preview", async () => {
    const table = glueTable([
      { name: "email", type: "string", parameters: PII },
      { name: UNKNOWN, type: "string" },
    ]);
    assert.deepEqual(await check(stack(transform(), table)), []);
  });

  it("says which tables' columns it could not check when they are unknown at preview", async () => {
    const table = patched(glueTable(), { partitionKeys: UNKNOWN, storageDescriptor: { columns: UNKNOWN } });
    const violations = await evaluate(transformPiiFields, stack(transform("emial"), table));
    assert.deepEqual(
      violations.map((v) => [v.level, v.message]),
      [
        [
          "mandatory",
          `${FN} masks "emial", which starts at no column of the stack's tables (event_id, email), so the field ` +
            "it was meant for is delivered in plaintext: fix the path in transform.piiFields",
        ],
        [
          "mandatory",
          `${FN} ("emial") does not mask column 'email' of the Redshift table of FirehoseDeliveryStream ` +
            "'warehouse-stream', which looks like an e-mail address and is not marked either way: mark the " +
            "column pii: true (or list it in transform.piiFields), or pii: false if it holds no personal data",
        ],
        [
          "advisory",
          "can't run policy 'transform-pii-fields' during preview: not checked until the values are known at " +
            "deployment: storageDescriptor.columns (PII columns of the Glue table); partitionKeys (PII columns " +
            "of the Glue table)",
        ],
      ],
    );
    const stream = redshiftStream(UNKNOWN as unknown as string);
    assert.deepEqual(
      (await evaluate(transformPiiFields, stack(transform(), glueTable(), stream))).map((v) => [
        v.level,
        v.message,
      ]),
      [
        [
          "advisory",
          "can't run policy 'transform-pii-fields' during preview: not checked until the values are known at " +
            "deployment: redshiftConfiguration.dataTableColumns (PII columns of the Redshift table)",
        ],
      ],
    );
  });

  it("reports no violation for an unknown PII_FIELDS, but says what it did not check", async () => {
    const violations = await evaluate(transformPiiFields, stack(transform(UNKNOWN)));
    assert.deepEqual(
      violations.map((v) => [v.level, v.message]),
      [
        [
          "advisory",
          "can't run policy 'transform-pii-fields' during preview: not checked until the values are known at " +
            "deployment: environment.variables.PII_FIELDS (PII_FIELDS against the tables' columns)",
        ],
      ],
    );
  });
});
