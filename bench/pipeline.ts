/**
 * `npm run bench` (pipeline part): a producer process sends PutRecordBatch calls of 500 realistic events with
 * the AWS SDK over loopback to an endpoint process, which runs them through the transform bundle, partitioning
 * and GZIP to disk. Prints sustained MiB/s and records/s (median of several runs) from the first request to the
 * last object on disk, the endpoint process's MiB per CPU-second (the machine may be shared), and the
 * transform handler's own MiB per CPU-second on the same events for comparison.
 *
 * The endpoint runs as `npm run serve` does, with a 64 MiB young generation: the pipeline allocates a short-lived
 * object or two per record, and V8's default scavenges cost about a fifth of the CPU (measured).
 *
 * Options: `--scenario <name>` runs one scenario; `--endpoint-cpus <list>` confines the endpoint process (all
 * its threads, zlib's thread pool included) to those CPUs with `taskset -c`, for the "one core" figure;
 * `--cpu-prof <dir>` writes the endpoint's and the producer's CPU profiles under `<dir>/endpoint` and
 * `<dir>/producer`.
 */
import { PutRecordBatchCommand } from "@aws-sdk/client-firehose";
import { ChildProcess, fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { StackSettings } from "../config/settings";
import { transformEnvironment } from "../config/transform-environment";
import { startEndpoint } from "../local/endpoint";
import { createLocalStack } from "../local/local-stack";
import { localFirehoseClient } from "../local/producer";
import { sampleEvents } from "../local/sample-workload";
import { buildTransformBundle, LOCAL_PII_HASH_KEY, loadTransformHandler } from "../local/transform-bundle";
import { settingsOf } from "../tests/support/stacks";

const RECORDS_PER_RUN = 200_000;
const BATCH = 500;
/** PutRecordBatch calls in flight from the producer. */
const CONCURRENCY = 4;
const WARMUP_RUNS = 1;
const MEASURED_RUNS = 3;
const TARGET_MIB_PER_SECOND = 25;
const MIB = 1024 * 1024;
const ENDPOINT_NODE_OPTIONS = ["--max-semi-space-size=64"];

const SCENARIOS = {
  dev: { label: "dev stack (time partitions, GZIP JSON)", stream: "firehose-etl-dev-events" },
  "prod-json": {
    label: "prod lake as JSON (inline jq country + hourly partitions, GZIP)",
    stream: "firehose-etl-prod-lake",
  },
} as const;
type ScenarioName = keyof typeof SCENARIOS;

function settingsFor(scenario: ScenarioName): StackSettings {
  if (scenario === "dev") return settingsOf("dev");
  return settingsOf("prod", (raw) => {
    const lake = (raw.pipelines as { destination: Record<string, unknown> }[])[0].destination;
    lake.format = "json";
    lake.compression = "GZIP";
  });
}

/** The events every run sends (the producer cycles through them). */
function eventPool(): Buffer[] {
  return sampleEvents(20_000, 11)
    .filter((r) => r.kind === "event")
    .map((r) => r.data);
}

interface EndpointReport {
  readonly received: number;
  readonly receivedBytes: number;
  readonly delivered: number;
  readonly dropped: number;
  readonly cpuSeconds: number;
}

/** Child role: the local stack and endpoint; reports its counts and CPU time once flushed. */
async function endpointProcess(scenario: ScenarioName, bundleFile: string): Promise<void> {
  const lakeDir = mkdtempSync(path.join(os.tmpdir(), "firehose-etl-bench-"));
  const stack = createLocalStack(settingsFor(scenario), { lakeDir, bundleFile });
  const endpoint = await startEndpoint(stack);
  process.once("message", async () => {
    const cpu = process.cpuUsage();
    process.once("message", async () => {
      await endpoint.close();
      await stack.close();
      const used = process.cpuUsage(cpu);
      const counts = stack.streams[0].counts();
      rmSync(lakeDir, { recursive: true, force: true });
      const report: EndpointReport = { ...counts, cpuSeconds: (used.user + used.system) / 1e6 };
      process.send?.(report, () => process.exit(0));
    });
    process.send?.("measuring");
  });
  process.send?.(endpoint.url);
}

/**
 * Child role: the producer, with its own SDK client. It reports ready once loaded and set up, and sends on the
 * next message: the clock runs from its first request, not from its start-up.
 */
async function producerProcess(url: string, stream: string): Promise<void> {
  const pool = eventPool();
  const client = localFirehoseClient(url, "eu-west-1");
  const go = new Promise((resolve) => process.once("message", resolve));
  process.send?.("ready");
  await go;
  let next = 0;
  const worker = async () => {
    while (next < RECORDS_PER_RUN) {
      const start = next;
      next += BATCH;
      const Records = Array.from({ length: Math.min(BATCH, RECORDS_PER_RUN - start) }, (_, i) => ({
        Data: pool[(start + i) % pool.length],
      }));
      const out = await client.send(new PutRecordBatchCommand({ DeliveryStreamName: stream, Records }));
      if (out.FailedPutCount) throw new Error(`${out.FailedPutCount} records failed`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  client.destroy();
}

/** Child role: the transform handler alone on the same events in 1 MiB batches (the processor buffer). */
async function handlerProcess(bundleFile: string): Promise<void> {
  const env = {
    ...transformEnvironment(settingsFor("dev").transform, undefined),
    PII_HASH_KEY: LOCAL_PII_HASH_KEY,
  };
  const handler = loadTransformHandler(bundleFile, env, () => undefined);
  const pool = eventPool();
  const batches: unknown[] = [];
  let bytes = 0;
  for (let start = 0; start < RECORDS_PER_RUN;) {
    const records = [];
    for (let size = 0; size < MIB && start < RECORDS_PER_RUN; start++) {
      const data = pool[start % pool.length];
      size += data.length;
      bytes += data.length;
      records.push({
        recordId: String(start),
        approximateArrivalTimestamp: 0,
        data: data.toString("base64"),
      });
    }
    batches.push({ invocationId: "bench", deliveryStreamArn: "arn", region: "eu-west-1", records });
  }
  const runs: number[] = [];
  for (let i = 0; i < WARMUP_RUNS + MEASURED_RUNS; i++) {
    const cpu = process.cpuUsage();
    for (const batch of batches) await handler(batch);
    const used = process.cpuUsage(cpu);
    if (i >= WARMUP_RUNS) runs.push(bytes / MIB / ((used.user + used.system) / 1e6));
  }
  process.send?.(median(runs), () => process.exit(0));
}

/** `cpus`: run the child under `taskset -c <cpus>`, so it and every thread it starts stay on those CPUs. */
function child(role: string, args: string[], nodeOptions: string[] = [], cpus?: string): ChildProcess {
  const execArgv = [...nodeOptions, "-r", "ts-node/register/transpile-only", "--no-warnings"];
  return cpus === undefined
    ? fork(__filename, [role, ...args], { execArgv })
    : fork(__filename, [role, ...args], {
        execPath: "taskset",
        execArgv: ["-c", cpus, process.execPath, ...execArgv],
      });
}

function nextMessage<T>(process: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    process.once("message", (message) => resolve(message as T));
    process.once("exit", (code) => reject(new Error(`child exited with ${code}`)));
  });
}

interface RunResult {
  readonly seconds: number;
  readonly report: EndpointReport;
}

interface BenchOptions {
  readonly scenarios: ScenarioName[];
  readonly endpointCpus?: string;
  readonly cpuProfDir?: string;
}

function benchOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      scenario: { type: "string" },
      "endpoint-cpus": { type: "string" },
      "cpu-prof": { type: "string" },
    },
  });
  const all = Object.keys(SCENARIOS) as ScenarioName[];
  const scenario = values.scenario;
  if (scenario !== undefined && !all.includes(scenario as ScenarioName)) {
    throw new Error(`--scenario must be one of ${all.join(", ")}`);
  }
  return {
    scenarios: scenario === undefined ? all : [scenario as ScenarioName],
    endpointCpus: values["endpoint-cpus"],
    cpuProfDir: values["cpu-prof"],
  };
}

/** Node options that write the role's CPU profiles under `--cpu-prof <dir>/<role>`. */
function profiling(options: BenchOptions, role: string): string[] {
  const dir = options.cpuProfDir;
  return dir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${path.join(dir, role)}`];
}

async function measure(
  scenario: ScenarioName,
  bundleFile: string,
  options: BenchOptions,
): Promise<RunResult> {
  const endpoint = child(
    "endpoint",
    [scenario, bundleFile],
    [...ENDPOINT_NODE_OPTIONS, ...profiling(options, "endpoint")],
    options.endpointCpus,
  );
  const url = await nextMessage<string>(endpoint);
  const producer = child("producer", [url, SCENARIOS[scenario].stream], profiling(options, "producer"));
  const produced = new Promise<number | null>((resolve) => producer.on("exit", resolve));
  await nextMessage(producer);
  endpoint.send("start");
  await nextMessage(endpoint);
  const started = performance.now();
  producer.send("go");
  if ((await produced) !== 0) throw new Error("the producer failed");
  endpoint.send("stop");
  const report = await nextMessage<EndpointReport>(endpoint);
  const seconds = (performance.now() - started) / 1000;
  if (report.delivered + report.dropped !== RECORDS_PER_RUN) {
    throw new Error(
      `delivered ${report.delivered} + dropped ${report.dropped} of ${RECORDS_PER_RUN} records`,
    );
  }
  return { seconds, report };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const options = benchOptions();
  const bundle = buildTransformBundle();
  console.log(
    `Pipeline: ${RECORDS_PER_RUN} records per run in PutRecordBatch calls of ${BATCH} (${CONCURRENCY} in flight) ` +
      `from a producer process; median of ${MEASURED_RUNS} runs after ${WARMUP_RUNS} warm-up` +
      (options.endpointCpus === undefined ? "" : `; endpoint on CPUs ${options.endpointCpus}`),
  );
  for (const scenario of options.scenarios) {
    const runs: RunResult[] = [];
    for (let i = 0; i < WARMUP_RUNS + MEASURED_RUNS; i++) {
      const result = await measure(scenario, bundle.file, options);
      if (i >= WARMUP_RUNS) runs.push(result);
    }
    const mib = median(runs.map((r) => r.report.receivedBytes / MIB / r.seconds));
    const recordsPerSecond = median(runs.map((r) => r.report.received / r.seconds));
    const cpuMib = median(runs.map((r) => r.report.receivedBytes / MIB / r.report.cpuSeconds));
    const recordBytes = runs[0].report.receivedBytes / runs[0].report.received;
    console.log(
      `  ${SCENARIOS[scenario].label}: ${mib.toFixed(1)} MiB/s, ${Math.round(recordsPerSecond)} records/s ` +
        `(${recordBytes.toFixed(0)} B/record); endpoint process ${cpuMib.toFixed(1)} MiB per CPU-second; ` +
        `${mib >= TARGET_MIB_PER_SECOND ? "meets" : "MISSES"} the ${TARGET_MIB_PER_SECOND} MiB/s target`,
    );
  }
  const handler = child("handler", [bundle.file], ENDPOINT_NODE_OPTIONS, options.endpointCpus);
  const alone = await nextMessage<number>(handler);
  console.log(`  transform handler alone on the same events: ${alone.toFixed(1)} MiB per CPU-second`);
}

const [role, ...args] = process.argv.slice(2);
const roles: Record<string, () => Promise<void>> = {
  endpoint: () => endpointProcess(args[0] as ScenarioName, args[1]),
  producer: async () => {
    await producerProcess(args[0], args[1]);
    process.exit(0);
  },
  handler: () => handlerProcess(args[0]),
};
(roles[role] ?? main)().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
