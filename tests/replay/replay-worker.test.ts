// The replay state machine's worker: one invocation replays one error object with the replay's own code, so a
// second invocation (a Step Functions retry, or a new execution) sends only what none had acknowledged; records
// left unsent make it throw ReplayIncomplete, which the state machine retries. Then the deployable bundle
// itself, its handler run against moto's S3 and Firehose.
import * as assert from "node:assert/strict";
import { symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { streamNameOf } from "../../config/naming";
import { StackSettings } from "../../config/settings";
import { bundleLambda, REPLAY_WORKER_ENTRY_POINT } from "../../lambda/bundle";
import { LakeStore } from "../../local/lake-store";
import { Moto } from "../../rehearse/moto";
import { LocalLake } from "../../replay/lake";
import { SendPlan } from "../../replay/replay";
import { copyErrorPrefixOf } from "../../replay/redshift-copy";
import { RecordSink, RetryPolicy } from "../../replay/sender";
import { REPLAY_INCOMPLETE } from "../../replay/state-machine-definition";
import {
  replayObject,
  WORKER_BUCKET_VARIABLE,
  WORKER_SETTINGS_FILE,
  WorkerResult,
} from "../../replay/worker";
import { settingsOf } from "../support/stacks";
import {
  createTargetStream,
  startMotoOrSkip,
  CREDENTIALS,
  deliveredLines,
  errorObject,
  REGION,
} from "./aws-fixtures";
import { tempDir } from "../support/temp-dir";

const ROOT = path.join(__dirname, "..", "..");
const keyAt = (minute: number) =>
  `errors/events/processing-failed/year=2026/month=11/day=02/firehose-etl-dev-events-1-2026-11-02-14-${String(minute).padStart(2, "0")}-09-0d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6.gz`;

const NO_WAIT: RetryPolicy = {
  attempts: 2,
  baseMs: 1,
  maxMs: 1,
  random: () => 0,
  sleep: async () => undefined,
};

/** A sink that keeps what it takes and refuses the records `refuse` names. */
function recordingSink(refuse: (record: string) => boolean = () => false) {
  const taken: string[] = [];
  const sink: RecordSink = {
    target: "recording",
    put: async (records) =>
      records.map((r) => {
        if (refuse(r.toString())) return "ServiceUnavailableException: Slow down.";
        taken.push(r.toString());
        return undefined;
      }),
  };
  return { sink, taken };
}

function planFor(sink: RecordSink, signal?: AbortSignal): SendPlan {
  return { sinkFor: () => sink, retry: NO_WAIT, signal, log: () => undefined };
}

describe("replay worker: one error object per invocation, exactly once across invocations", () => {
  const dev = settingsOf("dev");
  const A = ["a0", "a1", "a2"].map((id) => `{"event_id":"${id}"}\n`);
  const B = ["b0", "b1"].map((id) => `{"event_id":"${id}"}\n`);
  let lake: LocalLake;

  beforeEach(async () => {
    lake = new LocalLake(new LakeStore(tempDir("replay-worker"), "lake"));
    await lake.put(keyAt(5), errorObject(A));
    await lake.put(keyAt(6), errorObject(B));
  });

  it("replays the records of its object only, and a second invocation for it sends nothing", async () => {
    const { sink, taken } = recordingSink();
    const first = await replayObject(dev, lake, keyAt(5), planFor(sink));
    assert.deepEqual(taken, A);
    assert.deepEqual(first, {
      key: keyAt(5),
      pipeline: "events",
      errorType: "processing-failed",
      selected: 3,
      sent: 3,
      skipped: 0,
      failed: 0,
      resentAfterCrash: 0,
      problems: [],
    });
    const again = await replayObject(dev, lake, keyAt(5), planFor(sink));
    assert.equal(again.selected, 0);
    assert.equal(again.sent, 0);
    await replayObject(dev, lake, keyAt(6), planFor(sink));
    assert.deepEqual(taken, [...A, ...B]);
  });

  it("throws ReplayIncomplete when records are refused, and the retry sends only those", async () => {
    const refusing = recordingSink((r) => r.includes("a1"));
    await assert.rejects(replayObject(dev, lake, keyAt(5), planFor(refusing.sink)), (err: Error) => {
      assert.equal(err.name, REPLAY_INCOMPLETE);
      assert.match(err.message, /2 records sent, 1 refused and 0 not sent yet/);
      return true;
    });
    const retry = recordingSink();
    const result = await replayObject(dev, lake, keyAt(5), planFor(retry.sink));
    assert.deepEqual(retry.taken, [A[1]]);
    assert.equal(result.sent, 1);
  });

  it("stops when its time is up (before Lambda's timeout) with ReplayIncomplete, and sends nothing twice after", async () => {
    const { sink, taken } = recordingSink();
    await assert.rejects(
      replayObject(dev, lake, keyAt(5), planFor(sink, AbortSignal.abort())),
      (err: Error) =>
        err.name === REPLAY_INCOMPLETE && /0 records sent, 0 refused and 3 not sent yet/.test(err.message),
    );
    assert.deepEqual(taken, []);
    await replayObject(dev, lake, keyAt(5), planFor(sink));
    assert.deepEqual(taken, A);
  });

  it("answers an object under no pipeline's error prefix, or a Redshift COPY manifest, with a problem and sends nothing", async () => {
    const { sink, taken } = recordingSink();
    const stray = await replayObject(dev, lake, "errors/nope/processing-failed/x.gz", planFor(sink));
    assert.deepEqual(stray.problems, [
      "errors/nope/processing-failed/x.gz is under no error prefix of stack dev's pipelines: nothing replayed",
    ]);
    const prod = settingsOf("prod");
    const manifest = `${copyErrorPrefixOf("warehouse")}manifests/x`;
    const copy = await replayObject(prod, lake, manifest, planFor(sink));
    assert.equal(copy.pipeline, "warehouse");
    assert.match(copy.problems[0], /a Redshift COPY manifest: re-run it with npm run replay/);
    assert.deepEqual(taken, []);
  });

  it("reports an unreadable object's problem and replays none of it", async () => {
    await lake.put(keyAt(7), Buffer.from("not gzip, not JSON"));
    const { sink, taken } = recordingSink();
    const result = await replayObject(dev, lake, keyAt(7), planFor(sink));
    assert.equal(result.sent, 0);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0], new RegExp(keyAt(7).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    assert.deepEqual(taken, []);
  });
});

describe("replay worker: the deployable bundle's handler against moto (S3, Firehose)", function () {
  this.timeout(120_000);
  const LAKE = "replay-worker-lake";
  const TARGET = "replay-worker-target";
  const RECORDS = Array.from({ length: 5 }, (_, i) => `{"event_id":"w${i}","action":"click"}\n`);
  const dev = settingsOf("dev");
  let moto: Moto | undefined;
  let s3: S3Client;
  let handler: (event: unknown, context: { getRemainingTimeInMillis(): number }) => Promise<WorkerResult>;
  const saved: Record<string, string | undefined> = {};

  before(async function () {
    moto = await startMotoOrSkip(this);
    // The archive as the program builds it: the bundle and the stack's settings, side by side.
    const dir = tempDir("replay-worker-bundle");
    writeFileSync(path.join(dir, "index.js"), bundleLambda(REPLAY_WORKER_ENTRY_POINT).code);
    writeFileSync(path.join(dir, WORKER_SETTINGS_FILE), JSON.stringify(dev satisfies StackSettings));
    // The Lambda runtime provides the AWS SDK; here the project's copy stands in for it.
    symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    ({ handler } = (await import(path.join(dir, "index.js"))) as { handler: typeof handler });

    const env = {
      AWS_ENDPOINT_URL: moto.url,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_REGION: REGION,
      [WORKER_BUCKET_VARIABLE]: LAKE,
    };
    for (const [name, value] of Object.entries(env)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    s3 = new S3Client({ region: REGION, endpoint: moto.url, forcePathStyle: true, credentials: CREDENTIALS });
    for (const Bucket of [LAKE, TARGET]) {
      await s3.send(
        new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: REGION } }),
      );
    }
    await s3.send(new PutObjectCommand({ Bucket: LAKE, Key: keyAt(5), Body: errorObject(RECORDS) }));
    await createTargetStream(moto.url, streamNameOf(dev, "events"), TARGET);
  });

  after(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await moto?.stop();
  });

  const context = { getRemainingTimeInMillis: () => 900_000 };

  it("replays the object named by the Map's item into the stream once; the same item again sends nothing", async () => {
    const first = await handler({ key: keyAt(5) }, context);
    assert.equal(first.sent, RECORDS.length);
    assert.deepEqual(await deliveredLines(s3, TARGET), RECORDS.map((r) => r.trim()).sort());
    const manifests = await s3.send(new ListObjectsV2Command({ Bucket: LAKE, Prefix: "replay/events/" }));
    assert.equal(manifests.KeyCount, 1, "the progress manifest is in the lake");
    const second = await handler({ key: keyAt(5) }, context);
    assert.equal(second.sent, 0);
  });

  it("refuses an event without a key, naming what it got", async () => {
    await assert.rejects(
      handler({ Key: "x" }, context),
      /the event must be \{"key": "<object key>"\}, got \{"Key":"x"\}/,
    );
  });
});
