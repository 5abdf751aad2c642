// `npm run serve`: the stack's local Firehose endpoint, kept running for the user's own producers, with a
// progress line. Ctrl-C (SIGINT) or SIGTERM stops accepting records, flushes every buffer and exits.
import * as path from "node:path";
import { COMMON_HELP, COMMON_OPTIONS, parseCommandLine, positiveNumber } from "./cli-options";
import { LocalStack } from "./local-stack";
import { openLocalRun, skippedLines } from "./local-run";
import { UnprojectedPartitions } from "./partition-projection";
import { POLICY_CHECK_HELP, POLICY_CHECK_OPTIONS } from "./policy-gate";
import { bytesWrittenLine, failuresByReason, formatTable, objectsByPrefix } from "./report";

const HELP = `npm run serve -- [options]
  Serves the stack's S3 pipelines on a local Firehose endpoint until Ctrl-C.
${COMMON_HELP}
${POLICY_CHECK_HELP}
  --clean                 empty the bucket first (objects of an earlier layout confuse npm run query)
  --port <n>              endpoint port on 127.0.0.1 (default: 4573)
  --put-quota-mib <n>     Direct PUT quota per stream in MiB/s; records over it fail with "Slow down."`;

async function main(): Promise<void> {
  const { values } = parseCommandLine({
    ...COMMON_OPTIONS,
    port: { type: "string", default: "4573" },
    "put-quota-mib": { type: "string" },
    clean: { type: "boolean", default: false },
    ...POLICY_CHECK_OPTIONS,
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const run = await openLocalRun(values, {
    clean: values.clean,
    putQuotaMiBPerSecond:
      values["put-quota-mib"] === undefined
        ? undefined
        : positiveNumber("put-quota-mib", values["put-quota-mib"]),
  });
  if (!run) {
    process.exitCode = 1;
    return;
  }
  const { settings, stack, endpoint } = run;
  console.log(`Local Firehose for stack ${settings.stack} on ${endpoint.url} (region ${settings.region})`);
  for (const stream of stack.streams) console.log(`  stream ${stream.name}`);
  for (const line of skippedLines(stack)) console.log(line);
  console.log(
    `Objects go to ${path.relative(process.cwd(), stack.store.bucketDir)}/; query them with npm run query.`,
  );
  console.log(
    `Producers: AWS SDK with endpoint ${endpoint.url}, any credentials; e.g. with the AWS CLI v1\n` +
      `  aws firehose put-record --endpoint-url ${endpoint.url} --delivery-stream-name ${stack.names()[0] ?? "<stream>"} ` +
      `--record '{"Data":"{\\"action\\":\\"click\\"}\\n"}'\n` +
      `  (the AWS CLI v2 reads Data as base64: add --cli-binary-format raw-in-base64-out)`,
  );

  const interactive = process.stdout.isTTY;
  const hidden = stack.table && new UnprojectedPartitions(stack.table.partitionColumns);
  let checked = 0;
  const warnHidden = () => {
    const written = stack.streams[0]?.written ?? [];
    const keys = written.slice(checked).flatMap((o) => (o.kind === "data" ? [o.key] : []));
    checked = written.length;
    for (const warning of hidden?.check(keys) ?? []) console.warn(`${interactive ? "\n" : ""}${warning}`);
  };
  let last = "";
  const progress = setInterval(() => {
    warnHidden();
    const line = progressLine(stack);
    if (line === last) return;
    last = line;
    if (interactive) process.stdout.write(`\r${line}\x1b[K`);
    else console.log(line);
  }, 1000);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(progress);
    console.log(`\n${signal}: flushing every buffer...`);
    await endpoint.close();
    await stack.close();
    warnHidden();
    console.log(progressLine(stack));
    for (const stream of stack.streams) {
      if (stream.written.length === 0) continue;
      console.log(`\n${stream.name}:`);
      console.log(formatTable(["prefix", "objects", "records", "bytes"], objectsByPrefix(stream.written)));
      const { failures, receivedBytes } = stream.counts();
      console.log(bytesWrittenLine(receivedBytes, stream.written));
      if (failures.size > 0) {
        console.log(formatTable(["error output type", "error code", "records"], failuresByReason(failures)));
      }
    }
    // Records a failing lake kept from delivery are in the journal; the exit code says so.
    const undelivered = stack.streams.reduce((n, stream) => n + stream.counts().buffered, 0);
    if (undelivered > 0) console.error(`${undelivered} acknowledged records were not delivered (see above).`);
    process.exit(undelivered > 0 ? 1 : 0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

function progressLine(stack: LocalStack): string {
  const total = { received: 0, added: 0, delivered: 0, failed: 0, dropped: 0, buffered: 0, throttled: 0 };
  for (const stream of stack.streams) {
    const counts = stream.counts();
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += counts[key];
  }
  return (
    `records in ${total.received}` +
    (total.added > 0 ? `, added by de-aggregation ${total.added}` : "") +
    `, delivered ${total.delivered}, failed ${total.failed}, ` +
    `dropped ${total.dropped}, buffered ${total.buffered}` +
    (total.throttled > 0 ? `, throttled ${total.throttled}` : "")
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
