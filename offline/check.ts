// `npm run check -- --stack <dev|prod>` or `-- --config-file <Pulumi.<stack>.yaml>` [--policy-config <file>]
// [--base-ref <git ref>]: the policy pack over the resources a stack would create, offline, and with --base-ref
// the stack's column changes since that ref. Exit 0 when nothing mandatory is violated and no column change is
// breaking, 1 when something is, 2 when the stack config (or the policy config) is invalid.
import { parseArgs } from "util";
import { ConfigError } from "../config/settings";
import { ALLOW_BREAKING_HINT } from "../config/schema-change";
import { loadStackFile, readStackFile } from "../config/stack-file";
import { stackFileFrom, STACK_OPTIONS } from "../config/stack-options";
import { checkAgainstBase } from "./base-schema";
import { PackConfig } from "../policy/lib/pack-config";
import {
  checkStack,
  formatReport,
  loadPolicyConfig,
  placeholderSecrets,
  PolicyConfigError,
} from "./check-stack";

const USAGE =
  "usage: npm run check -- [--stack dev|prod | --config-file <Pulumi.<stack>.yaml>] [--policy-config <file.json>] [--base-ref <git ref>]";

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...STACK_OPTIONS,
      "policy-config": { type: "string" },
      "base-ref": { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const file = stackFileFrom(values);
  let policyConfig: PackConfig = {};
  let settings;
  try {
    if (values["policy-config"]) policyConfig = loadPolicyConfig(values["policy-config"]);
    settings = loadStackFile(file);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof PolicyConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const result = await checkStack(settings, placeholderSecrets(readStackFile(file).raw), policyConfig);
  const title = `firehose-etl offline check: stack ${settings.stack} (${file}, ${settings.region})${
    values["policy-config"] ? ` with policy config ${values["policy-config"]}` : ""
  }`;
  console.log(formatReport(title, result));
  let breaking = 0;
  if (values["base-ref"]) {
    const base = checkAgainstBase(file, values["base-ref"], settings);
    if (base.skipped)
      console.log(`\nColumn changes since ${values["base-ref"]}: not compared, ${base.skipped}`);
    else if (base.breaking.length === 0)
      console.log(`\nColumn changes since ${values["base-ref"]}: none breaking`);
    else {
      console.log(
        `\nColumn changes since ${values["base-ref"]}${base.allowed ? " (allowed by table.allowBreakingSchemaChange)" : ""}:`,
      );
      for (const line of base.breaking) console.log(`  ${line}`);
      if (!base.allowed) {
        console.log(`  ${ALLOW_BREAKING_HINT}`);
        breaking = base.breaking.length;
      }
    }
  }
  return result.mandatory > 0 || breaking > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    console.error(USAGE);
    process.exit(2);
  },
);
