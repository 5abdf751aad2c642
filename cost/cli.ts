// `npm run cost -- --stack <name> --rate <MiB/s> --record-bytes <n>`: what a stack will cost per month and what
// objects it will write, before it is deployed. Exit 0 with the estimate, 2 on bad input.
import { parseArgs } from "util";
import { ConfigError, StackSettings } from "../config/settings";
import { loadStackFile } from "../config/stack-file";
import { stackFileFrom, STACK_OPTIONS } from "../config/stack-options";
import { declaredResources } from "./declared";
import { Estimate, estimateStack } from "./estimate";
import { loadPriceTable } from "./price-table";
import { formatMarkdown, formatText, toJson } from "./report";
import { DEFAULT_USAGE, UsageDefaults, resolveUsage } from "./usage";

const HELP = `npm run cost -- --stack <name> --rate <MiB/s> --record-bytes <n> [options]
  --stack <name> | --config-file <Pulumi.<stack>.yaml>   the stack (default: dev)
  --rate <MiB/s>          record data each pipeline receives while active (required)
  --record-bytes <n>      mean bytes per record as sent (required)
  --partitions <n>        active values per partition key (default ${DEFAULT_USAGE.partitions})
  --hours-active <n>      hours per day the producers send (default ${DEFAULT_USAGE.hoursActive})
  --athena-tb <n>         TB Athena scans per month (default ${DEFAULT_USAGE.athenaTb})
  --usage <file.yaml>     per-pipeline overrides (see the README)
  --prices <file.json>    a price table instead of cost/prices/<region>.json
  --json                  one JSON object instead of tables
  --markdown              a Markdown summary (for a pull request's job summary)
  --compare <file>        with --markdown: also estimate this stack file (the base branch's) and show the change`;

export class UsageError extends Error {}

function numberOption(name: string, text: string | undefined, fallback?: number): number {
  if (text === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value))
    throw new UsageError(`--${name} must be a number, got '${text}'`);
  if (value < 0) throw new UsageError(`--${name} must be at least 0, got ${value}`);
  return value;
}

export async function runCost(argv: string[]): Promise<{ code: number; out: string }> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...STACK_OPTIONS,
      rate: { type: "string" },
      "record-bytes": { type: "string" },
      partitions: { type: "string" },
      "hours-active": { type: "string" },
      "athena-tb": { type: "string" },
      usage: { type: "string" },
      prices: { type: "string" },
      json: { type: "boolean", default: false },
      markdown: { type: "boolean", default: false },
      compare: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return { code: 0, out: HELP };
  const defaults: UsageDefaults = {
    rateMiBps: numberOption("rate", values.rate),
    recordBytes: numberOption("record-bytes", values["record-bytes"]),
    partitions: numberOption("partitions", values.partitions, DEFAULT_USAGE.partitions),
    hoursActive: numberOption("hours-active", values["hours-active"], DEFAULT_USAGE.hoursActive),
    athenaTb: numberOption("athena-tb", values["athena-tb"], DEFAULT_USAGE.athenaTb),
    storageMonth: DEFAULT_USAGE.storageMonth,
  };
  const estimateOf = async (file: string, usageFile?: string): Promise<Estimate> => {
    const settings: StackSettings = loadStackFile(file);
    const usage = resolveUsage(
      settings.pipelines.map((p) => p.name),
      defaults,
      usageFile,
    );
    const prices = loadPriceTable(settings.region, values.prices);
    return estimateStack(settings, await declaredResources(settings), usage, prices);
  };
  const estimate = await estimateOf(stackFileFrom(values), values.usage);
  if (values.json) return { code: 0, out: JSON.stringify(toJson(estimate), null, 2) };
  if (values.markdown) {
    // The base stack may lack pipelines the usage file names: price it with the command line's usage only.
    const base = values.compare ? await estimateOf(values.compare) : undefined;
    return { code: 0, out: formatMarkdown(estimate, base) };
  }
  return { code: 0, out: formatText(estimate) };
}

if (require.main === module) {
  runCost(process.argv.slice(2)).then(
    ({ code, out }) => {
      console.log(out);
      process.exit(code);
    },
    (err: unknown) => {
      const expected = err instanceof UsageError || err instanceof ConfigError || err instanceof Error;
      console.error(err instanceof Error ? err.message : err);
      process.exit(expected ? 2 : 1);
    },
  );
}
