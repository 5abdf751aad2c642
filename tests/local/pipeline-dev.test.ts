import * as assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { compileDateFormat } from "../../policy/lib/java-date-format";
import { openLakeQuery } from "../../local/lake-query";
import { putAll } from "../../local/producer";
import { SampleRecord, sampleEvents } from "../../local/sample-workload";
import { settingsOf } from "../support/stacks";
import { filesUnder, linesOf, Running, runStack, UUID } from "./harness";

const STREAM = "firehose-etl-dev-events";
const DAY = compileDateFormat("'year='yyyy'/month='MM'/day='dd");
const SUFFIX = compileDateFormat("yyyy-MM-dd-HH");

describe("local: the dev stack's pipeline, end to end with the AWS SDK", () => {
  let run: Running;
  let sent: SampleRecord[];
  let startedAt: number;
  let endedAt: number;

  before(async () => {
    run = await runStack(settingsOf("dev"));
    sent = sampleEvents(1500, 7);
    startedAt = Date.now();
    await putAll(
      run.client,
      STREAM,
      sent.map((r) => r.data),
    );
    endedAt = Date.now();
    await run.stop();
  });
  after(() => run.stop());

  const stream = () => run.stack.streams[0];
  const written = (kind: "data" | "error") => stream().written.filter((o) => o.kind === kind);
  const count = (...kinds: SampleRecord["kind"][]) => sent.filter((r) => kinds.includes(r.kind)).length;

  it("records in = records delivered + records in the error prefix + records dropped, counted on disk", () => {
    const delivered = written("data").reduce((n, o) => n + linesOf(run.stack.store.pathOf(o.key)).length, 0);
    const failed = written("error").reduce((n, o) => n + linesOf(run.stack.store.pathOf(o.key)).length, 0);
    const counts = stream().counts();
    assert.equal(counts.dropped, count("healthcheck"));
    assert.equal(failed, count("invalid-json", "not-an-object", "bad-utf8"));
    assert.equal(delivered, count("event", "bad-amount"));
    assert.equal(sent.length, delivered + failed + counts.dropped);
    assert.deepEqual(
      {
        received: counts.received,
        delivered: counts.delivered,
        failed: counts.failed,
        buffered: counts.buffered,
      },
      { received: sent.length, delivered, failed, buffered: 0 },
    );
  });

  it("writes exactly the objects it reports, under Firehose's keys", () => {
    // The run may straddle an hour: either side's time is right.
    const day = `(${DAY(startedAt)}|${DAY(endedAt)})`;
    const hour = `(${SUFFIX(startedAt)}|${SUFFIX(endedAt)})`;
    const keys = stream().written.map((o) => o.key);
    assert.deepEqual(filesUnder(run.stack.store.bucketDir), [...keys].sort());
    for (const o of written("data")) {
      assert.match(o.key, new RegExp(`^data/${day}/${STREAM}-1-${hour}-\\d\\d-\\d\\d-${UUID}\\.gz$`));
    }
    for (const o of written("error")) {
      assert.match(
        o.key,
        new RegExp(`^errors/events/processing-failed/${day}/${STREAM}-1-${hour}-\\d\\d-\\d\\d-${UUID}\\.gz$`),
      );
    }
  });

  it("GZIP objects decompress to JSON Lines of transformed events (masked, normalised)", () => {
    for (const o of written("data")) {
      for (const line of linesOf(run.stack.store.pathOf(o.key))) {
        const event = JSON.parse(line) as Record<string, unknown>;
        assert.match(String(event.email), /^email_hash_[0-9a-f]{32}$/);
        assert.match(String(event.country), /^[A-Z]{2}$/);
        assert.equal(event.source, "web");
        assert.ok(!line.includes("@example.com"));
      }
    }
  });

  it("error documents carry Firehose's fields and decode to the original bytes", () => {
    const bad = sent
      .filter((r) => ["invalid-json", "not-an-object", "bad-utf8"].includes(r.kind))
      .map((r) => r.data);
    const raw: Buffer[] = [];
    for (const o of written("error")) {
      for (const line of linesOf(run.stack.store.pathOf(o.key))) {
        const doc = JSON.parse(line) as Record<string, unknown>;
        assert.deepEqual(Object.keys(doc), [
          "attemptsMade",
          "arrivalTimestamp",
          "errorCode",
          "errorMessage",
          "attemptEndingTimestamp",
          "rawData",
          "lambdaArn",
        ]);
        assert.equal(doc.attemptsMade, 1);
        assert.equal(doc.errorCode, "Lambda.ProcessingFailedStatus");
        assert.equal(
          doc.lambdaArn,
          "arn:aws:lambda:eu-west-1:123456789012:function:firehose-etl-dev-transform",
        );
        assert.ok((doc.arrivalTimestamp as number) >= startedAt);
        assert.ok((doc.attemptEndingTimestamp as number) >= (doc.arrivalTimestamp as number));
        raw.push(Buffer.from(doc.rawData as string, "base64"));
      }
    }
    const hex = (buffers: Buffer[]) => buffers.map((b) => b.toString("hex")).sort();
    assert.deepEqual(hex(raw), hex(bad));
  });

  it("the lake answers Athena-style queries on the Glue table's name", async () => {
    assert.ok(run.stack.table && existsSync(run.stack.table.root));
    const query = await openLakeQuery(run.stack.table);
    try {
      const total = await query.run("SELECT count(*) AS n FROM firehose_etl_dev.events");
      assert.deepEqual(total.rows, [[BigInt(count("event", "bad-amount"))]]);
      const now = new Date(startedAt);
      const month = await query.run(
        `SELECT count(*) FROM events WHERE year = ${now.getUTCFullYear()} AND month = ${now.getUTCMonth() + 1}`,
      );
      assert.deepEqual(month.rows, total.rows);
      const countries = await query.run(
        "SELECT DISTINCT country FROM events WHERE country NOT SIMILAR TO '[A-Z]{2}'",
      );
      assert.deepEqual(countries.rows, []);
    } finally {
      query.close();
    }
  });
});
