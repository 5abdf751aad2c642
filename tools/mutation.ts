// `npm run mutation -- [folder...]`: Stryker over each folder, killed by that folder's own tests only (a mutant
// that only an end-to-end test notices counts as surviving), one folder after another, then each folder's score.
// With the whole suite behind every mutant a run took about 12 s a mutant; with a folder's own tests, 2-3 s.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** Each mutated folder and the tests that must kill its mutants. */
export const MUTATION_SCOPES: Readonly<
  Record<string, { mutate: string[]; spec: string[]; ignore?: string[] }>
> = {
  "policy/rules": {
    mutate: ["policy/rules/**/*.ts", "policy/lib/**/*.ts"],
    spec: ["tests/policy/**/*.test.ts"],
  },
  "lambda/transform": { mutate: ["lambda/transform/**/*.ts"], spec: ["tests/lambda/**/*.test.ts"] },
  local: {
    mutate: ["local/**/*.ts"],
    spec: ["tests/local/**/*.test.ts"],
    // These run the local run as a child process (`npm start`, `serve` and `kill -9`), which never loads a mutant.
    ignore: ["tests/local/commands.test.ts", "tests/local/journal.test.ts"],
  },
  // tests/offline evaluates whole stacks (40 s a run): an end-to-end test, and behind each of config/'s static
  // mutants (zod schemas built when a module loads) it made the folder a run of hours.
  config: { mutate: ["config/**/*.ts"], spec: ["tests/config/**/*.test.ts"] },
};

const ROOT = path.join(__dirname, "..");
const REPORTS = path.join(ROOT, "reports", "mutation");

interface MutantResult {
  readonly status: string;
}

/** Stryker's mutation score: detected (killed or timed out) over valid mutants (compile errors and ignored excluded). */
export function mutationScore(files: Record<string, { mutants: MutantResult[] }>) {
  const count = (status: string) =>
    Object.values(files).reduce((n, f) => n + f.mutants.filter((m) => m.status === status).length, 0);
  const detected = count("Killed") + count("Timeout");
  const undetected = count("Survived") + count("NoCoverage");
  return { detected, undetected, score: (100 * detected) / Math.max(1, detected + undetected) };
}

function run(scope: string, extraArgs: string[]): { detected: number; undetected: number; score: number } {
  const { mutate, spec, ignore } = MUTATION_SCOPES[scope];
  const base = JSON.parse(readFileSync(path.join(ROOT, "stryker.config.json"), "utf8")) as Record<
    string,
    unknown
  >;
  const slug = scope.replace(/\//g, "-");
  const reportFile = path.join(REPORTS, `${slug}.json`);
  const config = {
    ...base,
    mutate,
    mochaOptions: { config: ".mocharc.json", spec, ignore },
    jsonReporter: { fileName: path.relative(ROOT, reportFile) },
    // Its own sandbox folder, so that two folders can be measured at once.
    tempDirName: `.stryker-tmp-${slug}`,
  };
  delete (config as Record<string, unknown>)._comment;
  mkdirSync(REPORTS, { recursive: true });
  const configFile = path.join(REPORTS, `${slug}.stryker.json`);
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const result = spawnSync("npx", ["stryker", "run", configFile, ...extraArgs], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error(`stryker over ${scope} exited ${result.status}`);
  const report = JSON.parse(readFileSync(reportFile, "utf8")) as {
    files: Record<string, { mutants: MutantResult[] }>;
  };
  return mutationScore(report.files);
}

function main(argv: string[]): number {
  const flags = argv.filter((a) => a.startsWith("--"));
  const scopes = argv.filter((a) => !a.startsWith("--")).map((a) => a.replace(/\/+$/, ""));
  for (const scope of scopes) {
    if (!(scope in MUTATION_SCOPES)) {
      console.error(`unknown folder '${scope}': one of ${Object.keys(MUTATION_SCOPES).join(", ")}`);
      return 2;
    }
  }
  const lines = (scopes.length > 0 ? scopes : Object.keys(MUTATION_SCOPES)).map((scope) => {
    const { detected, undetected, score } = run(scope, flags);
    return `${scope}: ${score.toFixed(1)}% (${detected} detected, ${undetected} undetected)`;
  });
  console.log(`mutation scores (each folder against its own tests):\n  ${lines.join("\n  ")}`);
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
