// The estimate as a whole: properties over traffic, the object model, the JSON shape, findings and bad input.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { runCost } from "../../cost/cli";
import { DeclaredResources, declaredResourcesOf } from "../../cost/declared";
import { estimateStack } from "../../cost/estimate";
import { billedRecordBytes } from "../../cost/meters/firehose";
import { objectModel } from "../../cost/object-model";
import { loadPriceTable } from "../../cost/price-table";
import { toJson } from "../../cost/report";
import { resolveUsage } from "../../cost/usage";
import { evaluateStack } from "../../offline/evaluate-stack";
import { settingsOf } from "../support/stacks";
import { tempDir } from "../support/temp-dir";

const EU_WEST_1 = loadPriceTable("eu-west-1");
const DECLARED: DeclaredResources = {
  alarms: 19,
  dashboards: 1,
  secrets: 2,
  kmsKeys: 1,
  vpcSubnets: new Map([["search", 2]]),
};

function totalOf(stack: "dev" | "prod", rateMiBps: number, recordBytes: number, partitions = 18): number {
  const settings = settingsOf(stack);
  const usage = resolveUsage(
    settings.pipelines.map((p) => p.name),
    { rateMiBps, recordBytes, partitions, hoursActive: 24, athenaTb: 1, storageMonth: 12 },
  );
  return estimateStack(settings, DECLARED, usage, EU_WEST_1).totalUsd;
}

describe("cost estimate", () => {
  it("never costs less when the rate grows, for either stack and any record size", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("dev" as const, "prod" as const),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.integer({ min: 1, max: 1000 * 1024 }),
        (stack, a, b, recordBytes) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          assert.ok(totalOf(stack, low, recordBytes) <= totalOf(stack, high, recordBytes) + 1e-9);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("never costs less when the record count grows at a fixed record size", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 20_000 }),
        (n, extra, bytes) => {
          const rate = (records: number) => (records * bytes) / (1024 * 1024);
          assert.ok(totalOf("prod", rate(n), bytes) <= totalOf("prod", rate(n + extra), bytes) + 1e-9);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("rounds each record up to 5 KB exactly at the boundaries", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), (k) => {
        assert.strictEqual(billedRecordBytes(5120 * k), 5120 * k);
        assert.strictEqual(billedRecordBytes(5120 * k + 1), 5120 * (k + 1));
        assert.strictEqual(billedRecordBytes(5120 * k - 1), 5120 * k);
      }),
    );
    assert.strictEqual(billedRecordBytes(1), 5120);
  });

  it("conserves bytes: objects per hour × mean size = bytes written per hour", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 100, noNaN: true }),
        fc.integer({ min: 1, max: 128 }),
        fc.integer({ min: 0, max: 900 }),
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (rateMiBps, sizeMiB, intervalSeconds, partitions, ratio) => {
          const bytesPerSecond = rateMiBps * 1024 * 1024;
          const m = objectModel({
            bytesPerSecond,
            buffer: { sizeMiB, intervalSeconds },
            partitions,
            bytesWrittenRatio: ratio,
          });
          const written = bytesPerSecond * 3600 * ratio;
          assert.ok(Math.abs(m.perHour * m.meanBytes - written) <= written * 1e-9);
          assert.ok(m.inputBytesPerObject <= sizeMiB * 1024 * 1024 * (1 + 1e-9));
        },
      ),
    );
  });

  it("gives each active partition its own buffer: 18 partitions at 1 MiB/s write 216 objects an hour on 300 s", () => {
    const m = objectModel({
      bytesPerSecond: 1024 * 1024,
      buffer: { sizeMiB: 128, intervalSeconds: 300 },
      partitions: 18,
      bytesWrittenRatio: 0.25,
    });
    assert.strictEqual(m.perHour, 216);
    assert.strictEqual(m.flushedBy, "interval");
  });

  it("prints the issue's JSON shape, with the stack's shared meters under '(stack)'", () => {
    const settings = settingsOf("prod");
    const usage = resolveUsage(
      settings.pipelines.map((p) => p.name),
      {
        rateMiBps: 1,
        recordBytes: 300,
        partitions: 18,
        hoursActive: 24,
        athenaTb: 2,
        storageMonth: 12,
      },
    );
    const json = toJson(estimateStack(settings, DECLARED, usage, EU_WEST_1)) as {
      region: string;
      pipelines: { name: string; meters: Record<string, unknown>[]; objects: Record<string, number> }[];
      totalUsd: number;
    };
    assert.deepStrictEqual(Object.keys(json), ["region", "pipelines", "totalUsd"]);
    assert.deepStrictEqual(
      json.pipelines.map((p) => p.name),
      ["lake", "search", "warehouse", "(stack)"],
    );
    for (const p of json.pipelines) {
      assert.deepStrictEqual(Object.keys(p), ["name", "meters", "objects"]);
      for (const m of p.meters) assert.deepStrictEqual(Object.keys(m), ["meter", "quantity", "unit", "usd"]);
    }
    const lake = json.pipelines[0];
    assert.deepStrictEqual(lake.objects, { perHour: 216, meanBytes: (1024 * 1024 * 3600 * 0.26) / 216 });
    for (const name of [
      "firehose-ingestion",
      "format-conversion",
      "dynamic-partitioning-gb",
      "dynamic-partitioning-objects",
      "dynamic-partitioning-jq-hours",
      "s3-put-requests",
      "s3-storage-standard-ia",
    ]) {
      assert.ok(
        lake.meters.some((m) => m.meter === name),
        name,
      );
    }
    const search = json.pipelines[1].meters.map((m) => m.meter);
    assert.ok(search.includes("vpc-delivery-az-hours") && search.includes("opensearch-instance-hours"));
    const stack = json.pipelines[3].meters.find((m) => m.meter === "athena-tb-scanned");
    assert.deepStrictEqual(stack, { meter: "athena-tb-scanned", quantity: 2, unit: "TB", usd: 10 });
    const sum = json.pipelines.flatMap((p) => p.meters).reduce((s, m) => s + (m.usd as number), 0);
    assert.strictEqual(json.totalUsd, sum);
  });

  it("finds the pitfalls at 0.001 MiB/s: 5 KB rounding, small objects, Redshift idle, an oversized domain", () => {
    const settings = settingsOf("prod");
    const usage = resolveUsage(
      settings.pipelines.map((p) => p.name),
      {
        rateMiBps: 0.001,
        recordBytes: 300,
        partitions: 18,
        hoursActive: 24,
        athenaTb: 0,
        storageMonth: 12,
      },
    );
    const findings = estimateStack(settings, DECLARED, usage, EU_WEST_1).findings.map(
      (f) => `${f.pipeline}: ${f.title}`,
    );
    assert.deepStrictEqual(findings.sort(), [
      "lake: 5 KB rounding",
      "lake: many small objects",
      "lake: small Parquet objects",
      "search: 5 KB rounding",
      "search: OpenSearch sized beyond the ingest rate",
      "warehouse: 5 KB rounding",
      "warehouse: Redshift base capacity idle most of the day",
      "warehouse: many small objects",
    ]);
  });

  it("counts what the program declares: prod's alarms, dashboard, secrets (one Redshift-managed), key, VPC subnets", async () => {
    const settings = settingsOf("prod");
    const declared = declaredResourcesOf(settings, (await evaluateStack(settings)).resources);
    assert.deepStrictEqual(
      { ...declared, vpcSubnets: [...declared.vpcSubnets] },
      {
        alarms: 19,
        dashboards: 1,
        secrets: 2,
        kmsKeys: 1,
        vpcSubnets: [
          ["warehouse", 0],
          ["search", 2],
          ["lake", 0],
        ],
      },
    );
  });
});

describe("npm run cost: bad input", () => {
  const dir = () => tempDir("cost");
  const stackFile = (region: string) => {
    const file = path.join(dir(), "Pulumi.dev.yaml");
    fs.writeFileSync(
      file,
      fs.readFileSync("Pulumi.dev.yaml", "utf8").replace("aws:region: eu-west-1", `aws:region: ${region}`),
    );
    return file;
  };

  it("rejects a negative rate, naming the option and the value", async () => {
    await assert.rejects(
      runCost(["--stack", "dev", "--rate=-1", "--record-bytes", "300"]),
      /--rate must be at least 0, got -1/,
    );
  });

  it("rejects a region without a price table unless --prices is given", async () => {
    const file = stackFile("sa-east-1");
    await assert.rejects(
      runCost(["--config-file", file, "--rate", "1", "--record-bytes", "300"]),
      /no price table for region 'sa-east-1' \(committed: ap-northeast-2, eu-west-1, us-east-1\); pass --prices <file>/,
    );
    await assert.rejects(
      runCost([
        "--config-file",
        file,
        "--rate",
        "1",
        "--record-bytes",
        "300",
        "--prices",
        "cost/prices/us-east-1.json",
      ]),
      /prices are for region 'us-east-1', but the stack is in 'sa-east-1'/,
    );
  });

  it("rejects a usage file naming a pipeline the stack does not have", async () => {
    const usage = path.join(dir(), "usage.yaml");
    fs.writeFileSync(usage, "pipelines:\n  lake: { rateMiBps: 2 }\n");
    await assert.rejects(
      runCost(["--stack", "dev", "--rate", "1", "--record-bytes", "300", "--usage", usage]),
      /usage.yaml: pipelines.lake: no such pipeline in the stack \(it has events\)/,
    );
  });

  it("rejects a usage value out of range, naming the key and the value", async () => {
    const usage = path.join(dir(), "usage.yaml");
    fs.writeFileSync(usage, "pipelines:\n  events: { hoursActive: 25 }\n");
    await assert.rejects(
      runCost(["--stack", "dev", "--rate", "1", "--record-bytes", "300", "--usage", usage]),
      /pipelines.events.hoursActive: .*got 25/,
    );
  });
});
