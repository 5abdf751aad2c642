/**
 * `npm run bench` (transform part): times the bundled handler on a fixed synthetic batch against a floor loop
 * that does only the irreducible work, and prints records/s, MB/s and the handler/floor ratio (medians). The
 * same batches also run through the handler as it was at BASELINE_REVISION (built from git into dist/), in the
 * same runs, so "before" and "after" share the machine's load.
 */
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from "aws-lambda";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { seededRandom } from "../local/seeded-random";

const ROOT = path.resolve(__dirname, "..");
const BUNDLE = path.join(ROOT, "dist", "lambda", "transform", "index.js");
/**
 * The transform before issue 10's PII work (exact-case paths, no arrays, no detector). BENCH_BASELINE=<revision>
 * compares with another one; BENCH_BASELINE= (empty) skips the comparison.
 */
const BASELINE_REVISION = process.env.BENCH_BASELINE ?? "5fbd967";
const RECORDS = 20_000;
const MIN_RECORD_BYTES = 250;
const MAX_RECORD_BYTES = 300;
const WARMUP_RUNS = 3;
const MEASURED_RUNS = 11;
const TARGET_RATIO = 0.7;

type Handler = (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult>;

interface BatchShape {
  readonly seed: number;
  /** Distinct users (and so e-mail addresses) the events are drawn from. */
  readonly users: number;
}

function syntheticEvent(shape: BatchShape): { event: FirehoseTransformationEvent; bytes: number } {
  const random = seededRandom(shape.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const hex = (length: number): string =>
    Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join("");
  const actions = ["page_view", "page_view", "page_view", "click", "add_to_cart", "search", "purchase"];
  const countries = ["de", "fr", "us", "US", "gb", "es", "it", "nl", "se", "pl", "br", "jp"];
  const devices = ["mobile", "desktop", "tablet"];
  const names = ["anna", "ben", "chloe", "david", "emma", "felix", "grace", "hugo", "ida", "jonas"];
  const start = Date.UTC(2025, 10, 25, 8, 0, 0);
  const records: FirehoseTransformationEvent["records"] = [];
  let bytes = 0;
  for (let i = 0; i < RECORDS; i++) {
    const user = Math.floor(random() * shape.users);
    const at = start + i * 37;
    const event: Record<string, unknown> = {
      event_id: `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
      event_version: i % 10 === 0 ? undefined : 1,
      ts: new Date(at).toISOString(),
      user_id: `u-${user}`,
      email: `${names[user % names.length]}.${user}@example.com`,
      action: i % 100 === 0 ? "healthcheck" : pick(actions),
      country: pick(countries),
      session: { id: `s-${hex(10)}`, device: pick(devices) },
      amount: random() < 0.2 ? Math.round(random() * 20000) / 100 : null,
      page: "",
    };
    const target = MIN_RECORD_BYTES + Math.floor(random() * (MAX_RECORD_BYTES - MIN_RECORD_BYTES + 1));
    const base = JSON.stringify(event).length;
    event.page = `/products/${hex(Math.max(1, target - base - 10))}`;
    const text = JSON.stringify(event);
    if (text.length < MIN_RECORD_BYTES || text.length > MAX_RECORD_BYTES) {
      throw new Error(
        `synthetic record ${i} is ${text.length} bytes, outside ${MIN_RECORD_BYTES}-${MAX_RECORD_BYTES}`,
      );
    }
    bytes += text.length;
    records.push({
      recordId: `4954698668313554428650745793632162567570019247115${String(i).padStart(7, "0")}`,
      approximateArrivalTimestamp: at + 250,
      data: Buffer.from(text, "utf8").toString("base64"),
    });
  }
  const event = {
    invocationId: "bench",
    deliveryStreamArn: "arn:aws:firehose:eu-west-1:123456789012:deliverystream/bench",
    region: "eu-west-1",
    records,
  };
  return { event, bytes };
}

/** The irreducible work of any JSON transform: decode, parse, serialise, encode, one result per record. */
function floor(event: FirehoseTransformationEvent): FirehoseTransformationResult {
  const records = event.records.map((record) => {
    const value: unknown = JSON.parse(Buffer.from(record.data, "base64").toString("utf8"));
    const data = Buffer.from(`${JSON.stringify(value)}\n`, "utf8").toString("base64");
    return { recordId: record.recordId, result: "Ok" as const, data };
  });
  return { records };
}

/**
 * Builds the baseline revision's bundle with that revision's own `lambda/bundle.ts`, extracted under dist/ (so
 * esbuild resolves from this checkout's node_modules). Undefined, with the reason printed, when git cannot.
 */
function baselineBundle(revision: string): string | undefined {
  if (revision === "") return undefined;
  const directory = path.join(ROOT, "dist", "bench-baseline", revision);
  const outfile = path.join(directory, "index.js");
  if (existsSync(outfile)) return outfile;
  try {
    rmSync(directory, { recursive: true, force: true });
    mkdirSync(directory, { recursive: true });
    const archive = execFileSync("git", ["archive", revision, "lambda"], { cwd: ROOT, maxBuffer: 64 << 20 });
    execFileSync("tar", ["-x", "-C", directory], { input: archive });
  } catch (error) {
    console.log(
      `no baseline: cannot extract ${revision} with git (${(error as Error).message.split("\n")[0]})`,
    );
    return undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- that revision's build script, by path
  const build = require(path.join(directory, "lambda", "bundle.ts")) as {
    writeTransformBundle: (outfile: string) => unknown;
  };
  build.writeTransformBundle(outfile);
  return outfile;
}

function setEnvironment(env: Record<string, string>): void {
  for (const name of Object.keys(process.env)) {
    if (/^(PII_|DROP_RULES|FIELD_DEFAULTS|PARTITION_)/.test(name)) delete process.env[name];
  }
  Object.assign(process.env, env);
}

/** A fresh handler from a bundle; it reads process.env on its first invocation. */
function loadHandler(bundle: string): Handler {
  delete require.cache[bundle];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is built at bench time
  return (require(bundle) as { handler: Handler }).handler;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The handler writes one log line per batch; keep it out of the report. */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await work();
  } finally {
    process.stdout.write = write;
  }
}

async function timeHandler(handler: Handler, event: FirehoseTransformationEvent): Promise<number> {
  const started = performance.now();
  const result = await quietly(() => handler(event));
  const ms = performance.now() - started;
  if (result.records.length !== event.records.length) throw new Error("handler lost records");
  return ms;
}

/** Medians of the floor and of each handler, each timed once in every run. */
async function timeRuns(
  handlers: readonly Handler[],
  event: FirehoseTransformationEvent,
): Promise<{ floorMs: number; handlerMs: number[] }> {
  const floorTimes: number[] = [];
  const handlerTimes: number[][] = handlers.map(() => []);
  for (let run = 0; run < WARMUP_RUNS + MEASURED_RUNS; run++) {
    const started = performance.now();
    floor(event);
    const floorMs = performance.now() - started;
    // Alternate the order, so neither handler always runs after the other's garbage.
    const order = handlers.map((_, i) => (run % 2 === 0 ? i : handlers.length - 1 - i));
    const times: number[] = new Array<number>(handlers.length);
    for (const i of order) times[i] = await timeHandler(handlers[i], event);
    if (run >= WARMUP_RUNS) {
      floorTimes.push(floorMs);
      times.forEach((ms, i) => handlerTimes[i].push(ms));
    }
  }
  return { floorMs: median(floorTimes), handlerMs: handlerTimes.map(median) };
}

function rates(ms: number, bytes: number): string {
  const recordsPerSecond = RECORDS / (ms / 1000);
  const megabytesPerSecond = bytes / 1e6 / (ms / 1000);
  return `${ms.toFixed(1).padStart(7)} ms ${Math.round(recordsPerSecond).toLocaleString("en").padStart(10)} rec/s ${megabytesPerSecond.toFixed(1).padStart(6)} MB/s`;
}

interface Scenario {
  readonly name: string;
  readonly shape: BatchShape;
  readonly env: Record<string, string>;
  /** The scenario the issue's target applies to. */
  readonly target: boolean;
}

const KEY = "bench-hmac-key-0123456789abcdef";

const SCENARIOS: readonly Scenario[] = [
  {
    name: "hmac-sha256, 2,000 users",
    shape: { seed: 42, users: 2_000 },
    env: { PII_HASH_KEY: KEY },
    target: true,
  },
  {
    name: "hmac-sha256, every e-mail distinct",
    shape: { seed: 42, users: 1e9 },
    env: { PII_HASH_KEY: KEY },
    target: false,
  },
  {
    name: "hmac-sha256 + partitions + drop rule",
    shape: { seed: 42, users: 2_000 },
    env: {
      PII_HASH_KEY: KEY,
      PARTITION_FIELDS: "country",
      PARTITION_TIME: "hour",
      DROP_RULES: '[{"field":"action","equals":"healthcheck"}]',
    },
    target: false,
  },
  {
    name: "sha256-salt, 2,000 users",
    shape: { seed: 42, users: 2_000 },
    env: { PII_HASH_KEY: KEY, PII_HASH_MODE: "sha256-salt" },
    target: false,
  },
  {
    name: "hmac-sha256, 2,000 users, detector email,phone,card (mask)",
    shape: { seed: 42, users: 2_000 },
    env: { PII_HASH_KEY: KEY, PII_DETECT: "email,phone,card" },
    target: false,
  },
  {
    name: "hmac-sha256, every e-mail distinct, detector email,phone,card (mask)",
    shape: { seed: 42, users: 1e9 },
    env: { PII_HASH_KEY: KEY, PII_DETECT: "email,phone,card" },
    target: false,
  },
];

async function main(): Promise<void> {
  const baseline = baselineBundle(BASELINE_REVISION);
  console.log(
    `transform bench: ${RECORDS} records of ${MIN_RECORD_BYTES}-${MAX_RECORD_BYTES} bytes, median of ${MEASURED_RUNS} runs${baseline === undefined ? "" : `; before = ${BASELINE_REVISION}, timed in the same runs (it ignores PII_DETECT)`}`,
  );
  let failedTarget = false;
  for (const scenario of SCENARIOS) {
    const { event, bytes } = syntheticEvent(scenario.shape);
    setEnvironment(scenario.env);
    const handlers = [loadHandler(BUNDLE), ...(baseline === undefined ? [] : [loadHandler(baseline)])];
    const { floorMs, handlerMs } = await timeRuns(handlers, event);
    const [ratio, before] = handlerMs.map((ms) => floorMs / ms);
    console.log(`\n${scenario.name}`);
    console.log(`  floor   ${rates(floorMs, bytes)}`);
    console.log(`  handler ${rates(handlerMs[0], bytes)}`);
    if (before !== undefined) console.log(`  before  ${rates(handlerMs[1], bytes)}`);
    console.log(
      `  ratio handler/floor ${ratio.toFixed(2)}${before === undefined ? "" : `, before ${before.toFixed(2)}`}${scenario.target ? ` (target >= ${TARGET_RATIO})` : ""}`,
    );
    if (scenario.target && ratio < TARGET_RATIO) failedTarget = true;
  }
  if (failedTarget) process.exitCode = 1;
}

void main();
