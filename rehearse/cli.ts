// `npm run rehearse -- --stack <dev|prod>` or `-- --config-file <Pulumi.<stack>.yaml>` [--fast] [--keep]:
// the stack's resources through the upstream Terraform AWS provider against moto. Exit 0 when nothing
// failed, 1 on errors, 2 when the stack config is invalid or a tool is missing.
import { parseArgs } from "util";
import { ConfigError } from "../config/settings";
import { loadStackFile, readStackFile } from "../config/stack-file";
import { stackFileFrom, STACK_OPTIONS } from "../config/stack-options";
import { placeholderSecrets } from "../offline/check-stack";
import { evaluateStack } from "../offline/evaluate-stack";
import { findRehearsalTools, formatRehearsal, rehearseStack } from "./rehearse";

const USAGE =
  "usage: npm run rehearse -- [--stack dev|prod | --config-file <Pulumi.<stack>.yaml>] [--fast] [--keep]";

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...STACK_OPTIONS,
      fast: { type: "boolean" },
      keep: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const file = stackFileFrom(values);
  let settings;
  try {
    settings = loadStackFile(file);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const tools = findRehearsalTools();
  if ("missing" in tools) {
    console.error(`cannot rehearse: ${tools.missing}`);
    return 2;
  }
  const fast = values.fast === true;
  console.log(
    `firehose-etl rehearsal: stack ${settings.stack} (${file}, ${settings.region})${fast ? ", fast mode" : ""}`,
  );
  const stack = await evaluateStack(settings, placeholderSecrets(readStackFile(file).raw));
  const result = await rehearseStack(stack, settings.region, tools, {
    fast,
    keep: values.keep === true,
    progress: (line) => console.log(`  ${line}`),
  });
  console.log(formatRehearsal(settings.stack, result));
  return result.errors.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    console.error(USAGE);
    process.exit(2);
  },
);
