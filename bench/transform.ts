/**
 * `npm run bench` (transform part): times the bundled handler on a fixed synthetic batch against a floor loop
 * that does only the irreducible work, and prints records/s, MB/s and the handler/floor ratio (medians).
 */
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from "aws-lambda";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { seededRandom } from "../local/seeded-random";

const BUNDLE = path.resolve(__dirname, "..", "dist", "lambda", "transform", "index.js");
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

function loadHandler(env: Record<string, string>): Handler {
  for (const name of Object.keys(process.env)) {
    if (/^(PII_|DROP_RULES|FIELD_DEFAULTS|PARTITION_)/.test(name)) delete process.env[name];
  }
  Object.assign(process.env, env);
  delete require.cache[BUNDLE];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is built at bench time
  return (require(BUNDLE) as { handler: Handler }).handler;
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

async function timeRuns(
  handler: Handler,
  event: FirehoseTransformationEvent,
): Promise<{ floorMs: number; handlerMs: number }> {
  const floorTimes: number[] = [];
  const handlerTimes: number[] = [];
  for (let run = 0; run < WARMUP_RUNS + MEASURED_RUNS; run++) {
    let started = performance.now();
    floor(event);
    const floorMs = performance.now() - started;
    started = performance.now();
    const result = await quietly(() => handler(event));
    const handlerMs = performance.now() - started;
    if (result.records.length !== event.records.length) throw new Error("handler lost records");
    if (run >= WARMUP_RUNS) {
      floorTimes.push(floorMs);
      handlerTimes.push(handlerMs);
    }
  }
  return { floorMs: median(floorTimes), handlerMs: median(handlerTimes) };
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
];

async function main(): Promise<void> {
  console.log(
    `transform bench: ${RECORDS} records of ${MIN_RECORD_BYTES}-${MAX_RECORD_BYTES} bytes, median of ${MEASURED_RUNS} runs`,
  );
  let failedTarget = false;
  for (const scenario of SCENARIOS) {
    const { event, bytes } = syntheticEvent(scenario.shape);
    const handler = loadHandler(scenario.env);
    const { floorMs, handlerMs } = await timeRuns(handler, event);
    const ratio = floorMs / handlerMs;
    console.log(`\n${scenario.name}`);
    console.log(`  floor   ${rates(floorMs, bytes)}`);
    console.log(`  handler ${rates(handlerMs, bytes)}`);
    console.log(
      `  ratio handler/floor ${ratio.toFixed(2)}${scenario.target ? ` (target >= ${TARGET_RATIO})` : ""}`,
    );
    if (scenario.target && ratio < TARGET_RATIO) failedTarget = true;
  }
  if (failedTarget) process.exitCode = 1;
}

void main();
