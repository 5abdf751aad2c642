/**
 * `npm run bench` (offline check part): wall time of `npm run check` as a user runs it (a new node process,
 * esbuild's type stripping, the program under Pulumi's mocks, every policy), for the committed stacks and for
 * stacks of 1, 5, 10 and 20 pipelines, median of several runs, with the findings of each so a faster check is
 * seen to find the same. Target: prod under 3 s on this machine, and a cost per pipeline that stays flat.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { readStackFile, stackFilePath } from "../config/stack-file";
import { tempDir } from "../tests/support/temp-dir";

const ROOT = path.resolve(__dirname, "..");
const RUNS = 5;
const TARGET_SECONDS = 3;

/** Seconds and the verdict line of one `npm run check -- <args>` (node started directly, without npm's own start). */
function timeCheck(args: string[]): { seconds: number; verdict: string } {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ["-r", "./tools/register-ts.cjs", "offline/check.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const verdict = run.stdout.split("\n").find((line) => line.startsWith("Policy violations:"));
  if (verdict === undefined) throw new Error(`npm run check -- ${args.join(" ")} failed:\n${run.stderr}`);
  return { seconds, verdict };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(label: string, args: string[]): number {
  const runs = Array.from({ length: RUNS }, () => timeCheck(args));
  const seconds = median(runs.map((r) => r.seconds));
  console.log(`${label.padEnd(16)} ${seconds.toFixed(2)} s (median of ${RUNS})  ${runs[0].verdict}`);
  return seconds;
}

/** The dev stack's file with its one S3 pipeline joined by `count - 1` HTTP pipelines. */
function stackWithPipelines(dir: string, count: number): string {
  const { all } = readStackFile(stackFilePath("dev"));
  const pipelines = all["firehose-etl:pipelines"] as { name: string }[];
  const extra = Array.from({ length: count - 1 }, (_, i) => ({
    name: `hook${i + 1}`,
    destination: {
      type: "http",
      url: `https://intake.example.com/${i}`,
      buffer: { sizeMiB: 4, intervalSeconds: 60 },
    },
  }));
  const file = path.join(dir, `Pulumi.p${count}.yaml`);
  // The HTTP pipelines' access key, encrypted as `pulumi config set --secret` writes it (offline: a placeholder).
  const accessKey = count > 1 ? { "firehose-etl:httpEndpointAccessKey": { secure: "v1:bench" } } : {};
  writeFileSync(
    file,
    stringify({ config: { ...all, ...accessKey, "firehose-etl:pipelines": [pipelines[0], ...extra] } }),
  );
  return file;
}

function main(): void {
  console.log(`offline check (npm run check), target: prod under ${TARGET_SECONDS} s`);
  measure("dev", ["--stack", "dev"]);
  const prod = measure("prod", ["--stack", "prod"]);
  const dir = tempDir("bench-check");
  const byCount = [1, 5, 10, 20].map((count) => ({
    count,
    seconds: measure(`${count} pipeline(s)`, ["--config-file", stackWithPipelines(dir, count)]),
  }));
  const first = byCount[0];
  const last = byCount[byCount.length - 1];
  const perPipeline = ((last.seconds - first.seconds) / (last.count - first.count)) * 1000;
  console.log(`per pipeline: ${perPipeline.toFixed(0)} ms (from 1 to 20 pipelines)`);
  console.log(
    prod < TARGET_SECONDS
      ? "prod within the target"
      : `prod over the target by ${(prod - TARGET_SECONDS).toFixed(2)} s`,
  );
}

main();
