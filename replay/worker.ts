// The replay state machine's worker, a Lambda function: one invocation replays one error object with the code
// `npm run replay` runs (select, send, the progress manifests under replay/), so a retried invocation or a
// second execution sends only what no run had acknowledged. The stack's settings travel in the code archive.
import { FirehoseClient } from "@aws-sdk/client-firehose";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { S3Client } from "@aws-sdk/client-s3";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { StackSettings } from "../config/settings";
import { ErrorType } from "./failures";
import { Lake, S3Lake } from "./lake";
import { select, send, SendPlan, Summary } from "./replay";
import { pipelineSink } from "./sender";
import { sourcesOf } from "./sources";
import { REPLAY_INCOMPLETE } from "./state-machine-definition";

/** The stack's settings, beside the bundle in the code archive. */
export const WORKER_SETTINGS_FILE = "settings.json";
/** The environment variable naming the lake bucket. */
export const WORKER_BUCKET_VARIABLE = "LAKE_BUCKET";
/** Stop sending this long before Lambda's timeout, so that the manifest is saved and the retry resumes. */
const STOP_BEFORE_TIMEOUT_MS = 30_000;

/** What the Distributed Map passes: one object of its S3 listing. */
export interface WorkerEvent {
  readonly key: string;
}

export interface WorkerResult extends Summary {
  readonly key: string;
  readonly pipeline?: string;
  readonly errorType?: ErrorType;
  /** Why (part of) the object was not replayed: unreadable lines, or an object the worker does not replay. */
  readonly problems: string[];
}

export class ReplayIncomplete extends Error {
  constructor(message: string) {
    super(message);
    this.name = REPLAY_INCOMPLETE;
  }
}

const NOTHING: Summary = { selected: 0, sent: 0, skipped: 0, failed: 0, resentAfterCrash: 0 };

/**
 * Replays the object at `key`: its pipeline and error type are the source whose prefix it is under. Throws
 * ReplayIncomplete when records are left unsent (refused after the sender's retries, or stopped by the signal).
 */
export async function replayObject(
  settings: StackSettings,
  lake: Lake,
  key: string,
  plan: SendPlan,
): Promise<WorkerResult> {
  const source = settings.pipelines.flatMap(sourcesOf).find((s) => key.startsWith(s.prefix));
  if (!source) {
    const problem = `${key} is under no error prefix of stack ${settings.stack}'s pipelines: nothing replayed`;
    return { key, ...NOTHING, problems: [problem] };
  }
  const at = { key, pipeline: source.pipeline, errorType: source.errorType };
  if (source.errorType === "redshift-copy-failed") {
    const problem = `${key} is a Redshift COPY manifest: re-run it with npm run replay -- --error-type redshift-copy-failed (Redshift Data API)`;
    return { ...at, ...NOTHING, problems: [problem] };
  }
  const scope = {
    settings,
    lake,
    pipelines: [source.pipeline],
    errorTypes: [source.errorType],
    window: {},
    objectKey: key,
  };
  const selection = await select(scope);
  const summary = await send(scope, selection, plan);
  const left = summary.selected - summary.sent - summary.failed;
  if (summary.failed > 0 || left > 0) {
    throw new ReplayIncomplete(
      `${key}: ${summary.sent} records sent, ${summary.failed} refused and ${left} not sent yet; another attempt sends only those`,
    );
  }
  return { ...at, ...summary, problems: selection.problems };
}

let settings: StackSettings | undefined;

/** The Lambda handler (the Map's ItemSelector passes `{"key": <the listed object's key>}`). */
export async function handler(
  event: WorkerEvent,
  context: { getRemainingTimeInMillis(): number },
): Promise<WorkerResult> {
  if (typeof event?.key !== "string" || event.key === "") {
    throw new Error(`the event must be {"key": "<object key>"}, got ${JSON.stringify(event)}`);
  }
  const bucket = process.env[WORKER_BUCKET_VARIABLE];
  if (!bucket)
    throw new Error(`${WORKER_BUCKET_VARIABLE} is not set: the function's environment names the lake`);
  // Validated when the program built the archive.
  settings ??= JSON.parse(readFileSync(path.join(__dirname, WORKER_SETTINGS_FILE), "utf8")) as StackSettings;
  const firehose = new FirehoseClient({});
  const kinesis = settings.source.type === "kinesis" ? new KinesisClient({}) : undefined;
  const stack = settings;
  try {
    const result = await replayObject(stack, new S3Lake(new S3Client({}), bucket), event.key, {
      sinkFor: (pipeline) => pipelineSink(stack, { firehose, kinesis }, pipeline.name),
      signal: AbortSignal.timeout(Math.max(0, context.getRemainingTimeInMillis() - STOP_BEFORE_TIMEOUT_MS)),
      log: (line) => console.log(line),
    });
    for (const problem of result.problems) console.log(`not replayed: ${problem}`);
    return result;
  } finally {
    firehose.destroy();
    kinesis?.destroy();
  }
}
