// The endpoint with boto3, the other SDK the local run promises to work with unchanged except for
// `endpoint_url`. Needs python3 with boto3; without them the suite is skipped and says why.
import * as assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { settingsOf } from "../support/stacks";
import { tempDir } from "../support/temp-dir";
import { linesOf, runStack } from "./harness";

const STREAM = "firehose-etl-dev-events";
const SCRIPT = path.join(__dirname, "python", "boto3_producer.py");

interface Boto3Saw {
  streams: string[];
  status: string;
  putRecordId: string;
  batchFailed: number;
  batchRecordIds: (string | null)[];
  tooManyRecords: string | null;
  overFourMiB: string | null;
  unknownStream: string | null;
}

const event = (i: number) =>
  `${JSON.stringify({ event_id: `e-${i}`, action: "click", email: `u${i}@example.com`, country: "de" })}\n`;

describe("local: Firehose endpoint with boto3", function () {
  before(function () {
    const probe = spawnSync("python3", ["-c", "import boto3"], { encoding: "utf8" });
    if (probe.status !== 0) {
      console.log(
        `    skipped: python3 with boto3 is not available (${probe.error?.message ?? probe.stderr.trim()})`,
      );
      this.skip();
    }
  });

  it("lists, describes, and takes PutRecord and PutRecordBatch; limits and unknown streams are boto3's ClientError codes", async () => {
    const run = await runStack(settingsOf("dev"));
    const recordsFile = path.join(tempDir("boto3"), "records.jsonl");
    writeFileSync(recordsFile, Array.from({ length: 20 }, (_, i) => event(i)).join(""));
    let saw: Boto3Saw;
    try {
      // Asynchronously, so that the endpoint in this process keeps serving while the script runs.
      const { stdout } = await promisify(execFile)("python3", [
        SCRIPT,
        run.endpoint.url,
        STREAM,
        recordsFile,
      ]);
      saw = JSON.parse(stdout) as Boto3Saw;
    } finally {
      await run.stop();
    }
    assert.deepEqual(saw.streams, [STREAM]);
    assert.equal(saw.status, "ACTIVE");
    assert.match(saw.putRecordId, /^\d{56}$/);
    assert.equal(saw.batchFailed, 0);
    assert.equal(saw.batchRecordIds.length, 19);
    assert.ok(saw.batchRecordIds.every((id) => typeof id === "string" && /^\d{56}$/.test(id)));
    assert.equal(saw.tooManyRecords, "ValidationException");
    assert.equal(saw.overFourMiB, "InvalidArgumentException");
    assert.equal(saw.unknownStream, "ResourceNotFoundException");

    const data = run.stack.streams[0].written.filter((o) => o.kind === "data");
    const lines = data.flatMap((o) => linesOf(run.stack.store.pathOf(o.key)));
    assert.equal(lines.length, 20);
    assert.deepEqual(
      lines.map((l) => (JSON.parse(l) as { event_id: string }).event_id).sort(),
      Array.from({ length: 20 }, (_, i) => `e-${i}`).sort(),
    );
  });
});
