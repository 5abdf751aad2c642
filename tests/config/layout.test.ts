import { strict as assert } from "assert";
import { locationTemplate, partitionCountQuery, s3Layout, tableRoot } from "../../config/layout";
import { S3DestinationSettings } from "../../config/settings";
import { settingsOf } from "../support/stacks";

const base: S3DestinationSettings = {
  type: "s3",
  buffer: { sizeMiB: 64, intervalSeconds: 60 },
  compression: "GZIP",
  format: "json",
  parquetCompression: "SNAPPY",
};

describe("S3 layout", () => {
  it("partitions by arrival date without dynamic partitioning", () => {
    const layout = s3Layout(base, "events");
    assert.equal(layout.prefix, "data/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/");
    assert.equal(
      layout.errorOutputPrefix,
      "errors/events/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
    );
    assert.equal(layout.metadataExtractionQuery, undefined);
    assert.deepEqual(layout.lambdaPartitionKeys, []);
  });

  it("extracts inline keys with a jq query and projects known values as an enum", () => {
    const prod = settingsOf("prod").pipelines[0];
    assert.ok(prod.destination.type === "s3");
    const layout = s3Layout(prod.destination, prod.name);
    assert.equal(
      layout.prefix,
      "data/country=!{partitionKeyFromQuery:country}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/",
    );
    assert.equal(layout.metadataExtractionQuery, "{country:.country}");
    assert.equal(layout.partitionColumns[0].projection.type, "enum");
    assert.deepEqual(
      layout.partitionColumns.map((c) => c.name),
      ["country", "year", "month", "day", "hour"],
    );
  });

  it("takes event-time keys from the Lambda and leaves unlisted values injected", () => {
    const layout = s3Layout(
      {
        ...base,
        partitioning: {
          extractor: "lambda",
          fields: [{ name: "tenant" }],
          time: "event",
          granularity: "day",
        },
      },
      "events",
    );
    assert.equal(
      layout.prefix,
      "data/tenant=!{partitionKeyFromLambda:tenant}/year=!{partitionKeyFromLambda:year}/month=!{partitionKeyFromLambda:month}/day=!{partitionKeyFromLambda:day}/",
    );
    assert.deepEqual(layout.lambdaPartitionKeys, ["tenant", "year", "month", "day"]);
    assert.deepEqual(layout.partitionColumns[0], { name: "tenant", projection: { type: "injected" } });
    assert.deepEqual(layout.partitionColumns[1].projection, { type: "integer", range: "2020,2100" });
  });

  it("reads partition columns back from an overridden prefix", () => {
    const layout = s3Layout({ ...base, prefix: "raw/events/dt=!{timestamp:yyyy-MM-dd}/" }, "events");
    assert.deepEqual(layout.partitionColumns, [{ name: "dt", projection: { type: "injected" } }]);
    assert.equal(tableRoot(layout), "raw/events/");
    assert.equal(locationTemplate("lake", layout), "s3://lake/raw/events/dt=${dt}/");
  });

  it("writes the partition-count query, pinning injected columns", () => {
    const layout = s3Layout(
      {
        ...base,
        partitioning: {
          extractor: "inline",
          fields: [{ name: "tenant" }],
          time: "arrival",
          granularity: "day",
        },
      },
      "events",
    );
    assert.equal(
      partitionCountQuery("db", "events", layout),
      `SELECT tenant, year, month, day, count(*) AS events FROM "db"."events" WHERE tenant = '<tenant>' GROUP BY tenant, year, month, day ORDER BY tenant, year, month, day`,
    );
  });
});
