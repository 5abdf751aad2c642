// `npm run query -- "<SQL>"`: DuckDB over the local lake, with the stack's Glue table as a view
// (`<database>.<table>` and `<table>`) and its Hive-style partition columns, so Athena-style queries run as is,
// and a view per Iceberg table its streams write.
import { Console } from "node:console";
import * as path from "node:path";
import { settingsFrom } from "../config/stack-options";
import { COMMON_HELP, COMMON_OPTIONS, parseCommandLine } from "./cli-options";
import { declareStack } from "./declared-stack";
import { openLakeQuery } from "./lake-query";
import { localIcebergTablesOf, localTableOf } from "./local-stack";
import { formatTable } from "./report";

const HELP = `npm run query -- [options] "<SQL>"
  Runs SQL over the local lake, e.g.
  npm run query -- "SELECT country, action, count(*) FROM firehose_etl_dev.events WHERE year = 2026 GROUP BY 1, 2"
${COMMON_HELP}`;

/** `npm run query` with the command line in `process.argv`, writing to `stdout` and `stderr`: the exit code. */
export async function queryCommand(
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const out = new Console({ stdout, stderr });
  const { values, positionals } = parseCommandLine(COMMON_OPTIONS);
  if (values.help || positionals.length !== 1) {
    out.log(HELP);
    return values.help ? 0 : 1;
  }
  const settings = settingsFrom(values);
  const declared = await declareStack(settings);
  const lakeDir = path.resolve(values["lake-dir"]);
  const table = localTableOf(declared, lakeDir);
  const icebergTables = localIcebergTablesOf(declared, lakeDir);
  if (!table && icebergTables.length === 0) {
    out.error(`Stack ${settings.stack} has no S3 or Iceberg pipeline, so no table to query.`);
    return 1;
  }
  const query = await openLakeQuery(table, icebergTables);
  try {
    const result = await query.run(positionals[0]);
    out.log(formatTable(result.columns, result.rows));
    out.log(`(${result.rows.length} row${result.rows.length === 1 ? "" : "s"})`);
  } finally {
    query.close();
  }
  return 0;
}

// Stryker disable all: the entry point runs only in a child process (tests/local/commands.test.ts)
if (require.main === module) {
  queryCommand().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
// Stryker restore all
