import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../../config/settings";
import { SECRET_PLACEHOLDER, loadStackFile, readStackFile, stackFilePath } from "../../config/stack-file";
import { RawConfig, problemsOf, rawConfigOf, settingsOf } from "../support/stacks";
import { tempDir } from "../support/temp-dir";

type Pipeline = { name: string; destination: Record<string, unknown> };
const pipelines = (raw: RawConfig) => raw.pipelines as Pipeline[];
const s3 = (raw: RawConfig) => pipelines(raw)[0].destination;

describe("stack config", () => {
  describe("the committed stack files", () => {
    for (const stack of ["dev", "prod"] as const) {
      it(`Pulumi.${stack}.yaml validates`, () => {
        const settings = loadStackFile(stackFilePath(stack));
        assert.equal(settings.stack, stack);
        assert.equal(settings.environment, stack);
        assert.equal(settings.region, "eu-west-1");
      });
    }

    it("dev is one GZIP JSON S3 pipeline with small buffers, destroyable", () => {
      const dev = settingsOf("dev");
      assert.deepEqual(
        dev.pipelines.map((p) => p.destination.type),
        ["s3"],
      );
      const dest = dev.pipelines[0].destination;
      assert.ok(dest.type === "s3");
      assert.equal(dest.compression, "GZIP");
      assert.equal(dest.format, "json");
      assert.ok(dest.buffer.sizeMiB <= 16);
      assert.equal(dev.protect, false);
      assert.equal(dev.lake.forceDestroy, true);
    });

    it("prod is partitioned Parquet S3 plus OpenSearch and Redshift from a Kinesis source, protected", () => {
      const prod = settingsOf("prod");
      assert.deepEqual(
        prod.pipelines.map((p) => p.destination.type),
        ["s3", "opensearch", "redshift"],
      );
      const dest = prod.pipelines[0].destination;
      assert.ok(dest.type === "s3");
      assert.equal(dest.format, "parquet");
      assert.equal(dest.partitioning?.extractor, "inline");
      assert.equal(prod.source.type, "kinesis");
      assert.equal(prod.protect, true);
    });
  });

  describe("defaults", () => {
    it("fills the documented defaults for omitted keys", () => {
      const settings = settingsOf("dev", (raw) => {
        delete raw.lake;
        delete raw.source;
        delete raw.transform;
      });
      assert.equal(settings.lake.errorRetentionDays, 14);
      assert.equal(settings.lake.forceDestroy, false);
      assert.deepEqual(settings.source, { type: "direct-put" });
      assert.deepEqual(settings.transform.piiFields, []);
      assert.equal(settings.transform.piiDetect, undefined);
      assert.equal(settings.transform.hashMode, "hmac-sha256");
      assert.equal(settings.transform.hashLength, 32);
    });
  });

  describe("every invalid setting gets its own message naming key, value and what is allowed", () => {
    const cases: { what: string; edit: (raw: RawConfig) => void; message: string }[] = [
      {
        what: "unknown environment",
        edit: (raw) => (raw.environment = "staging"),
        message: `firehose-etl:environment: Invalid option: expected one of "dev"|"prod", got "staging"`,
      },
      {
        what: "S3 buffer above AWS's 128 MiB",
        edit: (raw) => (s3(raw).buffer = { sizeMiB: 200, intervalSeconds: 60 }),
        message:
          "firehose-etl:pipelines[0].destination.buffer.sizeMiB: Too big: expected number to be <=128, got 200",
      },
      {
        what: "buffer interval above 900 s",
        edit: (raw) => (s3(raw).buffer = { sizeMiB: 5, intervalSeconds: 901 }),
        message:
          "firehose-etl:pipelines[0].destination.buffer.intervalSeconds: Too big: expected number to be <=900, got 901",
      },
      {
        what: "unknown compression",
        edit: (raw) => (s3(raw).compression = "BZIP2"),
        message: `firehose-etl:pipelines[0].destination.compression: Invalid option: expected one of "UNCOMPRESSED"|"GZIP"|"ZIP"|"Snappy"|"HADOOP_SNAPPY", got "BZIP2"`,
      },
      {
        what: "unknown destination type",
        edit: (raw) => (s3(raw).type = "splunk"),
        message: `firehose-etl:pipelines[0].destination.type: Invalid discriminator value. Expected 's3' | 'redshift' | 'opensearch' | 'http' | 'iceberg', got "splunk"`,
      },
      {
        what: "misspelt key",
        edit: (raw) => ((raw.lake as RawConfig).errorRetentionDay = 3),
        message: "firehose-etl:lake.errorRetentionDay: is not a known key",
      },
      {
        what: "unknown top-level key",
        edit: (raw) => (raw.pipeline = []),
        message: "firehose-etl:pipeline: is not a known key",
      },
      {
        what: "pipeline name with upper case",
        edit: (raw) => (pipelines(raw)[0].name = "Events"),
        message:
          "firehose-etl:pipelines[0].name: must be 1-31 characters: lower-case letters, digits and '-', starting with a letter, got \"Events\"",
      },
      {
        what: "no pipelines",
        edit: (raw) => (raw.pipelines = []),
        message: "firehose-etl:pipelines: Too small: expected array to have >=1 items, got []",
      },
      {
        what: "missing table",
        edit: (raw) => delete raw.table,
        message: "firehose-etl:table: Invalid input: expected object, received undefined, it is missing",
      },
      {
        what: "bad Glue column type",
        edit: (raw) =>
          ((raw.table as { columns: unknown[] }).columns[0] = { name: "event_id", type: "varchar" }),
        message:
          "firehose-etl:table.columns[0].type: must be a Glue/Hive type such as string, bigint, double, boolean, timestamp, decimal(10,2), array<string> (unknown type 'varchar'), got \"varchar\"",
      },
      {
        what: "log retention CloudWatch does not offer",
        edit: (raw) => ((raw.transform as RawConfig).logRetentionDays = 10),
        message:
          "firehose-etl:transform.logRetentionDays: must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, got 10",
      },
      {
        what: "Lambda processor buffer above 3 MiB",
        edit: (raw) => ((raw.transform as RawConfig).processorBuffer = { sizeMiB: 4, intervalSeconds: 60 }),
        message: "firehose-etl:transform.processorBuffer.sizeMiB: Too big: expected number to be <=3, got 4",
      },
      {
        what: "odd pseudonym length",
        edit: (raw) => ((raw.transform as RawConfig).hashLength = 31),
        message: "firehose-etl:transform.hashLength: must be even, got 31",
      },
      {
        what: "unknown masking mode",
        edit: (raw) => ((raw.transform as RawConfig).hashMode = "md5"),
        message: `firehose-etl:transform.hashMode: Invalid option: expected one of "hmac-sha256"|"sha256-salt", got "md5"`,
      },
      {
        what: "event-time partitions with the inline extractor",
        edit: (raw) =>
          (s3(raw).partitioning = { extractor: "inline", fields: [{ name: "country" }], time: "event" }),
        message:
          "firehose-etl:pipelines[0].destination.partitioning.time: event-time partitions need extractor 'lambda' (Firehose's inline parser cannot format dates), got \"event\"",
      },
      {
        what: "de-aggregation without dynamic partitioning (dev has none)",
        edit: (raw) => (s3(raw).deaggregation = { subRecordType: "JSON" }),
        message:
          'firehose-etl:pipelines[0].destination.deaggregation: de-aggregation needs dynamic partitioning (Firehose: a RecordDeAggregation processor can only be present when Dynamic Partitioning is enabled); add partitioning, got {"subRecordType":"JSON"}',
      },
      {
        what: "DELIMITED de-aggregation without a delimiter",
        edit: (raw) => (s3(raw).deaggregation = { subRecordType: "DELIMITED" }),
        message:
          "firehose-etl:pipelines[0].destination.deaggregation.delimiter: subRecordType DELIMITED needs a delimiter, such as '\\n' or '####', it is missing",
      },
      {
        what: "JSON de-aggregation with a delimiter",
        edit: (raw) => (s3(raw).deaggregation = { subRecordType: "JSON", delimiter: "\n" }),
        message:
          'firehose-etl:pipelines[0].destination.deaggregation.delimiter: subRecordType JSON splits at JSON object boundaries and takes no delimiter; remove it or use DELIMITED, got "\\n"',
      },
      {
        what: "an unknown sub-record type",
        edit: (raw) => (s3(raw).deaggregation = { subRecordType: "CSV", delimiter: "," }),
        message: `firehose-etl:pipelines[0].destination.deaggregation.subRecordType: Invalid option: expected one of "JSON"|"DELIMITED", got "CSV"`,
      },
      {
        what: "a partition field that is also a data column",
        edit: (raw) => (s3(raw).partitioning = { extractor: "inline", fields: [{ name: "country" }] }),
        message:
          "firehose-etl:pipelines[0].destination.partitioning.fields[0].name: 'country' is also a table column; a partition column must not repeat a data column, got \"country\"",
      },
      {
        what: "duplicate pipeline names",
        edit: (raw) =>
          pipelines(raw).push({
            name: "events",
            destination: {
              type: "http",
              url: "https://example.com",
              buffer: { sizeMiB: 1, intervalSeconds: 60 },
            },
          }),
        message: 'firehose-etl:pipelines[1].name: duplicate pipeline name, got "events"',
      },
      {
        what: "plain-HTTP endpoint",
        edit: (raw) =>
          pipelines(raw).push({
            name: "hook",
            destination: {
              type: "http",
              url: "http://example.com",
              buffer: { sizeMiB: 1, intervalSeconds: 60 },
            },
          }),
        message:
          'firehose-etl:pipelines[1].destination.url: must be an https:// URL, got "http://example.com"',
      },
      {
        what: "HTTP buffer above 64 MiB",
        edit: (raw) =>
          pipelines(raw).push({
            name: "hook",
            destination: {
              type: "http",
              url: "https://example.com",
              buffer: { sizeMiB: 100, intervalSeconds: 60 },
            },
          }),
        message:
          "firehose-etl:pipelines[1].destination.buffer.sizeMiB: Too big: expected number to be <=64, got 100",
      },
      {
        what: "two S3 pipelines",
        edit: (raw) => pipelines(raw).push({ name: "copy", destination: structuredClone(s3(raw)) }),
        message: "firehose-etl:pipelines: at most one s3 pipeline writes the lake table, got 2, got",
      },
      {
        what: "Redshift Serverless in a two-zone VPC",
        edit: (raw) => {
          (raw.network as RawConfig).availabilityZones = 2;
          pipelines(raw).push({
            name: "warehouse",
            destination: {
              type: "redshift",
              warehouse: "serverless",
              columns: [{ name: "event_id", type: "VARCHAR(64)" }],
              buffer: { sizeMiB: 64, intervalSeconds: 300 },
            },
          });
        },
        message:
          "firehose-etl:network.availabilityZones: Redshift Serverless (pipeline 'warehouse') needs subnets in 3 availability zones; set it to 3, got 2",
      },
      {
        what: "alarm email that is not an address",
        edit: (raw) => ((raw.monitoring as RawConfig).emails = ["oncall"]),
        message: 'firehose-etl:monitoring.emails[0]: Invalid email address, got "oncall"',
      },
    ];
    for (const c of cases) {
      it(c.what, () => {
        const raw = rawConfigOf("dev");
        c.edit(raw);
        const problems = problemsOf(raw);
        assert.ok(
          problems.some((p) => p.startsWith(c.message)),
          `expected a problem starting with:\n  ${c.message}\ngot:\n  ${problems.join("\n  ")}`,
        );
      });
    }

    it("reports every problem at once", () => {
      const raw = rawConfigOf("dev");
      raw.environment = "qa";
      s3(raw).compression = "LZ4";
      (raw.lake as RawConfig).errorRetentionDays = 0;
      assert.equal(problemsOf(raw).length, 3);
    });

    it("requires aws:region", () => {
      assert.deepEqual(problemsOf(rawConfigOf("dev"), { region: undefined }), [
        "aws:region: is required (pulumi config set aws:region <region>)",
      ]);
    });

    it("throws a ConfigError whose message lists the problems and the source", () => {
      const raw = rawConfigOf("dev");
      raw.environment = "qa";
      const file = path.join(tempDir("stack"), "Pulumi.qa.yaml");
      fs.writeFileSync(file, `config:\n  aws:region: eu-west-1\n  firehose-etl:environment: qa\n`);
      assert.throws(
        () => loadStackFile(file),
        (err: unknown) =>
          err instanceof ConfigError &&
          err.message.startsWith(`Invalid stack config in ${file}:\n  - firehose-etl:environment:`),
      );
    });
  });

  describe("stack files", () => {
    it("stand a placeholder in for encrypted values and keep secret keys out of the settings", () => {
      const dir = tempDir("stack");
      const file = path.join(dir, "Pulumi.dev.yaml");
      const text = fs.readFileSync(stackFilePath("dev"), "utf8");
      fs.writeFileSync(file, `${text}  firehose-etl:piiHashKey:\n    secure: v1:abc:def\n`);
      assert.equal(readStackFile(file).raw.piiHashKey, SECRET_PLACEHOLDER);
      assert.doesNotThrow(() => loadStackFile(file));
    });

    it("reject a file whose name is not Pulumi.<stack>.yaml", () => {
      assert.throws(() => readStackFile("/tmp/stack.yaml"), /a stack file is named Pulumi.<stack>.yaml/);
    });
  });
});

describe("stack config: the iceberg destination", () => {
  const icebergRaw = () => structuredClone(readStackFile(stackFilePath("iceberg")).raw);
  const iceberg = (raw: RawConfig) => pipelines(raw)[0].destination;
  const at = "firehose-etl:pipelines[0].destination";

  it("Pulumi.iceberg.yaml validates, with the optimizers' defaults filled in", () => {
    const settings = loadStackFile(stackFilePath("iceberg"));
    const dest = settings.pipelines[0].destination;
    assert.ok(dest.type === "iceberg");
    assert.equal(dest.mode, "upsert");
    assert.deepEqual(dest.tables, [{ name: "events", uniqueKeys: ["event_id"] }]);
    const defaults = problemsOf({
      ...icebergRaw(),
      pipelines: [
        {
          name: "events",
          destination: {
            type: "iceberg",
            tables: [{ name: "events" }],
            buffer: { sizeMiB: 64, intervalSeconds: 300 },
          },
        },
      ],
    });
    assert.deepEqual(defaults, []);
  });

  it("takes its buffer bounds from the policy pack's table of AWS limits (1-128 MiB)", () => {
    const raw = icebergRaw();
    iceberg(raw).buffer = { sizeMiB: 129, intervalSeconds: 300 };
    assert.deepEqual(problemsOf(raw), [
      `${at}.buffer.sizeMiB: Too big: expected number to be <=128, got 129`,
    ]);
  });

  it("refuses uniqueKeys on an append-only pipeline", () => {
    const raw = icebergRaw();
    iceberg(raw).mode = "append";
    assert.deepEqual(problemsOf(raw), [
      `${at}.tables[0].uniqueKeys: uniqueKeys take effect only with mode 'upsert' (an append-only stream inserts every record): set mode: upsert or remove them, got ["event_id"]`,
    ]);
  });

  it("refuses an upserting table without uniqueKeys", () => {
    const raw = icebergRaw();
    iceberg(raw).tables = [{ name: "events" }];
    assert.deepEqual(problemsOf(raw), [
      `${at}.tables[0].uniqueKeys: mode 'upsert' needs uniqueKeys on every table, and 'events' has none: list the columns that identify a row, it is missing`,
    ]);
  });

  it("refuses a unique key that is not a column, naming the columns", () => {
    const raw = icebergRaw();
    iceberg(raw).tables = [{ name: "events", uniqueKeys: ["event_uuid"] }];
    assert.deepEqual(problemsOf(raw), [
      `${at}.tables[0].uniqueKeys[0]: 'event_uuid' is not a column of the table (event_id, user_id, email, country, action, amount, ts, event_version, source), got "event_uuid"`,
    ]);
  });

  it("needs routeBy with several tables, and refuses it with one", () => {
    const several = icebergRaw();
    iceberg(several).tables = [
      { name: "events", uniqueKeys: ["event_id"] },
      { name: "refunds", uniqueKeys: ["event_id"] },
    ];
    assert.deepEqual(problemsOf(several), [
      `${at}.routeBy: 2 tables need routeBy: the record field that names each record's table, it is missing`,
    ]);
    const one = icebergRaw();
    iceberg(one).routeBy = "action";
    assert.deepEqual(problemsOf(one), [
      `${at}.routeBy: routeBy chooses between several tables, and there is one ('events'): remove it, got "action"`,
    ]);
  });

  it("refuses an operation field on an append-only pipeline", () => {
    const raw = icebergRaw();
    Object.assign(iceberg(raw), { mode: "append", tables: [{ name: "events" }], operationField: "op" });
    assert.deepEqual(problemsOf(raw), [
      `${at}.operationField: only mode 'upsert' reads an operation: set mode: upsert or remove it, got "op"`,
    ]);
  });

  it("refuses a table name the lake's own table already has", () => {
    const raw = icebergRaw();
    pipelines(raw).push({
      name: "lake",
      destination: { type: "s3", buffer: { sizeMiB: 5, intervalSeconds: 60 } },
    });
    assert.deepEqual(problemsOf(raw), [
      `${at}.tables[0].name: table 'events' is already the lake's or another pipeline's: choose another name, got "events"`,
    ]);
  });

  it("refuses complex column types, which it cannot map to an Iceberg schema", () => {
    const raw = icebergRaw();
    (raw.table as { columns: unknown[] }).columns.push({ name: "tags", type: "array<string>" });
    assert.deepEqual(problemsOf(raw), [
      `firehose-etl:table.columns[9].type: 'array<string>' has no Iceberg mapping here (complex types need a nested schema): an iceberg pipeline needs primitive column types, got "array<string>"`,
    ]);
  });

  it("counts routeBy and operationField as declared record fields (piiFields may start at them)", () => {
    const raw = icebergRaw();
    Object.assign(iceberg(raw), { operationField: "op" });
    (raw.transform as { piiFields: string[] }).piiFields = ["op"];
    assert.deepEqual(problemsOf(raw), []);
  });
});
