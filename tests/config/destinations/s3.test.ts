// The S3 (data lake) destination's config: defaults, dynamic partitioning, de-aggregation, and the checks against
// the stack's table and other pipelines.
import { strict as assert } from "assert";
import { destinationSchema, needsOf } from "../../../config/destinations";
import { s3Destination } from "../../../config/destinations/s3";
import { RawConfig } from "../../support/stacks";
import { AT, problemsWith } from "./stack";

const lake = { type: "s3", buffer: { sizeMiB: 64, intervalSeconds: 60 } };
const problemsOfLake = (edit: RawConfig) => problemsWith({ ...lake, ...edit });
const byRegion = { extractor: "inline", fields: [{ name: "region" }] };

describe("config: the s3 destination", () => {
  it("fills the documented defaults", () => {
    assert.deepEqual(s3Destination.schema.parse(lake), {
      ...lake,
      compression: "GZIP",
      format: "json",
      parquetCompression: "SNAPPY",
    });
  });

  it("fills partitioning's defaults", () => {
    assert.deepEqual(
      s3Destination.schema.parse({ ...lake, partitioning: { extractor: "lambda", time: "event" } }),
      {
        ...lake,
        compression: "GZIP",
        format: "json",
        parquetCompression: "SNAPPY",
        partitioning: { extractor: "lambda", fields: [], time: "event", granularity: "day" },
      },
    );
  });

  describe("accepts", () => {
    const accepted: { what: string; edit: RawConfig }[] = [
      { what: "an inline-partitioned lake by a field", edit: { partitioning: byRegion } },
      {
        what: "event-time partitions from the Lambda, without fields",
        edit: { partitioning: { extractor: "lambda", time: "event", granularity: "hour" } },
      },
      {
        what: "a field with known values",
        edit: { partitioning: { extractor: "lambda", fields: [{ name: "region", values: ["eu"] }] } },
      },
      {
        what: "JSON de-aggregation with partitioning",
        edit: { partitioning: byRegion, deaggregation: { subRecordType: "JSON" } },
      },
      {
        what: "DELIMITED de-aggregation with a delimiter of 1 and of 100 characters",
        edit: { partitioning: byRegion, deaggregation: { subRecordType: "DELIMITED", delimiter: "\n" } },
      },
      {
        what: "a 100-character delimiter",
        edit: {
          partitioning: byRegion,
          deaggregation: { subRecordType: "DELIMITED", delimiter: "#".repeat(100) },
        },
      },
      {
        what: "prefixes of 1 and 1024 characters",
        edit: { prefix: "p", errorOutputPrefix: "e".repeat(1024) },
      },
      { what: "the buffer's bounds", edit: { buffer: { sizeMiB: 128, intervalSeconds: 900 } } },
    ];
    for (const c of accepted) {
      it(c.what, () => {
        assert.deepEqual(problemsOfLake(c.edit), []);
      });
    }
  });

  describe("refuses", () => {
    const cases: { what: string; edit: RawConfig; problems: string[] }[] = [
      {
        what: "partitioning without fields or event time",
        edit: { partitioning: { extractor: "lambda" } },
        problems: [
          `${AT}.partitioning.fields: dynamic partitioning needs at least one partition field, or time 'event', it is missing`,
        ],
      },
      {
        what: "event-time partitions with the inline extractor, once",
        edit: { partitioning: { extractor: "inline", time: "event" } },
        problems: [
          `${AT}.partitioning.time: event-time partitions need extractor 'lambda' (Firehose's inline parser cannot format dates), got "event"`,
        ],
      },
      {
        what: "a partition field with no values or an empty value",
        edit: {
          partitioning: {
            extractor: "inline",
            fields: [
              { name: "region", values: [] },
              { name: "tier", values: [""] },
            ],
          },
        },
        problems: [
          `${AT}.partitioning.fields[0].values: Too small: expected array to have >=1 items, got []`,
          `${AT}.partitioning.fields[1].values[0]: Too small: expected string to have >=1 characters, got ""`,
        ],
      },
      {
        what: "DELIMITED de-aggregation without a delimiter",
        edit: { partitioning: byRegion, deaggregation: { subRecordType: "DELIMITED" } },
        problems: [
          `${AT}.deaggregation.delimiter: subRecordType DELIMITED needs a delimiter, such as '\\n' or '####', it is missing`,
        ],
      },
      {
        what: "JSON de-aggregation with a delimiter",
        edit: { partitioning: byRegion, deaggregation: { subRecordType: "JSON", delimiter: "," } },
        problems: [
          `${AT}.deaggregation.delimiter: subRecordType JSON splits at JSON object boundaries and takes no delimiter; remove it or use DELIMITED, got ","`,
        ],
      },
      {
        what: "de-aggregation without partitioning, and its missing delimiter",
        edit: { deaggregation: { subRecordType: "DELIMITED" } },
        problems: [
          `${AT}.deaggregation: de-aggregation needs dynamic partitioning (Firehose: a RecordDeAggregation processor can only be present when Dynamic Partitioning is enabled); add partitioning, got {"subRecordType":"DELIMITED"}`,
          `${AT}.deaggregation.delimiter: subRecordType DELIMITED needs a delimiter, such as '\\n' or '####', it is missing`,
        ],
      },
      {
        what: "an empty or 101-character delimiter",
        edit: { partitioning: byRegion, deaggregation: { subRecordType: "DELIMITED", delimiter: "" } },
        problems: [
          `${AT}.deaggregation.delimiter: Too small: expected string to have >=1 characters, got ""`,
        ],
      },
      {
        what: "a 101-character delimiter",
        edit: {
          partitioning: byRegion,
          deaggregation: { subRecordType: "DELIMITED", delimiter: "#".repeat(101) },
        },
        problems: [
          `${AT}.deaggregation.delimiter: Too big: expected string to have <=100 characters, got "${"#".repeat(101)}"`,
        ],
      },
      {
        what: "empty and 1025-character prefixes",
        edit: { prefix: "", errorOutputPrefix: "e".repeat(1025) },
        problems: [
          `${AT}.prefix: Too small: expected string to have >=1 characters, got ""`,
          `${AT}.errorOutputPrefix: Too big: expected string to have <=1024 characters, got "${"e".repeat(1025)}"`,
        ],
      },
      {
        what: "unknown format, Parquet compression, extractor, time and granularity",
        edit: {
          format: "orc",
          parquetCompression: "ZSTD",
          partitioning: {
            extractor: "jq",
            fields: [{ name: "region" }],
            time: "ingest",
            granularity: "week",
          },
        },
        problems: [
          `${AT}.format: Invalid option: expected one of "json"|"parquet", got "orc"`,
          `${AT}.parquetCompression: Invalid option: expected one of "SNAPPY"|"GZIP"|"UNCOMPRESSED", got "ZSTD"`,
          `${AT}.partitioning.extractor: Invalid option: expected one of "inline"|"lambda", got "jq"`,
          `${AT}.partitioning.time: Invalid option: expected one of "arrival"|"event", got "ingest"`,
          `${AT}.partitioning.granularity: Invalid option: expected one of "day"|"hour", got "week"`,
        ],
      },
    ];
    for (const c of cases) {
      it(c.what, () => {
        assert.deepEqual(problemsOfLake(c.edit), c.problems);
      });
    }
  });

  it("refuses more than 50 partition fields", () => {
    const fields = Array.from({ length: 51 }, (_, i) => ({ name: `p${i}` }));
    const problems = problemsOfLake({ partitioning: { extractor: "lambda", fields } });
    assert.deepEqual(problems, [
      `${AT}.partitioning.fields: Too big: expected array to have <=50 items, got ${JSON.stringify(fields)}`,
    ]);
    assert.deepEqual(problemsOfLake({ partitioning: { extractor: "lambda", fields: fields.slice(1) } }), []);
  });

  describe("in the stack", () => {
    it("refuses every partition field that is also a table column", () => {
      assert.deepEqual(
        problemsOfLake({
          partitioning: {
            extractor: "inline",
            fields: [{ name: "region" }, { name: "country" }, { name: "source" }],
          },
        }),
        [
          `${AT}.partitioning.fields[1].name: 'country' is also a table column; a partition column must not repeat a data column, got "country"`,
          `${AT}.partitioning.fields[2].name: 'source' is also a table column; a partition column must not repeat a data column, got "source"`,
        ],
      );
    });

    it("checks the s3 pipeline where it sits among the pipelines", () => {
      const problems = problemsWith(
        { type: "http", url: "https://x", buffer: { sizeMiB: 1, intervalSeconds: 60 } },
        (raw) =>
          (raw.pipelines as RawConfig[]).push({
            name: "lake",
            destination: { ...lake, partitioning: { extractor: "inline", fields: [{ name: "country" }] } },
          }),
      );
      assert.deepEqual(problems, [
        `firehose-etl:pipelines[1].destination.partitioning.fields[0].name: 'country' is also a table column; a partition column must not repeat a data column, got "country"`,
      ]);
    });

    it("allows one s3 pipeline, and refuses a third", () => {
      const three = problemsWith(lake, (raw) => {
        const pipelines = raw.pipelines as RawConfig[];
        pipelines.push({ name: "copy", destination: lake }, { name: "again", destination: lake });
      });
      assert.equal(three.length, 1);
      assert.ok(
        three[0].startsWith(
          "firehose-etl:pipelines: at most one s3 pipeline writes the lake table, got 3, got [{",
        ),
      );
    });
  });

  describe("what it needs of the stack", () => {
    const needs = (dest: RawConfig) => needsOf(destinationSchema.parse(dest));

    it("declares its partition fields as record fields", () => {
      assert.deepEqual(
        needs({
          ...lake,
          partitioning: { extractor: "inline", fields: [{ name: "region" }, { name: "tier" }] },
        }),
        { keyServices: [], needsNetwork: false, columns: [], recordFields: ["region", "tier"] },
      );
    });

    it("declares none without partitioning", () => {
      assert.deepEqual(needs(lake).recordFields, []);
    });
  });
});
