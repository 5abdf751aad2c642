// `npm run serve`: the stack's local Firehose endpoint, kept running for the user's own producers, with a
// progress line. Ctrl-C (SIGINT) or SIGTERM stops accepting records, flushes every buffer and exits.
import { Console } from "node:console";
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

/** A running `npm run serve`: `stop` flushes every buffer, prints the outcome and resolves with the exit code. */
export interface Serving {
  stop(signal: string): Promise<number>;
}

/**
 * `npm run serve` with the command line in `process.argv`, writing to `stdout` and `stderr`, a progress line
 * every `progressMs`: the exit code when it does not serve (help, a refused stack), else the server.
 */
export async function serveCommand(
  stdout: NodeJS.WritableStream & { readonly isTTY?: boolean } = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
  progressMs = 1000,
): Promise<number | Serving> {
  const out = new Console({ stdout, stderr });
  const { values } = parseCommandLine({
    ...COMMON_OPTIONS,
    port: { type: "string", default: "4573" },
    "put-quota-mib": { type: "string" },
    clean: { type: "boolean", default: false },
    ...POLICY_CHECK_OPTIONS,
  });
  if (values.help) {
    out.log(HELP);
    return 0;
  }
  const run = await openLocalRun(
    values,
    {
      clean: values.clean,
      putQuotaMiBPerSecond:
        values["put-quota-mib"] === undefined
          ? undefined
          : positiveNumber("put-quota-mib", values["put-quota-mib"]),
    },
    out,
  );
  if (!run) return 1;
  const { settings, stack, endpoint } = run;
  out.log(`Local Firehose for stack ${settings.stack} on ${endpoint.url} (region ${settings.region})`);
  for (const stream of stack.streams) out.log(`  stream ${stream.name}`);
  for (const line of skippedLines(stack)) out.log(line);
  out.log(
    `Objects go to ${path.relative(process.cwd(), stack.store.bucketDir)}/; query them with npm run query.`,
  );
  out.log(
    `Producers: AWS SDK with endpoint ${endpoint.url}, any credentials; e.g. with the AWS CLI v1\n` +
      `  aws firehose put-record --endpoint-url ${endpoint.url} --delivery-stream-name ${stack.names()[0] ?? "<stream>"} ` +
      `--record '{"Data":"{\\"action\\":\\"click\\"}\\n"}'\n` +
      `  (the AWS CLI v2 reads Data as base64: add --cli-binary-format raw-in-base64-out)`,
  );

  const interactive = stdout.isTTY;
  const hidden = stack.table && new UnprojectedPartitions(stack.table.partitionColumns);
  let checked = 0;
  const warnHidden = () => {
    // Stryker disable next-line ArrayDeclaration: a placeholder element is no data object, so adds no key to check
    const written = stack.streams[0]?.written ?? [];
    // Stryker disable next-line MethodExpression: only saves rechecking keys; UnprojectedPartitions warns once per segment anyway
    const unchecked = written.slice(checked);
    checked = written.length;
    const keys = unchecked.filter((o) => o.kind === "data").map((o) => o.key);
    for (const warning of hidden?.check(keys) ?? []) out.warn(`${interactive ? "\n" : ""}${warning}`);
  };
  // Stryker disable next-line StringLiteral: any text that is no progress line makes the first tick print, as "" does
  let last = "";
  const progress = setInterval(() => {
    warnHidden();
    const line = progressLine(stack);
    if (line === last) return;
    last = line;
    if (interactive) stdout.write(`\r${line}\x1b[K`);
    else out.log(line);
  }, progressMs);

  const flush = async (signal: string): Promise<number> => {
    clearInterval(progress);
    out.log(`\n${signal}: flushing every buffer...`);
    await endpoint.close();
    await stack.close();
    warnHidden();
    out.log(progressLine(stack));
    for (const stream of stack.streams) {
      if (stream.written.length === 0) continue;
      out.log(`\n${stream.name}:`);
      out.log(formatTable(["prefix", "objects", "records", "bytes"], objectsByPrefix(stream.written)));
      const { failures, receivedBytes } = stream.counts();
      out.log(bytesWrittenLine(receivedBytes, stream.written));
      if (failures.size > 0) {
        out.log(formatTable(["error output type", "error code", "records"], failuresByReason(failures)));
      }
    }
    // Records a failing lake kept from delivery are in the journal; the exit code says so.
    const undelivered = stack.streams.reduce((n, stream) => n + stream.counts().buffered, 0);
    if (undelivered > 0) out.error(`${undelivered} acknowledged records were not delivered (see above).`);
    return undelivered > 0 ? 1 : 0;
  };
  // A second signal while flushing changes nothing: the first one's flush decides the exit code.
  let stopped: Promise<number> | undefined;
  return { stop: (signal) => (stopped ??= flush(signal)) };
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

// Stryker disable all: the entry point runs only in a child process (tests/local/commands.test.ts)
if (require.main === module) {
  serveCommand().then(
    (served) => {
      if (typeof served === "number") {
        process.exitCode = served;
        return;
      }
      for (const signal of ["SIGINT", "SIGTERM"]) {
        process.on(signal, () => void served.stop(signal).then((code) => process.exit(code)));
      }
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
// Stryker restore all
