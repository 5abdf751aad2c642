import { FirehoseTransformationEventRecord } from "aws-lambda";
import * as assert from "node:assert/strict";
import { LAMBDA_RESPONSE_LIMIT_BYTES } from "../../lambda/transform/response-size";
import { LOGGED_RECORD_IDS, transformBatch } from "../../lambda/transform/transform-batch";
import { ARRIVAL_MS, eventOf, hmacPseudonym, pipelineFor, recordOf, textOf } from "./helpers";

function serialisedBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), "utf8");
}

describe("batch transformation", () => {
  it("returns one entry per record, same ids, same order, with exact output and stats", () => {
    const pipeline = pipelineFor({
      DROP_RULES: '[{"field":"action","equals":"healthcheck"}]',
      PARTITION_FIELDS: "country",
      PARTITION_TIME: "hour",
    });
    const event = eventOf([
      {
        action: "click",
        email: "jane@example.com",
        country: "de",
        ts: "2025-11-25T13:45:10Z",
        extra: [1, { b: null }],
      },
      { action: "healthcheck" },
      "not json",
      [1, 2, 3],
      { action: "view", timestamp: "2025-11-24T08:00:00+01:00", event_version: 2 },
    ]);
    event.records[2] = { ...event.records[2], data: Buffer.from("not json").toString("base64") };
    event.records.push({
      recordId: "no-data",
      approximateArrivalTimestamp: ARRIVAL_MS,
    } as FirehoseTransformationEventRecord);
    const { result, stats } = transformBatch(event.records, pipeline);

    assert.deepEqual(
      result.records.map((entry) => [entry.recordId, entry.result]),
      [
        ["record-0", "Ok"],
        ["record-1", "Dropped"],
        ["record-2", "ProcessingFailed"],
        ["record-3", "ProcessingFailed"],
        ["record-4", "Ok"],
        ["no-data", "ProcessingFailed"],
      ],
    );
    assert.equal(
      textOf(result.records[0].data),
      JSON.stringify({
        action: "click",
        email: hmacPseudonym("email", "jane@example.com"),
        country: "DE",
        ts: "2025-11-25T13:45:10Z",
        extra: [1, { b: null }],
        event_version: 1,
      }),
    );
    assert.deepEqual(result.records[0].metadata, {
      partitionKeys: { country: "DE", year: "2025", month: "11", day: "25", hour: "13" },
    });
    assert.equal(
      textOf(result.records[4].data),
      '{"action":"view","timestamp":"2025-11-24T08:00:00+01:00","event_version":2,"country":"ZZ","ts":"2025-11-24T08:00:00+01:00"}',
    );
    assert.deepEqual(result.records[4].metadata, {
      partitionKeys: { country: "ZZ", year: "2025", month: "11", day: "24", hour: "07" },
    });
    for (const index of [1, 2, 3, 5])
      assert.deepEqual(Object.keys(result.records[index]), ["recordId", "result"]);
    assert.deepEqual(stats, {
      records: 6,
      ok: 2,
      dropped: 1,
      failed: 3,
      failureReasons: { invalid_json: 1, not_an_object: 1, missing_data: 1 },
      timeFromArrival: 0,
      piiDetected: {},
      overLimitRecordIds: [],
      responseBytes: serialisedBytes(result),
    });
  });

  it("never throws on malformed record entries and still answers each one", () => {
    const records = [
      null,
      42,
      "text",
      {},
      { recordId: "x", data: 7 },
    ] as unknown as FirehoseTransformationEventRecord[];
    const { result, stats } = transformBatch(records, pipelineFor());
    assert.deepEqual(result.records, [
      { recordId: undefined, result: "ProcessingFailed" },
      { recordId: undefined, result: "ProcessingFailed" },
      { recordId: undefined, result: "ProcessingFailed" },
      { recordId: undefined, result: "ProcessingFailed" },
      { recordId: "x", result: "ProcessingFailed" },
    ]);
    assert.equal(stats.responseBytes, serialisedBytes(result));
  });

  it("fails a record whose transformation throws, without leaking the error", () => {
    const pipeline = {
      ...pipelineFor(),
      digest: () => {
        throw new Error("boom");
      },
    };
    const { result, stats } = transformBatch(
      eventOf([{ email: "jane@example.com" }, { other: 1 }]).records,
      pipeline,
    );
    assert.deepEqual(
      result.records.map((entry) => entry.result),
      ["ProcessingFailed", "Ok"],
    );
    assert.deepEqual(stats.failureReasons, { unexpected_error: 1 });
  });

  it("counts Ok records whose date partition came from the arrival time", () => {
    const { stats } = transformBatch(
      eventOf([{ ts: "soon" }, { ts: "2025-11-25" }, {}]).records,
      pipelineFor({ PARTITION_TIME: "day" }),
    );
    assert.equal(stats.timeFromArrival, 2);
  });

  it("counts each enabled detector's findings from zero, and nothing when the detector is off", () => {
    const clean = eventOf([{ note: "hello" }, { n: 7 }]).records;
    const on = transformBatch(clean, pipelineFor({ PII_DETECT: "email,card", PII_DETECT_ACTION: "fail" }));
    assert.deepEqual(on.stats.piiDetected, { email: 0, card: 0 });
    const found = transformBatch(
      eventOf([{ note: "jane@example.com" }, { note: "hello" }]).records,
      pipelineFor({ PII_DETECT: "email,card", PII_DETECT_ACTION: "fail" }),
    );
    assert.deepEqual(found.stats.piiDetected, { email: 1, card: 0 });
    assert.deepEqual(transformBatch(clean, pipelineFor()).stats.piiDetected, {});
  });

  describe("the response size limit", () => {
    const pipeline = pipelineFor({ PII_FIELDS: "" });
    const records = [100, 5000, 200, 300].map((size, index) =>
      recordOf({ pad: "x".repeat(size) }, `r${index}`),
    );
    const unlimited = transformBatch(records, pipeline, Number.MAX_SAFE_INTEGER);

    it("accounts for the exact serialised response, envelope included", () => {
      assert.equal(unlimited.stats.responseBytes, serialisedBytes(unlimited.result));
      assert.equal(unlimited.stats.ok, 4);
    });

    it("keeps every record when the response is exactly at the limit", () => {
      const { result, stats } = transformBatch(records, pipeline, unlimited.stats.responseBytes);
      assert.deepEqual(result, unlimited.result);
      assert.equal(stats.responseBytes, serialisedBytes(result));
    });

    it("fails the record that would cross the limit by one byte, and keeps later ones that fit", () => {
      const big = unlimited.result.records[1];
      const limit = unlimited.stats.responseBytes - 1;
      const { result, stats } = transformBatch(records, pipeline, limit);
      assert.deepEqual(
        result.records.map((entry) => entry.result),
        ["Ok", "Ok", "Ok", "ProcessingFailed"],
      );
      assert.ok(serialisedBytes(result) <= limit);
      assert.deepEqual(stats.overLimitRecordIds, ["r3"]);

      // Room for everything but r1's data: r1 fails, r2 and r3 still fit exactly.
      const tighter =
        unlimited.stats.responseBytes -
        serialisedBytes(big) +
        serialisedBytes({ recordId: "r1", result: "ProcessingFailed" });
      const second = transformBatch(records, pipeline, tighter);
      assert.deepEqual(
        second.result.records.map((entry) => entry.result),
        ["Ok", "ProcessingFailed", "Ok", "Ok"],
      );
      assert.deepEqual(second.stats.failureReasons, { response_size_limit: 1 });
      assert.deepEqual(second.stats.overLimitRecordIds, ["r1"]);
      assert.equal(second.stats.responseBytes, serialisedBytes(second.result));
      assert.equal(second.stats.responseBytes, tighter);
    });

    it("holds at Lambda's real 6 MB limit, to the byte", () => {
      const sizes = [1_000_000, 1_000_000, 1_000_000, 1_000_000, 700_000];
      const big = sizes.map((size, index) => recordOf({ pad: "y".repeat(size) }, `big-${index}`));
      const first = transformBatch(big, pipeline, Number.MAX_SAFE_INTEGER).stats.responseBytes;
      const shortBy = LAMBDA_RESPONSE_LIMIT_BYTES - first;
      assert.ok(
        shortBy > 0 && shortBy < 100_000,
        `fixture must land just under the limit, is short by ${shortBy}`,
      );
      // Lengthen one id so the response is exactly 6 MiB, then by one byte more.
      const exact = big.map((record, index) =>
        index === 0 ? { ...record, recordId: record.recordId + "i".repeat(shortBy) } : record,
      );
      const atLimit = transformBatch(exact, pipeline);
      assert.equal(serialisedBytes(atLimit.result), LAMBDA_RESPONSE_LIMIT_BYTES);
      assert.equal(atLimit.stats.ok, 5);

      const over = exact.map((record, index) =>
        index === 0 ? { ...record, recordId: `${record.recordId}i` } : record,
      );
      const overLimit = transformBatch(over, pipeline);
      assert.deepEqual(
        overLimit.result.records.map((entry) => entry.result),
        ["Ok", "Ok", "Ok", "Ok", "ProcessingFailed"],
      );
      assert.ok(serialisedBytes(overLimit.result) <= LAMBDA_RESPONSE_LIMIT_BYTES);
      assert.equal(overLimit.stats.responseBytes, serialisedBytes(overLimit.result));
    });

    it(`logs only the first ${LOGGED_RECORD_IDS} ids of the records it fails, and counts them all`, () => {
      const many = Array.from({ length: LOGGED_RECORD_IDS + 2 }, (_, index) =>
        recordOf({ n: index }, `m${index}`),
      );
      const allFailed = {
        records: many.map((record) => ({ recordId: record.recordId, result: "ProcessingFailed" })),
      };
      const { result, stats } = transformBatch(many, pipeline, serialisedBytes(allFailed));
      assert.deepEqual(result, allFailed);
      assert.deepEqual(stats.failureReasons, { response_size_limit: LOGGED_RECORD_IDS + 2 });
      assert.deepEqual(
        stats.overLimitRecordIds,
        Array.from({ length: LOGGED_RECORD_IDS }, (_, index) => `m${index}`),
      );
    });
  });
});
