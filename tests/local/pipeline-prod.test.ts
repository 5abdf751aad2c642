import { DuckDBInstance } from "@duckdb/node-api";
import * as assert from "node:assert/strict";
import { compileDateFormat } from "../../policy/lib/java-date-format";
import { settingsOf } from "../support/stacks";
import { filesUnder, linesOf, Running, runStack, UUID } from "./harness";

const STREAM = "firehose-etl-prod-lake";
const HOUR = compileDateFormat("'year='yyyy'/month='MM'/day='dd'/hour='HH");

const event = (country: unknown, extra: Record<string, unknown> = {}) =>
  Buffer.from(
    `${JSON.stringify({ event_id: "e", user_id: "u", email: "a@example.com", action: "click", amount: 1.5, ts: "2026-01-02T03:04:05Z", ...(country === undefined ? {} : { country }), ...extra })}\n`,
  );

async function parquetRows(file: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(":memory:");
  const connection = await db.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT * FROM read_parquet('${file.replace(/'/g, "''")}', hive_partitioning = false)`,
    );
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

describe("local: the prod stack's S3 pipeline (inline jq partitions, Parquet)", () => {
  let run: Running;
  let startedAt: number;
  const records = [
    event("de"),
    event("DE"),
    event("fr"),
    event(undefined),
    event("a/b c%"),
    event("DE", { amount: "n/a" }),
    Buffer.from("not json\n"),
  ];

  before(async () => {
    run = await runStack(settingsOf("prod"));
    startedAt = Date.now();
    await run.put(records);
    await run.stop();
  });
  after(() => run.stop());

  const written = (kind: "data" | "error") => run.stack.streams[0].written.filter((o) => o.kind === kind);

  it("only the S3 stream runs; the OpenSearch and Redshift streams are reported as not simulated", () => {
    assert.deepEqual(run.stack.names(), [STREAM]);
    assert.deepEqual(run.stack.skipped, [
      { stream: "firehose-etl-prod-warehouse", destination: "redshift" },
      { stream: "firehose-etl-prod-search", destination: "opensearch" },
    ]);
  });

  it("one Parquet object per country partition, keyed as Firehose keys them (values verbatim)", () => {
    const hour = HOUR(startedAt);
    const keys = written("data")
      .map((o) => o.key)
      .sort();
    const name = `${STREAM}-1-\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d-\\d\\d-${UUID}\\.parquet`;
    assert.equal(keys.length, 4);
    assert.match(keys[0], new RegExp(`^data/country=A/B C%/${hour}/${name}$`));
    assert.match(keys[1], new RegExp(`^data/country=DE/${hour}/${name}$`));
    assert.match(keys[2], new RegExp(`^data/country=FR/${hour}/${name}$`));
    assert.match(keys[3], new RegExp(`^data/country=ZZ/${hour}/${name}$`));
    // On disk, '%' is escaped so that Hive-style readers decode the value back.
    assert.ok(filesUnder(run.stack.store.bucketDir).some((f) => f.startsWith("data/country=A/B C%25/")));
  });

  it("Parquet objects read back with DuckDB: the Glue columns, the transformed values", async () => {
    const byKey = new Map<string, Record<string, unknown>[]>();
    for (const o of written("data")) byKey.set(o.key, await parquetRows(run.stack.store.pathOf(o.key)));
    const de = [...byKey.entries()].find(([key]) => key.startsWith("data/country=DE/"))?.[1] ?? [];
    assert.equal(de.length, 2);
    assert.deepEqual(Object.keys(de[0]), [
      "event_id",
      "user_id",
      "email",
      "action",
      "amount",
      "ts",
      "event_version",
    ]);
    assert.equal(de[0].amount, 1.5);
    assert.equal(de[0].event_version, 1);
    assert.match(String(de[0].email), /^email_hash_[0-9a-f]{32}$/);
    const total = [...byKey.values()].reduce((n, rows) => n + rows.length, 0);
    assert.equal(total, 5);
    assert.deepEqual(
      written("data")
        .map((o) => o.records)
        .reduce((a, b) => a + b),
      total,
    );
  });

  it("records Parquet cannot hold and records the transform fails go to their error prefixes", () => {
    const byType = new Map<string, Record<string, unknown>[]>();
    for (const o of written("error")) {
      const type = o.key.split("/")[2];
      byType.set(type, [
        ...(byType.get(type) ?? []),
        ...linesOf(run.stack.store.pathOf(o.key)).map((l) => JSON.parse(l)),
      ]);
    }
    assert.deepEqual([...byType.keys()].sort(), ["format-conversion-failed", "processing-failed"]);
    const [conversion] = byType.get("format-conversion-failed") ?? [];
    assert.equal(conversion.lastErrorCode, "DataFormatConversion.MalformedData");
    assert.match(String(conversion.lastErrorMessage), /column 'amount' \(double\) cannot hold "n\/a"/);
    assert.deepEqual(conversion.dataCatalogTable, {
      catalogId: "123456789012",
      databaseName: "firehose_etl_prod",
      tableName: "events",
      region: "eu-west-1",
      versionId: "0",
      catalogArn: "arn:aws:glue:eu-west-1:123456789012:catalog",
    });
    // Conversion sees the transformed record: masked, with the country the Lambda normalised.
    const converted = JSON.parse(Buffer.from(String(conversion.rawData), "base64").toString("utf8"));
    assert.equal(converted.country, "DE");
    assert.match(converted.email, /^email_hash_/);
    const [processing] = byType.get("processing-failed") ?? [];
    assert.equal(Buffer.from(String(processing.rawData), "base64").toString("utf8"), "not json\n");
    const counts = run.stack.streams[0].counts();
    assert.deepEqual([counts.received, counts.delivered, counts.failed, counts.dropped], [7, 5, 2, 0]);
  });
});

describe("local: records whose partition key cannot be extracted", () => {
  let run: Running;
  before(async () => {
    // Partition by a field the transform leaves alone, so that records without it have no key.
    const settings = settingsOf("prod", (raw) => {
      const lake = (raw.pipelines as { destination: { partitioning: { fields: unknown[] } } }[])[0];
      lake.destination.partitioning.fields = [{ name: "page" }];
    });
    run = await runStack(settings);
    await run.put([event("DE", { page: "/cart" }), event("DE"), event("DE", { page: null })]);
    await run.stop();
  });
  after(() => run.stop());

  it("go to partitioning-failed with DynamicPartitioning.MetadataExtractionFailed", () => {
    const [data, ...others] = run.stack.streams[0].written.filter((o) => o.kind === "data");
    assert.equal(others.length, 0);
    assert.match(data.key, /^data\/page=\/cart\/year=/);
    const errors = run.stack.streams[0].written.filter((o) => o.kind === "error");
    assert.equal(errors.length, 1);
    assert.match(errors[0].key, /^errors\/lake\/partitioning-failed\/year=/);
    const docs = linesOf(run.stack.store.pathOf(errors[0].key)).map(
      (l) => JSON.parse(l) as Record<string, unknown>,
    );
    assert.deepEqual(
      docs.map((d) => [d.errorCode, d.errorMessage]),
      [
        [
          "DynamicPartitioning.MetadataExtractionFailed",
          "partitionKeys values must not be null or empty, got page=null",
        ],
        [
          "DynamicPartitioning.MetadataExtractionFailed",
          "partitionKeys values must not be null or empty, got page=null",
        ],
      ],
    );
    assert.ok(docs.every((d) => !("lambdaArn" in d)));
  });
});
