// AWS's Firehose pricing examples (https://aws.amazon.com/firehose/pricing/, "Pricing examples", US East), each
// reproduced to the cent through the meters `npm run cost` uses and the committed us-east-1 price table.
import * as assert from "assert";
import { PipelineSettings } from "../../config/settings";
import { Meter } from "../../cost/meter";
import { firehoseMeters, billedIngestionGb } from "../../cost/meters/firehose";
import { exampleContext } from "./context";

const cents = (n: number) => Math.round(n * 100) / 100;

function meter(meters: Meter[], name: string): Meter {
  const found = meters.find((m) => m.meter === name);
  assert.ok(found, `no meter ${name} in ${meters.map((m) => m.meter).join(", ")}`);
  return found;
}

const json: PipelineSettings["destination"] = {
  type: "s3",
  buffer: { sizeMiB: 64, intervalSeconds: 300 },
  compression: "GZIP",
  format: "json",
  parquetCompression: "SNAPPY",
};

const partitioned: PipelineSettings["destination"] = {
  ...json,
  partitioning: { extractor: "inline", fields: [{ name: "country" }], time: "arrival", granularity: "day" },
};

describe("AWS's Firehose pricing examples (aws.amazon.com/firehose/pricing/)", () => {
  it("ingestion: 100 records/s of 3 KB, rounded up to 5 KB, is 1,235.96 GB billed a month and $35.84", () => {
    const ctx = exampleContext(100, 3 * 1024, { destination: json });
    assert.strictEqual(Number(billedIngestionGb(ctx).toFixed(2)), 1235.96);
    assert.strictEqual(cents(meter(firehoseMeters(ctx), "firehose-ingestion").usd), 35.84);
  });

  it("format conversion: the same 1,235.96 GB ingested, converted at $0.018/GB, is $22.25", () => {
    const parquet = { ...json, compression: "UNCOMPRESSED", format: "parquet" } as const;
    const meters = firehoseMeters(exampleContext(100, 3 * 1024, { destination: parquet }));
    assert.strictEqual(cents(meter(meters, "format-conversion").usd), 22.25);
  });

  it("VPC delivery: 1,235.96 GB at $0.01/GB is $12.36, and 3 AZs × 720 hours at $0.01 is $21.60", () => {
    const meters = firehoseMeters(exampleContext(100, 3 * 1024, { destination: json, vpcSubnets: 3 }));
    assert.strictEqual(cents(meter(meters, "vpc-delivery-gb").usd), 12.36);
    assert.strictEqual(meter(meters, "vpc-delivery-az-hours").quantity, 2160);
    assert.strictEqual(cents(meter(meters, "vpc-delivery-az-hours").usd), 21.6);
  });

  it("dynamic partitioning: 741.58 GB of 3 KB records is $14.83, 64 MB objects $0.06, 70 JQ hours $4.90", () => {
    // The example delivers 64 MB objects: one partition, buffers flushed at 64 MiB, no compression.
    const ctx = exampleContext(100, 3 * 1024, {
      destination: partitioned,
      usage: { bytesWrittenRatio: 1, jqHoursPerMonth: 70 },
    });
    const meters = firehoseMeters(ctx);
    assert.strictEqual(cents(meter(meters, "dynamic-partitioning-gb").quantity), 741.58);
    assert.strictEqual(cents(meter(meters, "dynamic-partitioning-gb").usd), 14.83);
    assert.strictEqual(Math.ceil(ctx.objectsPerMonth), 11866);
    assert.strictEqual(cents(meter(meters, "dynamic-partitioning-objects").usd), 0.06);
    assert.strictEqual(cents(meter(meters, "dynamic-partitioning-jq-hours").usd), 4.9);
  });

  it("dynamic partitioning: without a usage figure, JQ hours are estimated at the example's 70 hours for its records", () => {
    const meters = firehoseMeters(exampleContext(100, 3 * 1024, { destination: partitioned }));
    assert.strictEqual(Number(meter(meters, "dynamic-partitioning-jq-hours").quantity.toFixed(6)), 70);
  });
});
