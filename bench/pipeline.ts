/**
 * `npm run bench` (pipeline part): a producer process sends PutRecordBatch calls of 500 realistic events with
 * the AWS SDK over loopback to an endpoint process, which runs them through the transform bundle, partitioning
 * and GZIP to disk. Prints sustained MiB/s and records/s (median of several runs) from the first request to the
 * last object on disk, and the endpoint process's MiB per CPU-second (the machine may be shared). Then the floors:
 * each stage the pipeline cannot do without, alone on the same events, in MiB per CPU-second (the endpoint
 * answering PutRecordBatch with nothing behind it, the transform handler, GZIP of the transformed records), and
 * the ceiling they leave: what one core could carry if everything else (batching, partitioning, writing,
 * garbage collection) were free. Each scenario runs with the journal (as `npm run serve` does: every acknowledged
 * record appended and fdatasync'ed before the answer) and without, alternately, and prints the ratio.
 *
 * The endpoint runs as `npm run serve` does, with a 64 MiB young generation: the pipeline allocates a short-lived
 * object or two per record, and V8's default scavenges cost about a fifth of the CPU (measured).
 *
 * Options: `--scenario <name>` runs one scenario; `--endpoint-cpus <list>` confines the endpoint process (all
 * its threads, zlib's thread pool included) to those CPUs with `taskset -c`, for the "one core" figure, and the
 * producer to the other CPUs, so that it does not take the endpoint's;
 * `--cpu-prof <dir>` writes the endpoint's and the producer's CPU profiles under `<dir>/endpoint` and
 * `<dir>/producer`.
 */
import { PutRecordBatchCommand } from "@aws-sdk/client-firehose";
import { ChildProcess, fork } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { StackSettings } from "../config/settings";
import { transformEnvironment } from "../config/transform-environment";
import { EndpointStream, PutEntry, startEndpoint } from "../local/endpoint";
import { gzipObject } from "../local/gzip-object";
import { declareStack } from "../local/declared-stack";
import { createLocalStack } from "../local/local-stack";
import { localFirehoseClient } from "../local/producer";
import { RecordData } from "../local/records";
import { sampleEvents } from "../local/sample-workload";
import { buildTransformBundle, LOCAL_PII_HASH_KEY, loadTransformHandler } from "../local/transform-bundle";
import { settingsOf } from "../tests/support/stacks";
import { tempDir } from "../tests/support/temp-dir";

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
    // Direct PUT, so one producer measures the same stream as in dev (the source does not change its cost).
    raw.source = { type: "direct-put" };
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

/** What the endpoint process runs behind the endpoint: its flush, and its counts once flushed. */
interface Backend {
  readonly directory: Parameters<typeof startEndpoint>[0];
  close(): Promise<Omit<EndpointReport, "cpuSeconds">>;
}

/**
 * What runs behind the endpoint: the scenario's stack (journaling every acknowledged record, as `npm run serve`
 * does, or not), or nothing at all (the API floor).
 */
type BackendKind = "stack" | "stack-no-journal" | "api-floor";

/** The scenario's local stack, writing into a temporary lake that is removed when the process exits. */
async function stackBackend(scenario: ScenarioName, bundleFile: string, journal: boolean): Promise<Backend> {
  const lakeDir = tempDir("bench");
  const stack = createLocalStack(await declareStack(settingsFor(scenario)), { lakeDir, bundleFile, journal });
  return {
    directory: stack,
    close: async () => {
      await stack.close();
      return stack.streams[0].counts();
    },
  };
}

/** A stream that accepts every record and keeps nothing: the endpoint's own cost, the API floor. */
function apiFloorBackend(scenario: ScenarioName): Backend {
  const name = SCENARIOS[scenario].stream;
  let received = 0;
  let receivedBytes = 0;
  const stream: EndpointStream = {
    name,
    encrypted: false,
    directPut: true,
    description: () => ({}),
    put: async (records: readonly RecordData[]): Promise<PutEntry[]> =>
      records.map((record) => {
        received++;
        receivedBytes += record.bytes;
        return { RecordId: String(received).padStart(56, "0") };
      }),
  };
  return {
    directory: {
      names: () => [name],
      find: (n) => (n === name ? stream : undefined),
      findSource: () => undefined,
    },
    close: async () => ({ received, receivedBytes, delivered: received, dropped: 0 }),
  };
}

/** Child role: the endpoint and its backend; reports the counts and CPU time once flushed. */
async function endpointProcess(scenario: ScenarioName, bundleFile: string, kind: BackendKind): Promise<void> {
  const backend =
    kind === "api-floor"
      ? apiFloorBackend(scenario)
      : await stackBackend(scenario, bundleFile, kind === "stack");
  const endpoint = await startEndpoint(backend.directory);
  process.once("message", async () => {
    const cpu = process.cpuUsage();
    process.once("message", async () => {
      await endpoint.close();
      const counts = await backend.close();
      const used = process.cpuUsage(cpu);
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

/** What the handler process measured, in MiB of record data per CPU-second. */
interface StageFloors {
  readonly handler: number;
  readonly gzip: number;
}

/**
 * Child role: the transform handler alone on the same events in 1 MiB batches (the processor buffer), then GZIP
 * alone on its output in objects of the dev stack's 5 MiB buffer.
 */
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
  // One warm-up run, which keeps the output for GZIP; measured runs keep nothing, as Lambda would not.
  const outputs: Buffer[] = [];
  for (const batch of batches) for (const data of okData(await handler(batch))) outputs.push(data);
  const handlerRuns: number[] = [];
  for (let i = 0; i < MEASURED_RUNS; i++) {
    const cpu = process.cpuUsage();
    for (const batch of batches) await handler(batch);
    const used = process.cpuUsage(cpu);
    handlerRuns.push(bytes / MIB / ((used.user + used.system) / 1e6));
  }
  const objects = inObjectsOf(outputs, 5 * MIB);
  const gzipRuns: number[] = [];
  for (let i = 0; i < WARMUP_RUNS + MEASURED_RUNS; i++) {
    const cpu = process.cpuUsage();
    for (const object of objects) await gzipObject(object);
    const used = process.cpuUsage(cpu);
    if (i >= WARMUP_RUNS) gzipRuns.push(bytes / MIB / ((used.user + used.system) / 1e6));
  }
  const floors: StageFloors = { handler: median(handlerRuns), gzip: median(gzipRuns) };
  process.send?.(floors, () => process.exit(0));
}

/** The data of a transformation result's Ok records. */
function okData(result: unknown): Buffer[] {
  const records = (result as { records: { result: string; data?: string }[] }).records;
  return records.filter((r) => r.result === "Ok").map((r) => Buffer.from(r.data as string, "base64"));
}

/** `records` concatenated into objects of about `size` bytes, as a buffer of that size hint closes them. */
function inObjectsOf(records: readonly Buffer[], size: number): Buffer[] {
  const objects: Buffer[] = [];
  let current: Buffer[] = [];
  let bytes = 0;
  for (const record of records) {
    current.push(record);
    bytes += record.length;
    if (bytes >= size) {
      objects.push(Buffer.concat(current));
      current = [];
      bytes = 0;
    }
  }
  if (current.length > 0) objects.push(Buffer.concat(current));
  return objects;
}

/** `cpus`: run the child under `taskset -c <cpus>`, so it and every thread it starts stay on those CPUs. */
function child(role: string, args: string[], nodeOptions: string[] = [], cpus?: string): ChildProcess {
  const execArgv = [...nodeOptions, "-r", require.resolve("../tools/register-ts.cjs"), "--no-warnings"];
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
  /** The CPUs left for the producer when the endpoint is confined. */
  readonly producerCpus?: string;
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
  const endpointCpus = values["endpoint-cpus"];
  return {
    scenarios: scenario === undefined ? all : [scenario as ScenarioName],
    endpointCpus,
    producerCpus: endpointCpus === undefined ? undefined : otherCpus(endpointCpus),
    cpuProfDir: values["cpu-prof"],
  };
}

/** The machine's CPUs not in `list` (taskset's syntax: `0`, `0,2`, `1-3`), or undefined when none is left. */
function otherCpus(list: string): string | undefined {
  const taken = new Set<number>();
  for (const part of list.split(",")) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!match) throw new Error(`--endpoint-cpus must be a CPU list such as 0 or 0,2 or 1-3, got ${list}`);
    const from = Number(match[1]);
    for (let cpu = from; cpu <= Number(match[2] ?? from); cpu++) taken.add(cpu);
  }
  const rest = os
    .cpus()
    .map((_, cpu) => cpu)
    .filter((cpu) => !taken.has(cpu));
  return rest.length > 0 ? rest.join(",") : undefined;
}

/** Node options that write the role's CPU profiles under `--cpu-prof <dir>/<role>`. */
function profiling(options: BenchOptions, role: string): string[] {
  const dir = options.cpuProfDir;
  return dir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${path.join(dir, role)}`];
}

/** One run of the scenario with `kind` behind the endpoint. */
async function measure(
  scenario: ScenarioName,
  kind: BackendKind,
  bundleFile: string,
  options: BenchOptions,
): Promise<RunResult> {
  const endpoint = child(
    "endpoint",
    [scenario, bundleFile, kind],
    [...ENDPOINT_NODE_OPTIONS, ...profiling(options, "endpoint")],
    options.endpointCpus,
  );
  const url = await nextMessage<string>(endpoint);
  const producer = child(
    "producer",
    [url, SCENARIOS[scenario].stream],
    profiling(options, "producer"),
    options.producerCpus,
  );
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

interface Summary {
  readonly mibPerSecond: number;
  readonly recordsPerSecond: number;
  readonly cpuMib: number;
  readonly recordBytes: number;
}

/**
 * Medians over the measured runs, after the warm-up, for each backend kind: the kinds' runs alternate, so that a
 * change in the machine's load falls on all of them alike.
 */
async function measureRuns(
  scenario: ScenarioName,
  kinds: readonly BackendKind[],
  bundleFile: string,
  options: BenchOptions,
): Promise<Summary[]> {
  const runs: RunResult[][] = kinds.map(() => []);
  for (let i = 0; i < WARMUP_RUNS + MEASURED_RUNS; i++) {
    for (const [k, kind] of kinds.entries()) {
      const result = await measure(scenario, kind, bundleFile, options);
      if (i >= WARMUP_RUNS) runs[k].push(result);
    }
  }
  return runs.map((of) => ({
    mibPerSecond: median(of.map((r) => r.report.receivedBytes / MIB / r.seconds)),
    recordsPerSecond: median(of.map((r) => r.report.received / r.seconds)),
    cpuMib: median(of.map((r) => r.report.receivedBytes / MIB / r.report.cpuSeconds)),
    recordBytes: of[0].report.receivedBytes / of[0].report.received,
  }));
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
      (options.endpointCpus === undefined
        ? ""
        : `; endpoint on CPUs ${options.endpointCpus}, producer on ${options.producerCpus ?? "any"}`),
  );
  for (const scenario of options.scenarios) {
    const [run, unjournaled] = await measureRuns(
      scenario,
      ["stack", "stack-no-journal"],
      bundle.file,
      options,
    );
    console.log(
      `  ${SCENARIOS[scenario].label}: ${run.mibPerSecond.toFixed(1)} MiB/s, ` +
        `${Math.round(run.recordsPerSecond)} records/s (${run.recordBytes.toFixed(0)} B/record); ` +
        `endpoint process ${run.cpuMib.toFixed(1)} MiB per CPU-second; ` +
        `${run.mibPerSecond >= TARGET_MIB_PER_SECOND ? "meets" : "MISSES"} the ${TARGET_MIB_PER_SECOND} MiB/s target`,
    );
    console.log(
      `    without the journal: ${unjournaled.mibPerSecond.toFixed(1)} MiB/s, ` +
        `${unjournaled.cpuMib.toFixed(1)} MiB per CPU-second; with it / without: ` +
        `${(run.mibPerSecond / unjournaled.mibPerSecond).toFixed(2)} (MiB/s), ` +
        `${(run.cpuMib / unjournaled.cpuMib).toFixed(2)} (per CPU-second)`,
    );
  }
  console.log("Floors: each stage alone on the same events, MiB of record data per CPU-second");
  const [{ cpuMib: api }] = await measureRuns("dev", ["api-floor"], bundle.file, options);
  console.log(`  endpoint answering PutRecordBatch with nothing behind it: ${api.toFixed(1)}`);
  const handler = child("handler", [bundle.file], ENDPOINT_NODE_OPTIONS, options.endpointCpus);
  const floors = await nextMessage<StageFloors>(handler);
  console.log(`  transform handler (dev stack's settings): ${floors.handler.toFixed(1)}`);
  console.log(`  GZIP of the transformed records in 5 MiB objects: ${floors.gzip.toFixed(1)}`);
  const ceiling = 1 / (1 / api + 1 / floors.handler + 1 / floors.gzip);
  console.log(
    `  ceiling on one core if batching, partitioning, writing and GC were free: ${ceiling.toFixed(1)}`,
  );
}

const [role, ...args] = process.argv.slice(2);
const roles: Record<string, () => Promise<void>> = {
  endpoint: () => endpointProcess(args[0] as ScenarioName, args[1], args[2] as BackendKind),
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
