// `npm run check -- --base-ref <ref>`: the pull-request side of the schema guard. Reads the same stack file as
// committed at `ref` (the base branch) and refuses the breaking column changes the deploy-time guard
// (components/table-schema.ts) would refuse, by the same rule (config/schema-change.ts): the stack's table and
// each Redshift pipeline's table.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { breakingChanges, Column, schemaChange } from "../config/schema-change";
import { StackSettings } from "../config/settings";
import { loadStackFile } from "../config/stack-file";

export interface BaseSchemaCheck {
  /** Why nothing was compared (the file is new at the ref), when nothing was. */
  readonly skipped?: string;
  /** Breaking changes, each naming its table and column. */
  readonly breaking: string[];
  /** Whether the stack allows them (`table.allowBreakingSchemaChange`). */
  readonly allowed: boolean;
}

/** The tables of a stack whose columns the guard watches, by a label naming each. */
function tablesOf(settings: StackSettings): Map<string, readonly Column[]> {
  const tables = new Map<string, readonly Column[]>([
    [`${settings.table.database}.${settings.table.name}`, settings.table.columns],
  ]);
  for (const p of settings.pipelines) {
    if (p.destination.type === "redshift")
      tables.set(`redshift ${p.name}.${p.destination.table}`, p.destination.columns);
  }
  return tables;
}

export function checkAgainstBase(file: string, ref: string, settings: StackSettings): BaseSchemaCheck {
  const allowed = settings.table.allowBreakingSchemaChange;
  const absolute = path.resolve(file);
  const cwd = path.dirname(absolute);
  const root = execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd, encoding: "utf8" }).trim();
  const relative = path.relative(root, absolute).split(path.sep).join("/");
  let text: string;
  try {
    text = execFileSync("git", ["show", `${ref}:${relative}`], {
      cwd: root,
      encoding: "utf8",
      stdio: "pipe",
    });
  } catch {
    return { skipped: `${relative} does not exist at ${ref}: no columns to compare`, breaking: [], allowed };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "base-stack-"));
  try {
    const copy = path.join(dir, path.basename(absolute));
    writeFileSync(copy, text);
    let base: Map<string, readonly Column[]>;
    try {
      base = tablesOf(loadStackFile(copy));
    } catch (err) {
      return {
        skipped: `${relative} at ${ref} is not a valid stack file (${String(err).split("\n")[0]})`,
        breaking: [],
        allowed,
      };
    }
    const breaking = [...tablesOf(settings)].flatMap(([label, columns]) => {
      const before = base.get(label);
      return before ? breakingChanges(label, schemaChange(before, columns)) : [];
    });
    return { breaking, allowed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
