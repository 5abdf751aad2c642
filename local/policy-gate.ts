// Before `npm start` or `npm run serve` runs a stack, the same policy check as `npm run check`
// (offline/check-stack.ts): a stack `pulumi up` would refuse is refused here too, so the local run never shows
// a pipeline AWS will not build. `--skip-policy-check` runs it anyway, under a banner.
import * as fs from "node:fs";
import * as path from "node:path";
import { readStackFile } from "../config/stack-file";
import { StackSettings } from "../config/settings";
import { checkStack, formatViolations, loadPolicyConfig, placeholderSecrets } from "../offline/check-stack";

export const POLICY_CHECK_HELP = `  --policy-config <file>  policy pack config for the policy check (default: policy/config.<stack>.json if present)
  --skip-policy-check     run even if the stack has mandatory policy violations (prints a warning banner)`;

export const POLICY_CHECK_OPTIONS = {
  "policy-config": { type: "string" },
  "skip-policy-check": { type: "boolean", default: false },
} as const;

const SKIPPED_BANNER = [
  "*".repeat(78),
  "* WARNING: --skip-policy-check: the policy check did not run.",
  "* `pulumi up` refuses a stack with mandatory violations; what runs here may be a pipeline AWS will not",
  "* build. Run `npm run check` to see them.",
  "*".repeat(78),
].join("\n");

/** The stack's policy config: the one given, else the committed `policy/config.<stack>.json`, else none. */
function policyConfigFile(settings: StackSettings, given: string | undefined): string | undefined {
  if (given) return given;
  const committed = path.join(__dirname, "..", "policy", `config.${settings.stack}.json`);
  return fs.existsSync(committed) ? committed : undefined;
}

/**
 * Runs the policy check of the stack in `file`, printing its outcome and how long it took. True when the local
 * run may go on: no mandatory violation, or the check skipped on request.
 */
export interface PolicyCheckValues {
  readonly "policy-config"?: string;
  readonly "skip-policy-check"?: boolean;
}

export async function passesPolicyCheck(
  file: string,
  settings: StackSettings,
  options: PolicyCheckValues,
  log: (line: string) => void = console.log,
  warn: (line: string) => void = console.error,
): Promise<boolean> {
  if (options["skip-policy-check"]) {
    warn(SKIPPED_BANNER);
    return true;
  }
  const configFile = policyConfigFile(settings, options["policy-config"]);
  const started = process.hrtime.bigint();
  const result = await checkStack(
    settings,
    placeholderSecrets(readStackFile(file).raw),
    configFile ? loadPolicyConfig(configFile) : {},
  );
  const seconds = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
  const under = configFile ? ` with ${path.relative(process.cwd(), configFile)}` : "";
  if (result.mandatory === 0) {
    const advisory = result.violations.length;
    log(
      `Policy check${under}: no mandatory violation${advisory > 0 ? `, ${advisory} advisory (npm run check lists them)` : ""} (${seconds} s)`,
    );
    return true;
  }
  warn(`Policy check${under} (${seconds} s):\n${formatViolations(result)}`);
  warn(
    "Refusing to run a stack `pulumi up` would refuse. Fix the violations above, or run it anyway with --skip-policy-check.",
  );
  return false;
}
