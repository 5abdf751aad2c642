// `npm run check -- --stack <dev|prod>` or `-- --config-file <Pulumi.<stack>.yaml>` [--policy-config <file>]:
// the policy pack over the resources a stack would create, offline. Exit 0 when nothing mandatory is violated,
// 1 when something is, 2 when the stack config (or the policy config) is invalid.
import { parseArgs } from "util";
import { ConfigError } from "../config/settings";
import { loadStackFile, readStackFile, stackFilePath } from "../config/stack-file";
import { PackConfig } from "../policy/lib/pack-config";
import {
  checkStack,
  formatReport,
  loadPolicyConfig,
  placeholderSecrets,
  PolicyConfigError,
} from "./check-stack";

const USAGE =
  "usage: npm run check -- [--stack dev|prod | --config-file <Pulumi.<stack>.yaml>] [--policy-config <file.json>]";

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: "string" },
      "config-file": { type: "string" },
      "policy-config": { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const file = values["config-file"] ?? stackFilePath(values.stack ?? "dev");
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
  return result.mandatory > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    console.error(USAGE);
    process.exit(2);
  },
);
