import * as assert from "node:assert/strict";
import { batchLogLine, overLimitLogLine } from "../../lambda/transform/batch-log";
import { BatchStats } from "../../lambda/transform/transform-batch";
import { BATCH_METRIC_DEFINITIONS } from "./helpers";

function statsWith(changes: Partial<BatchStats> = {}): BatchStats {
  return {
    records: 5,
    ok: 2,
    dropped: 1,
    failed: 2,
    failureReasons: { pii_detected: 1, response_size_limit: 1 },
    timeFromArrival: 1,
    piiDetected: {},
    overLimitRecordIds: ["r4"],
    responseBytes: 1234,
    ...changes,
  };
}

const CONTEXT = {
  functionName: "firehose-etl-prod-transform",
  invocationId: "inv-1",
  timestampMs: 1764078300000,
  durationMs: 12.3456789,
};

describe("the batch's log line", () => {
  it("is one EMF object: metric definitions, then each metric's value, failure reasons and timings", () => {
    const line = JSON.parse(batchLogLine(statsWith(), CONTEXT));
    assert.deepEqual(line, {
      _aws: {
        Timestamp: 1764078300000,
        CloudWatchMetrics: BATCH_METRIC_DEFINITIONS,
      },
      level: "INFO",
      message: "Firehose batch transformed",
      FunctionName: "firehose-etl-prod-transform",
      invocationId: "inv-1",
      RecordsIn: 5,
      RecordsOk: 2,
      RecordsDropped: 1,
      RecordsProcessingFailed: 2,
      RecordsOverResponseLimit: 1,
      ResponseBytes: 1234,
      failureReasons: { pii_detected: 1, response_size_limit: 1 },
      timePartitionFromArrival: 1,
      durationMs: 12.346,
    });
  });

  it("rounds durationMs to the microsecond", () => {
    const durations = [0.0004, 0.0005, 1, 2.5, 987.65432];
    assert.deepEqual(
      durations.map(
        (durationMs) => JSON.parse(batchLogLine(statsWith(), { ...CONTEXT, durationMs })).durationMs,
      ),
      [0, 0.001, 1, 2.5, 987.654],
    );
  });

  it("publishes a Count metric for each enabled PII detector, zero included, in detector order", () => {
    const stats = statsWith({ piiDetected: { card: 0, phone: 3, email: 2 } });
    const line = JSON.parse(batchLogLine(stats, CONTEXT));
    assert.deepEqual(line._aws.CloudWatchMetrics[0].Metrics.slice(5), [
      { Name: "PiiDetectedEmail", Unit: "Count" },
      { Name: "PiiDetectedPhone", Unit: "Count" },
      { Name: "PiiDetectedCard", Unit: "Count" },
      { Name: "ResponseBytes", Unit: "Bytes" },
    ]);
    assert.equal(line.PiiDetectedEmail, 2);
    assert.equal(line.PiiDetectedPhone, 3);
    assert.equal(line.PiiDetectedCard, 0);
  });

  it("publishes only the detectors that are on", () => {
    const line = JSON.parse(batchLogLine(statsWith({ piiDetected: { card: 1 } }), CONTEXT));
    assert.deepEqual(
      line._aws.CloudWatchMetrics[0].Metrics.map((metric: { Name: string }) => metric.Name).slice(5),
      ["PiiDetectedCard", "ResponseBytes"],
    );
    assert.equal(line.PiiDetectedCard, 1);
    assert.ok(!("PiiDetectedEmail" in line) && !("PiiDetectedPhone" in line));
  });
});

describe("the over-limit warning", () => {
  it("names the count and the first failed ids, and nothing else about the records", () => {
    assert.deepEqual(JSON.parse(overLimitLogLine(statsWith(), "inv-1")), {
      level: "WARN",
      message: "Records returned as ProcessingFailed to keep the response within Lambda's 6 MB limit",
      invocationId: "inv-1",
      count: 1,
      firstRecordIds: ["r4"],
    });
  });
});
