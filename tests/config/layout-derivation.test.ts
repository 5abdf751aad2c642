import { strict as assert } from "assert";
import {
  BACKUP_ROOT,
  DATA_ROOT,
  ERROR_ROOT,
  errorPrefixOf,
  locationTemplate,
  partitionCountQuery,
  REPLAY_ROOT,
  S3Layout,
  s3Layout,
  STAGING_ROOT,
  tableRoot,
} from "../../config/layout";
import { PartitioningSettings, S3DestinationSettings } from "../../config/settings";

const base: S3DestinationSettings = {
  type: "s3",
  buffer: { sizeMiB: 64, intervalSeconds: 60 },
  compression: "GZIP",
  format: "json",
  parquetCompression: "SNAPPY",
};

function partitioned(partitioning: Partial<PartitioningSettings>): S3DestinationSettings {
  return {
    ...base,
    partitioning: { extractor: "inline", fields: [], time: "arrival", granularity: "day", ...partitioning },
  };
}

/** The layout of a destination whose data prefix is `prefix`, as a user may override it. */
function overridden(prefix: string, partitioning?: Partial<PartitioningSettings>): S3Layout {
  return s3Layout({ ...(partitioning ? partitioned(partitioning) : base), prefix }, "events");
}

const YEAR = { type: "integer", range: "2020,2100" };
const MONTH = { type: "integer", range: "1,12", digits: 2 };
const DAY = { type: "integer", range: "1,31", digits: 2 };
const HOUR = { type: "integer", range: "0,23", digits: 2 };

describe("S3 layout derivation", () => {
  describe("bucket roots", () => {
    // IAM policies, lifecycle rules and the replay all address objects by these roots.
    it("keeps each kind of object under its own root", () => {
      assert.deepEqual(
        [DATA_ROOT, ERROR_ROOT, STAGING_ROOT, BACKUP_ROOT, REPLAY_ROOT],
        ["data/", "errors/", "staging/", "backup/", "replay/"],
      );
    });
  });

  describe("prefix", () => {
    it("partitions by arrival hour with every time column projected as an integer", () => {
      const layout = s3Layout(partitioned({ fields: [{ name: "tenant" }], granularity: "hour" }), "events");
      assert.equal(
        layout.prefix,
        "data/tenant=!{partitionKeyFromQuery:tenant}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/",
      );
      assert.deepEqual(layout.partitionColumns, [
        { name: "tenant", projection: { type: "injected" } },
        { name: "year", projection: YEAR },
        { name: "month", projection: MONTH },
        { name: "day", projection: DAY },
        { name: "hour", projection: HOUR },
      ]);
    });

    it("projects the arrival-day columns of an unpartitioned destination", () => {
      assert.deepEqual(s3Layout(base, "events").partitionColumns, [
        { name: "year", projection: YEAR },
        { name: "month", projection: MONTH },
        { name: "day", projection: DAY },
      ]);
    });

    it("names Lambda fields from the Lambda but arrival time from the timestamp", () => {
      const layout = s3Layout(
        partitioned({ extractor: "lambda", fields: [{ name: "tenant" }, { name: "region" }] }),
        "events",
      );
      assert.equal(
        layout.prefix,
        "data/tenant=!{partitionKeyFromLambda:tenant}/region=!{partitionKeyFromLambda:region}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
      );
      assert.deepEqual(layout.lambdaPartitionKeys, ["tenant", "region"]);
      assert.equal(layout.metadataExtractionQuery, undefined);
    });

    it("has the Lambda return every event-time key down to the hour", () => {
      const layout = s3Layout(
        partitioned({ extractor: "lambda", time: "event", granularity: "hour" }),
        "events",
      );
      assert.equal(
        layout.prefix,
        "data/year=!{partitionKeyFromLambda:year}/month=!{partitionKeyFromLambda:month}/day=!{partitionKeyFromLambda:day}/hour=!{partitionKeyFromLambda:hour}/",
      );
      assert.deepEqual(layout.lambdaPartitionKeys, ["year", "month", "day", "hour"]);
      assert.deepEqual(
        layout.partitionColumns.map((c) => c.projection),
        [YEAR, MONTH, DAY, HOUR],
      );
    });

    it("extracts every inline field with one jq object and asks the Lambda for none", () => {
      const layout = s3Layout(partitioned({ fields: [{ name: "tenant" }, { name: "region" }] }), "events");
      assert.equal(layout.metadataExtractionQuery, "{tenant:.tenant,region:.region}");
      assert.deepEqual(layout.lambdaPartitionKeys, []);
    });

    it("keeps an overridden data and error prefix as written", () => {
      const layout = s3Layout({ ...base, prefix: "raw/", errorOutputPrefix: "failed/" }, "events");
      assert.equal(layout.prefix, "raw/");
      assert.equal(layout.errorOutputPrefix, "failed/");
      assert.deepEqual(layout.partitionColumns, []);
    });

    it("puts a pipeline's errors under its own folder, one per failure type", () => {
      assert.equal(
        errorPrefixOf("clicks"),
        "errors/clicks/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
      );
    });
  });

  describe("partition columns of a prefix", () => {
    it("projects a listed field's values as an enum and an unlisted field as injected", () => {
      const layout = s3Layout(
        partitioned({ fields: [{ name: "country", values: ["DE", "FR"] }, { name: "tenant" }] }),
        "events",
      );
      assert.deepEqual(layout.partitionColumns.slice(0, 2), [
        { name: "country", projection: { type: "enum", values: ["DE", "FR"] } },
        { name: "tenant", projection: { type: "injected" } },
      ]);
    });

    it("projects a time column only when its timestamp is written in that column's pattern", () => {
      assert.deepEqual(overridden("raw/year=!{timestamp:yyyy}/month=!{timestamp:M}/").partitionColumns, [
        { name: "year", projection: YEAR },
        { name: "month", projection: { type: "injected" } },
      ]);
    });

    it("gives each column its own copy of a time projection", () => {
      const first = s3Layout(base, "events");
      (first.partitionColumns[1].projection as { range: string }).range = "changed";
      assert.deepEqual(s3Layout(base, "events").partitionColumns[1].projection, MONTH);
    });

    // A bare `name in table` also finds Object.prototype's members: `constructor` was taken for a time column.
    it("treats a field named like an Object member as an ordinary field", () => {
      const layout = s3Layout(
        partitioned({ fields: [{ name: "constructor" }, { name: "__proto__" }] }),
        "events",
      );
      assert.deepEqual(layout.partitionColumns.slice(0, 2), [
        { name: "constructor", projection: { type: "injected" } },
        { name: "__proto__", projection: { type: "injected" } },
      ]);
    });

    it("reads a name at the start of the prefix, with digits and underscores", () => {
      assert.deepEqual(
        overridden("_dt2=!{timestamp:yyyy}/x_1=!{partitionKeyFromQuery:x_1}/", {
          fields: [{ name: "x_1" }],
        }).partitionColumns.map((c) => c.name),
        ["_dt2", "x_1"],
      );
    });

    it("reads no name where the `name=` does not end right before the expression", () => {
      assert.deepEqual(overridden("raw/dt=x!{timestamp:yyyy}/").partitionColumns, []);
    });

    it("reads no name from a segment that is not only a name", () => {
      assert.deepEqual(overridden("raw/my-dt=!{timestamp:yyyy}/Dt=!{timestamp:MM}/").partitionColumns, []);
    });

    // The parser drops an expression it cannot read, which leaves two texts side by side.
    it("reads no column where an expression does not parse", () => {
      const layout = overridden("raw/dt=!{nope:x}/");
      assert.deepEqual(layout.partitionColumns, []);
      assert.equal(locationTemplate("lake", layout), "s3://lake/raw/dt=/");
    });

    it("reads no name for an expression that opens the prefix or follows another", () => {
      assert.deepEqual(overridden("!{timestamp:yyyy}/dt=!{timestamp:MM}!{timestamp:dd}/").partitionColumns, [
        { name: "dt", projection: { type: "injected" } },
      ]);
    });
  });

  describe("table location", () => {
    it("templates each partition column and keeps unnamed expressions as written", () => {
      const layout = overridden("raw/!{timestamp:yyyy}/dt=!{timestamp:MM}/");
      assert.equal(locationTemplate("lake", layout), "s3://lake/raw/!{timestamp:yyyy}/dt=${dt}/");
    });

    it("keeps a named segment as written when the layout does not list its column", () => {
      const layout: S3Layout = { ...s3Layout(base, "events"), partitionColumns: [] };
      assert.equal(
        locationTemplate("lake", layout),
        "s3://lake/data/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
      );
    });

    it("is the fixed head of the prefix up to its last complete folder", () => {
      assert.equal(tableRoot({ prefix: "data/year=!{timestamp:yyyy}/" }), "data/");
      assert.equal(tableRoot({ prefix: "raw/events-!{timestamp:yyyy}/" }), "raw/");
      assert.equal(tableRoot({ prefix: "events-!{timestamp:yyyy}/" }), "");
      assert.equal(tableRoot({ prefix: "raw/events/" }), "raw/events/");
    });
  });

  describe("partition-count query", () => {
    it("counts all events of a table without partition columns", () => {
      assert.equal(
        partitionCountQuery("db", "events", overridden("raw/")),
        `SELECT count(*) AS events FROM "db"."events"`,
      );
    });

    it("needs no WHERE clause when every column is projected", () => {
      assert.equal(
        partitionCountQuery("db", "events", s3Layout(base, "events")),
        `SELECT year, month, day, count(*) AS events FROM "db"."events" GROUP BY year, month, day ORDER BY year, month, day`,
      );
    });

    it("pins every injected column", () => {
      const layout = s3Layout(partitioned({ fields: [{ name: "tenant" }, { name: "region" }] }), "events");
      assert.match(
        partitionCountQuery("db", "events", layout),
        / WHERE tenant = '<tenant>' AND region = '<region>' GROUP BY /,
      );
    });
  });
});
