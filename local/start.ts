// `npm start`: the stack's delivery pipeline on this machine. Builds the transform bundle, starts the local
// streams and endpoint, sends a sample workload with the AWS SDK, flushes every buffer, then prints what was
// written where, what failed and why, and a sample Athena-style query over the local lake.
import { Console } from "node:console";
import * as path from "node:path";
import { COMMON_HELP, COMMON_OPTIONS, parseCommandLine, positiveNumber } from "./cli-options";
import { openLakeQuery } from "./lake-query";
import { LocalIcebergTable, LocalTable } from "./local-stack";
import { openLocalRun, skippedLines } from "./local-run";
import { UnprojectedPartitions } from "./partition-projection";
import { POLICY_CHECK_HELP, POLICY_CHECK_OPTIONS } from "./policy-gate";
import { stackProducer } from "./producer";
import { bytesWrittenLine, failuresByReason, formatTable, objectsByPrefix } from "./report";
import { SampleKind, sampleEvents } from "./sample-workload";

const HELP = `npm start -- [options]
  Runs the stack's S3 pipeline locally on a sample workload and reports the result.
${COMMON_HELP}
${POLICY_CHECK_HELP}
  --events <n>            sample events to send (default: 3000)
  --port <n>              endpoint port (default: any free port)
  --clean                 start from an empty bucket (the default)
  --keep-lake             keep the bucket's earlier objects instead`;

/** `npm start` with the command line in `process.argv`, writing to `stdout` and `stderr`: the exit code. */
export async function startCommand(
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const out = new Console({ stdout, stderr });
  const { values } = parseCommandLine({
    ...COMMON_OPTIONS,
    events: { type: "string", default: "3000" },
    // Stryker disable next-line StringLiteral: Number("") is 0 too, so an empty default also picks a free port
    port: { type: "string", default: "0" },
    "keep-lake": { type: "boolean", default: false },
    clean: { type: "boolean", default: false },
    ...POLICY_CHECK_OPTIONS,
  });
  if (values.help) {
    out.log(HELP);
    return 0;
  }
  if (values.clean && values["keep-lake"]) throw new Error("--clean and --keep-lake contradict each other");
  const events = positiveNumber("events", values.events);
  const run = await openLocalRun(values, { clean: !values["keep-lake"] }, out);
  if (!run) return 1;
  const { settings, stack, endpoint, bundle } = run;
  out.log(`Transform bundle: ${path.relative(process.cwd(), bundle.file)} (${bundle.bytes} bytes)`);
  const bucketDir = stack.store.bucketDir;
  out.log(
    `Stack ${settings.stack}: endpoint ${endpoint.url}, lake ${path.relative(process.cwd(), bucketDir)}/`,
  );
  for (const line of skippedLines(stack)) out.log(line);
  const target = stack.streams[0];
  if (!target) {
    out.error(`Stack ${settings.stack} has no S3 or Iceberg pipeline: nothing runs locally.`);
    await endpoint.close();
    await stack.close();
    return 1;
  }
  const workload = sampleEvents(events);
  const producer = stackProducer(stack, endpoint.url);
  const calls = await producer.put(workload.map((r) => r.data));
  producer.close();
  // A Kinesis-sourced stack is fed through its source stream, as on AWS (Firehose refuses Direct PUT there).
  out.log(`\nSent ${workload.length} records to ${producer.target} in ${calls} ${producer.call} calls:`);
  out.log(`  ${describeKinds(workload.map((r) => r.kind))}`);

  await endpoint.close();
  await stack.close();
  const counts = target.counts();
  out.log(`\nObjects written to ${path.relative(process.cwd(), bucketDir)}/:`);
  out.log(formatTable(["prefix", "objects", "records", "bytes"], objectsByPrefix(target.written)));
  if (stack.table) {
    const dataKeys = target.written.filter((o) => o.kind === "data").map((o) => o.key);
    for (const warning of new UnprojectedPartitions(stack.table.partitionColumns).check(dataKeys)) {
      out.warn(warning);
    }
  }
  const added = counts.added > 0 ? ` + ${counts.added} added by de-aggregation` : "";
  out.log(
    `\nRecords: ${counts.received} in${added} = ${counts.delivered} delivered + ${counts.failed} in the error prefix + ${counts.dropped} dropped by the transform`,
  );
  out.log(bytesWrittenLine(counts.receivedBytes, target.written));
  if (counts.failures.size > 0) {
    out.log(`\nFailed records by reason:`);
    out.log(formatTable(["error output type", "error code", "records"], failuresByReason(counts.failures)));
  }
  out.log(`\nTransform log (CloudWatch Logs in AWS): ${path.relative(process.cwd(), stack.transformLog)}`);
  if (counts.received + counts.added !== counts.delivered + counts.failed + counts.dropped) {
    out.error(`Records were lost: ${counts.buffered} neither delivered, failed nor dropped.`);
    return 1;
  }
  if (stack.table) await sampleQuery(stack.table, out);
  for (const table of stack.icebergTables) await icebergSampleQuery(table, out);
  return 0;
}

function describeKinds(kinds: SampleKind[]): string {
  const counts = new Map<SampleKind, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts.entries()].map(([kind, n]) => `${n} ${kind}`).join(", ");
}

/** Counts per country and action for this month, as one would ask Athena. */
async function sampleQuery(table: LocalTable, out: Console): Promise<void> {
  const now = new Date();
  const has = (name: string) =>
    table.columns.some((c) => c.name === name) || table.partitionColumns.some((p) => p.name === name);
  const sql =
    has("country") && has("action") && has("year") && has("month")
      ? `SELECT country, action, count(*) AS events
FROM ${table.database}.${table.name}
WHERE year = ${now.getUTCFullYear()} AND month = ${now.getUTCMonth() + 1}
GROUP BY country, action
ORDER BY events DESC, country, action
LIMIT 10`
      : `SELECT count(*) AS events FROM ${table.database}.${table.name}`;
  const query = await openLakeQuery(table);
  try {
    const result = await query.run(sql);
    out.log(`\nSample query (npm run query -- "<SQL>"):\n${sql}\n`);
    out.log(formatTable(result.columns, result.rows));
  } finally {
    query.close();
  }
}

/** An Iceberg table's rows by action: an upserting table shows one row per unique key. */
async function icebergSampleQuery(table: LocalIcebergTable, out: Console): Promise<void> {
  const sql = table.columns.some((c) => c.name === "action")
    ? `SELECT action, count(*) AS rows FROM ${table.database}.${table.name} GROUP BY action ORDER BY rows DESC, action`
    : `SELECT count(*) AS rows FROM ${table.database}.${table.name}`;
  const query = await openLakeQuery(undefined, [table]);
  try {
    const result = await query.run(sql);
    const keys = table.uniqueKeys ? `, one row per ${table.uniqueKeys.join(", ")}` : "";
    out.log(`\nSample query over the Iceberg table${keys} (npm run query -- "<SQL>"):\n${sql}\n`);
    out.log(formatTable(result.columns, result.rows));
  } finally {
    query.close();
  }
}

// Stryker disable all: the entry point runs only in a child process (tests/local/commands.test.ts)
if (require.main === module) {
  startCommand().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
// Stryker restore all
