// End to end on the local run: a bad release (a masking key too short for HMAC, so the transform fails every
// batch) sends records to the error prefix, the fix is a config change (a proper key), the dry run predicts the
// outcome, the replay puts every failed record in the lake's data prefix exactly once, and a second replay sends
// nothing; the same with the replay killed by SIGKILL and started again.
import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { loadStackFile } from "../../config/stack-file";
import { StackSettings } from "../../config/settings";
import { LakeStore } from "../../local/lake-store";
import { localBucketName } from "../../local/local-stack";
import { putAll } from "../../local/producer";
import { sampleEvents } from "../../local/sample-workload";
import { Lake, LocalLake } from "../../replay/lake";
import { ReplayScope, select, send } from "../../replay/replay";
import { retransform } from "../../replay/retransform";
import { firehoseSink } from "../../replay/sender";
import { tempDir } from "../support/temp-dir";
import { filesUnder, linesOf, runStack, testBundle } from "../local/harness";

const ROOT = path.join(__dirname, "..", "..");
const STACK_FILE = path.join(ROOT, "Pulumi.dev.yaml");
const STREAM = "firehose-etl-dev-events";
const GOOD = 100;
const HEALTHCHECKS = 3;
const NOT_JSON = 5;

const event = (i: number) =>
  Buffer.from(
    `${JSON.stringify({ event_id: `e-${i}`, action: "click", country: "DE", email: `u${i}@example.com` })}\n`,
  );

/** Sends the workload through the bad release and returns the lake directory. */
async function badRelease(settings: StackSettings): Promise<string> {
  const lakeDir = tempDir("replay-lake");
  const run = await runStack(settings, { lakeDir, piiHashKey: "short" });
  const records = [
    ...Array.from({ length: GOOD }, (_, i) => event(i)),
    ...Array.from({ length: HEALTHCHECKS }, () => Buffer.from('{"action":"healthcheck"}\n')),
    ...Array.from({ length: NOT_JSON }, (_, i) => Buffer.from(`not json ${i}`)),
  ];
  await putAll(run.client, STREAM, records);
  await run.stop();
  return lakeDir;
}

function lakeOf(settings: StackSettings, lakeDir: string): Lake {
  return new LocalLake(new LakeStore(lakeDir, localBucketName(settings)));
}

/** event_id → how many records of the data prefix hold it. */
function dataCounts(settings: StackSettings, lakeDir: string): Map<string, number> {
  const bucket = path.join(lakeDir, localBucketName(settings));
  const counts = new Map<string, number>();
  for (const file of filesUnder(bucket).filter((f) => f.startsWith("data/"))) {
    for (const line of linesOf(path.join(bucket, file))) {
      const id = String((JSON.parse(line) as { event_id: string }).event_id);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}

function cli(args: string[]): ChildProcess {
  return spawn(
    process.execPath,
    ["-r", require.resolve("../../tools/register-ts.cjs"), "replay/cli.ts", ...args],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
}

async function finished(
  child: ChildProcess,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  return { code, stdout, stderr };
}

const lastJson = (stdout: string) =>
  JSON.parse(stdout.trim().split("\n").pop() ?? "") as Record<string, number>;

describe("replay: end to end on the local run", function () {
  this.timeout(120_000);
  const dev = loadStackFile(STACK_FILE);

  it("dry run and retransform predict, the replay delivers every failed record exactly once, a second replay sends nothing", async () => {
    const lakeDir = await badRelease(dev);
    assert.equal(dataCounts(dev, lakeDir).size, 0);
    const scope: ReplayScope = {
      settings: dev,
      lake: lakeOf(dev, lakeDir),
      pipelines: [],
      errorTypes: [],
      window: {},
    };
    const selection = await select(scope);
    assert.deepEqual(
      selection.rows.map((r) => [r.errorType, r.errorCode, r.records, r.samples.length]),
      [["processing-failed", "Lambda.FunctionError", GOOD + HEALTHCHECKS + NOT_JSON, 1]],
    );
    assert.match(selection.rows[0].samples[0], /PII hash key must be at least 16 bytes/);

    const records = selection.records.map((r) => r.record.data);
    const predicted = await retransform(
      dev,
      dev.pipelines[0],
      testBundle(),
      records,
      "local-dev-key-not-secret",
    );
    assert.deepEqual(
      [predicted.ok, predicted.dropped, [...predicted.failing]],
      [GOOD, HEALTHCHECKS, [["processing-failed Lambda.ProcessingFailedStatus", NOT_JSON]]],
    );
    const unfixed = await retransform(dev, dev.pipelines[0], testBundle(), records, "short");
    assert.equal(unfixed.ok, 0);

    const run = await runStack(dev, { lakeDir });
    const summary = await send(scope, selection, {
      sinkFor: () => firehoseSink(run.client, STREAM),
      log: () => undefined,
    });
    await run.stop();
    const all = GOOD + HEALTHCHECKS + NOT_JSON;
    assert.deepEqual(summary, { selected: all, sent: all, skipped: 0, failed: 0, resentAfterCrash: 0 });

    const after = dataCounts(dev, lakeDir);
    assert.equal(after.size, GOOD);
    assert.ok(
      [...after.values()].every((n) => n === 1),
      "every event exactly once",
    );

    // The non-JSON records failed again, under new keys: told apart, not selected again.
    const again = await select(scope);
    assert.deepEqual([again.records.length, again.alreadySent, again.failedAgain], [0, all, NOT_JSON]);
    const second = await send(scope, again, {
      sinkFor: () => firehoseSink(run.client, "unused"),
      log: () => undefined,
    });
    assert.equal(second.sent, 0);
  });

  it("a replay killed by SIGKILL and started again loses nothing, and counts what it may have sent twice", async () => {
    const lakeDir = await badRelease(dev);
    const run = await runStack(dev, { lakeDir });
    const args = [
      "--stack",
      "dev",
      "--local",
      "--lake-dir",
      lakeDir,
      "--endpoint-url",
      run.endpoint.url,
      "--json",
    ];
    // About 20 records per call, one call per second: killed after its first acknowledged call.
    const first = cli([...args, "--rate", "0.002"]);
    const exited = finished(first);
    const progressDir = path.join(lakeDir, localBucketName(dev), "replay");
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (first.exitCode !== null) {
          clearInterval(timer);
          reject(new Error("the replay ended before it was killed"));
        } else if (acknowledgedIn(progressDir) > 0) {
          clearInterval(timer);
          first.kill("SIGKILL");
          resolve();
        }
      }, 10);
    });
    assert.equal((await exited).code, null);
    const second = await finished(cli(args));
    await run.stop();
    assert.equal(second.code, 0, second.stderr);
    const summary = lastJson(second.stdout);
    assert.ok(summary.sent < GOOD + HEALTHCHECKS + NOT_JSON, "the first run had sent some");
    const counts = dataCounts(dev, lakeDir);
    assert.equal(counts.size, GOOD, "no record lost");
    const duplicates = [...counts.values()].reduce((n, c) => n + c - 1, 0);
    assert.ok(
      duplicates <= summary.resentAfterCrash,
      `${duplicates} duplicates, ${summary.resentAfterCrash} counted`,
    );
    const third = await finished(cli([...args, "--dry-run"]));
    assert.deepEqual(lastJson(third.stdout), {
      selected: 0,
      sent: 0,
      skipped: 0,
      failed: 0,
      resentAfterCrash: 0,
    });
  });

  it("a run that dies between a call's answer and saving it re-sends exactly that call's records, and counts them", async () => {
    const lakeDir = await badRelease(dev);
    const real = lakeOf(dev, lakeDir);
    let puts = 0;
    // Dies at its second write: the acknowledgement of the first call (the first write marked it in flight).
    const dying: Lake = {
      location: real.location,
      bucket: real.bucket,
      list: (prefix) => real.list(prefix),
      get: (key) => real.get(key),
      put: async (key, body) => {
        if (++puts >= 2) throw new Error("killed");
        await real.put(key, body);
      },
    };
    const run = await runStack(dev, { lakeDir });
    const base = { settings: dev, pipelines: [], errorTypes: [], window: {} };
    const plan = {
      sinkFor: () => firehoseSink(run.client, STREAM),
      log: () => undefined,
      rateBytesPerSecond: 1000,
    };
    await assert.rejects(
      send({ ...base, lake: dying }, await select({ ...base, lake: dying }), plan),
      /killed/,
    );
    const summary = await send({ ...base, lake: real }, await select({ ...base, lake: real }), {
      ...plan,
      rateBytesPerSecond: undefined,
    });
    await run.stop();
    const counts = dataCounts(dev, lakeDir);
    assert.equal(counts.size, GOOD, "no record lost");
    const duplicates = [...counts.values()].reduce((n, c) => n + c - 1, 0);
    assert.ok(
      summary.resentAfterCrash > 0 && summary.resentAfterCrash < 20,
      `counted ${summary.resentAfterCrash}`,
    );
    assert.equal(duplicates, summary.resentAfterCrash, "the first call's records (all events) arrived twice");
    assert.equal(summary.sent, GOOD + HEALTHCHECKS + NOT_JSON);
  });

  it("bad input loses nothing: a corrupt object is reported and the rest replayed; a missing stream sends nothing", async () => {
    const lakeDir = await badRelease(dev);
    const lake = lakeOf(dev, lakeDir);
    const corrupt =
      "errors/events/processing-failed/year=2026/month=11/day=02/firehose-etl-dev-events-1-2026-11-02-10-00-00-00000000-0000-4000-8000-000000000000.gz";
    await lake.put(corrupt, Buffer.from([0x1f, 0x8b, 8, 0, 1, 2]));
    const scope: ReplayScope = { settings: dev, lake, pipelines: [], errorTypes: [], window: {} };
    const selection = await select(scope);
    assert.deepEqual(selection.problems.length, 1);
    assert.match(
      selection.problems[0],
      /firehose-etl-dev-events-1-2026-11-02-10-00-00-.*: corrupt or truncated object/,
    );
    assert.equal(selection.records.length, GOOD + HEALTHCHECKS + NOT_JSON);

    const run = await runStack(dev, { lakeDir });
    await assert.rejects(
      send(scope, selection, {
        sinkFor: () => firehoseSink(run.client, "firehose-etl-dev-nope"),
        log: () => undefined,
      }),
      /sending to firehose-etl-dev-nope failed: ResourceNotFoundException/,
    );
    await run.stop();
    const after = await select(scope);
    assert.equal(after.records.length, GOOD + HEALTHCHECKS + NOT_JSON, "nothing marked sent");
    assert.ok(
      after.records.every((r) => r.progress.leftInFlight.size === 0),
      "nothing left in flight",
    );
  });
});

/** Lines the manifests under `dir` record as sent. */
function acknowledgedIn(dir: string): number {
  let n = 0;
  try {
    for (const file of readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".json"))) {
      try {
        n += Object.keys(
          (JSON.parse(readFileSync(path.join(dir, file), "utf8")) as { sent: object }).sent,
        ).length;
      } catch {
        // a directory named *.json, never a half-written manifest (they are renamed into place)
      }
    }
  } catch {
    return 0;
  }
  return n;
}

describe("replay: npm run replay -- --local --dry-run --json after the local run", function () {
  this.timeout(120_000);

  it("selects exactly the records the error prefix holds", async () => {
    const lakeDir = tempDir("replay-start");
    const run = await runStack(loadStackFile(STACK_FILE), { lakeDir });
    await putAll(
      run.client,
      STREAM,
      sampleEvents(600, 3).map((r) => r.data),
    );
    await run.stop();
    const failed = run.stack.streams[0].counts().failed;
    assert.ok(failed > 0);
    const out = await finished(
      cli(["--stack", "dev", "--local", "--lake-dir", lakeDir, "--dry-run", "--json"]),
    );
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(lastJson(out.stdout), {
      selected: failed,
      sent: 0,
      skipped: 0,
      failed: 0,
      resentAfterCrash: 0,
    });
  });
});
