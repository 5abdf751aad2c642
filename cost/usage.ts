// How much traffic each pipeline carries: from the command line (the same for every pipeline) and, per pipeline,
// from a `--usage` YAML file. Everything the estimate assumes about traffic is here, with its default.
import * as fs from "fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/** Firehose's largest record: 1,000 KiB (PutRecord). */
const MAX_RECORD_BYTES = 1000 * 1024;

const pipelineUsage = z.strictObject({
  /** MiB/s of record data sent while the pipeline is active. */
  rateMiBps: z.number().min(0),
  /** Mean bytes per record as the producer sends it. */
  recordBytes: z.number().int().min(1).max(MAX_RECORD_BYTES),
  /** Active values of each partition key (dynamic partitioning): `n` keys give n^keys buffers. */
  partitions: z.number().int().min(1),
  /** Hours per day the producers send at `rateMiBps` (and Redshift runs queries). */
  hoursActive: z.number().min(0).max(24),
  /** Bytes written per byte sent; default: the format's ratio in `object-model.ts`. */
  bytesWrittenRatio: z.number().positive().optional(),
  /** The transform's CPU time per record on one vCPU, in microseconds (default: the benchmark's). */
  transformMicrosPerRecord: z.number().positive().optional(),
  /** Firehose's jq processing hours per month (inline partitioning); default: estimated per record. */
  jqHoursPerMonth: z.number().min(0).optional(),
});

export type PipelineUsage = z.output<typeof pipelineUsage>;

const usageFile = z.strictObject({
  /** TB Athena scans per month over the whole lake. */
  athenaTb: z.number().min(0).optional(),
  /** Storage is priced as held in this month of running (data accumulates until lifecycle rules move it). */
  storageMonth: z.number().int().min(1).max(120).optional(),
  pipelines: z.record(z.string(), pipelineUsage.partial()).default({}),
});

export interface StackUsage {
  readonly pipelines: ReadonlyMap<string, PipelineUsage>;
  readonly athenaTb: number;
  readonly storageMonth: number;
}

/** What `--rate`, `--record-bytes`, ... say, applied to every pipeline before the usage file's overrides. */
export interface UsageDefaults extends PipelineUsage {
  readonly athenaTb: number;
  readonly storageMonth: number;
}

export const DEFAULT_USAGE: Omit<UsageDefaults, "rateMiBps" | "recordBytes"> = {
  partitions: 1,
  hoursActive: 24,
  athenaTb: 0,
  storageMonth: 12,
};

/** Every pipeline's usage: `defaults`, overridden per pipeline by `file` (which may name only these pipelines). */
export function resolveUsage(
  pipelineNames: readonly string[],
  defaults: UsageDefaults,
  file?: string,
): StackUsage {
  const { athenaTb, storageMonth, ...perPipeline } = defaults;
  const base = pipelineUsage.safeParse(perPipeline);
  if (!base.success) throw usageError("command line", base.error, defaults);
  const doc = file ? readUsageFile(file) : { pipelines: {} };
  const pipelines = new Map<string, PipelineUsage>();
  for (const [name, overrides] of Object.entries(doc.pipelines)) {
    if (!pipelineNames.includes(name)) {
      throw new Error(
        `${file}: pipelines.${name}: no such pipeline in the stack (it has ${pipelineNames.join(", ")})`,
      );
    }
    pipelines.set(name, { ...base.data, ...overrides });
  }
  for (const name of pipelineNames) if (!pipelines.has(name)) pipelines.set(name, base.data);
  return {
    pipelines,
    athenaTb: doc.athenaTb ?? athenaTb,
    storageMonth: doc.storageMonth ?? storageMonth,
  };
}

function readUsageFile(file: string): z.output<typeof usageFile> {
  const doc: unknown = parseYaml(fs.readFileSync(file, "utf8"));
  const parsed = usageFile.safeParse(doc ?? {});
  if (!parsed.success) throw usageError(file, parsed.error, doc);
  return parsed.data;
}

function usageError(source: string, error: z.ZodError, values: unknown): Error {
  const lines = error.issues.map((issue) => {
    let value: unknown = values;
    for (const part of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[part];
    const got = value === undefined ? "it is missing" : `got ${JSON.stringify(value)}`;
    return `${issue.path.join(".")}: ${issue.message}, ${got}`;
  });
  return new Error(`invalid usage (${source}):\n${lines.map((l) => `  - ${l}`).join("\n")}`);
}
