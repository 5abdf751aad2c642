// `npm run replay`: failed records from the lake back through their pipeline, exactly once per record. See the
// README's "Replaying failed records".
import { DescribeDeliveryStreamCommand, FirehoseClient } from "@aws-sdk/client-firehose";
import { RedshiftDataClient } from "@aws-sdk/client-redshift-data";
import { S3Client } from "@aws-sdk/client-s3";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { StackSettings } from "../config/settings";
import { settingsFrom, STACK_HELP, STACK_OPTIONS } from "../config/stack-options";
import { LakeStore } from "../local/lake-store";
import { localBucketName } from "../local/local-stack";
import { localFirehoseClient, localKinesisClient } from "../local/producer";
import { formatTable } from "../local/report";
import { buildTransformBundle } from "../local/transform-bundle";
import { errorTypeOf } from "./failures";
import { Lake, LocalLake, S3Lake } from "./lake";
import { runCopy } from "./redshift-copy";
import { pipelinesOf, select, Selection, send, streamOf, Summary, summaryOf } from "./replay";
import { retransform } from "./retransform";
import { pipelineSink } from "./sender";
import { isoTime } from "./sources";

const HELP = `npm run replay -- [options]
  Replays failed records from the lake's error prefixes back through their pipelines, exactly once each.
${STACK_HELP}
  --pipeline <a,b>          pipelines to replay (default: all)
  --error-type <a,b>        processing-failed, partitioning-failed, format-conversion-failed,
                            AmazonOpenSearchService-failed, http-endpoint-failed, iceberg-failed,
                            redshift-copy-failed (default: all)
  --from <ISO time>         only objects whose name's time is at or after this
  --to <ISO time>           only objects whose name's time is at or before this
  --dry-run                 read and report; send nothing
  --retransform             with --dry-run: run the stack's current transform over the records
  --rate <MiB/s>            at most this many MiB per second per stream
  --local                   the local run's lake (--lake-dir) and endpoint (--endpoint-url)
  --lake-dir <dir>          local lake root (default: .lake)
  --endpoint-url <url>      local endpoint (default: http://127.0.0.1:4573, npm run serve)
  --bucket <name>           AWS: the lake bucket (pulumi stack output bucketName)
  --redshift-role-arn <arn> AWS: the role COPY reads the staged objects with (default: the warehouse's default)
  --redshift-workgroup <n>  AWS: the workgroup of an existing warehouse
  --json                    print one JSON summary as the last line`;

const OPTIONS = {
  ...STACK_OPTIONS,
  pipeline: { type: "string" },
  "error-type": { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  "dry-run": { type: "boolean", default: false },
  retransform: { type: "boolean", default: false },
  rate: { type: "string" },
  local: { type: "boolean", default: false },
  "lake-dir": { type: "string", default: ".lake" },
  "endpoint-url": { type: "string", default: "http://127.0.0.1:4573" },
  bucket: { type: "string" },
  "redshift-role-arn": { type: "string" },
  "redshift-workgroup": { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;

const list = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

async function main(): Promise<number> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: OPTIONS, strict: true });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.retransform && !values["dry-run"])
    throw new Error("--retransform is a dry-run check: add --dry-run");
  const settings = settingsFrom(values);
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && !(rate > 0))
    throw new Error(`--rate must be a positive number of MiB/s, got ${JSON.stringify(values.rate)}`);
  const scope = {
    settings,
    lake: lakeOf(settings, values),
    pipelines: list(values.pipeline),
    errorTypes: list(values["error-type"]).map(errorTypeOf),
    window: { fromMs: isoTime("from", values.from), toMs: isoTime("to", values.to) },
  };
  pipelinesOf(settings, scope.pipelines);

  const selection = await select(scope);
  for (const problem of selection.problems) console.error(`cannot read, nothing of it replayed: ${problem}`);
  let summary: Summary;
  if (values["dry-run"]) {
    report(selection);
    if (values.retransform) await reportRetransform(settings, selection);
    summary = summaryOf(selection);
  } else {
    summary = await replay(settings, values, scope, selection, rate);
  }
  if (values.json) console.log(JSON.stringify(summary));
  else
    console.log(
      `selected ${summary.selected}, sent ${summary.sent}, skipped ${summary.skipped}, failed ${summary.failed}, re-sent after a crash ${summary.resentAfterCrash}`,
    );
  if (interrupted) return 130;
  return selection.problems.length > 0 || summary.failed > 0 ? 1 : 0;
}

function lakeOf(
  settings: StackSettings,
  values: { local: boolean; "lake-dir": string; bucket?: string },
): Lake {
  if (values.local)
    return new LocalLake(new LakeStore(path.resolve(values["lake-dir"]), localBucketName(settings)));
  if (!values.bucket) {
    throw new Error(
      "--bucket is required on AWS (Pulumi names the bucket: pulumi stack output bucketName), or use --local",
    );
  }
  return new S3Lake(new S3Client({ region: settings.region }), values.bucket);
}

function report(selection: Selection): void {
  const time = (ms?: number) => (ms === undefined ? "-" : new Date(ms).toISOString());
  console.log(
    formatTable(
      ["pipeline", "error type", "error code", "records", "bytes", "oldest", "newest"],
      selection.rows.map((r) => [
        r.pipeline,
        r.errorType,
        r.errorCode,
        String(r.records),
        String(r.bytes),
        time(r.oldestMs),
        time(r.newestMs),
      ]),
    ),
  );
  for (const row of selection.rows) {
    console.log(`\n${row.pipeline} ${row.errorType} ${row.errorCode}:`);
    for (const sample of row.samples) console.log(`  ${sample}`);
  }
  for (const copy of selection.copies)
    console.log(`COPY to re-run: ${copy.key} (${copy.objects} staged objects)`);
  console.log(
    `\nalready replayed: ${selection.alreadySent}; failed again after a replay (not selected): ${selection.failedAgain}; skipped: ${selection.skipped.length}`,
  );
}

async function reportRetransform(settings: StackSettings, selection: Selection): Promise<void> {
  const bundle = buildTransformBundle();
  for (const pipeline of settings.pipelines) {
    const records = selection.records.filter((r) => r.pipeline === pipeline).map((r) => r.record.data);
    if (records.length === 0) continue;
    const counts = await retransform(settings, pipeline, bundle.file, records);
    const failing = [...counts.failing.entries()].map(([reason, n]) => `${n} ${reason}`).join(", ");
    console.log(
      `\nretransform ${pipeline.name} with the current transform: ${counts.ok} Ok, ${counts.dropped} Dropped, ${[...counts.failing.values()].reduce((a, b) => a + b, 0)} still failing${failing ? ` (${failing})` : ""}`,
    );
  }
}

let interrupted = false;

async function replay(
  settings: StackSettings,
  values: {
    local: boolean;
    "endpoint-url": string;
    "redshift-role-arn"?: string;
    "redshift-workgroup"?: string;
  },
  scope: Parameters<typeof send>[0],
  selection: Selection,
  rate: number | undefined,
): Promise<Summary> {
  // A Kinesis-sourced stack takes no Direct PUT: records go to its source, each in an envelope for its stream.
  const kinesis =
    settings.source.type !== "kinesis"
      ? undefined
      : values.local
        ? localKinesisClient(values["endpoint-url"], settings.region)
        : new KinesisClient({ region: settings.region });
  const firehose: FirehoseClient = values.local
    ? localFirehoseClient(values["endpoint-url"], settings.region)
    : new FirehoseClient({ region: settings.region });
  const where = values.local ? `the local endpoint ${values["endpoint-url"]}` : `region ${settings.region}`;
  try {
    for (const pipeline of new Set(selection.records.map((r) => r.pipeline))) {
      const name = streamOf(settings, pipeline);
      await firehose
        .send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))
        .catch((err: unknown) => {
          const e = err as { name?: string; message?: string; code?: string };
          const hint =
            e.code === "ECONNREFUSED" || e.name === "ECONNREFUSED" ? " (is npm run serve running?)" : "";
          throw new Error(
            `stream ${name} (pipeline ${pipeline.name}) is not available at ${where}${hint}: ${e.name ?? ""} ${e.message ?? String(err)}; nothing was sent`,
          );
        });
    }
    const controller = new AbortController();
    process.once("SIGINT", () => {
      interrupted = true;
      console.error("\nSIGINT: finishing the call in flight, then stopping (progress is saved)");
      controller.abort();
    });
    let last = { records: 0, bytes: 0, totalRecords: selection.records.length, totalBytes: 0 };
    const started = Date.now();
    const line = () => {
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      const mibps = last.bytes / 1048576 / seconds;
      const eta =
        last.bytes > 0 ? Math.round((last.totalBytes - last.bytes) / (last.bytes / seconds)) : undefined;
      return `replay: ${last.records}/${last.totalRecords} records, ${mibps.toFixed(2)} MiB/s, ETA ${eta === undefined ? "-" : `${eta} s`}`;
    };
    const ticker = setInterval(() => console.error(line()), 1000);
    try {
      const redshift = new RedshiftDataClient({ region: settings.region });
      return await send(scope, selection, {
        sinkFor: (pipeline) => pipelineSink(settings, { firehose, kinesis }, pipeline.name),
        copy: values.local ? undefined : (input) => runCopy(redshift, input),
        copyOptions: { roleArn: values["redshift-role-arn"], workgroup: values["redshift-workgroup"] },
        rateBytesPerSecond: rate === undefined ? undefined : rate * 1048576,
        signal: controller.signal,
        onProgress: (tick) => (last = tick),
        log: (text) => console.error(text),
      });
    } finally {
      clearInterval(ticker);
      if (last.records > 0) console.error(line());
    }
  } finally {
    firehose.destroy();
    kinesis?.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
