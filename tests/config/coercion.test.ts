// `pulumi config set` without `--type` stores strings: one table of cases, read through both config readers (the
// program's, fed by the engine, and the offline tools', reading the stack file), must give the same settings.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { loadPulumiSettings } from "../../config/pulumi-config";
import { ConfigError, StackSettings } from "../../config/settings";
import { loadStackFile, readStackFile, stackFilePath } from "../../config/stack-file";
import { installMockCloud } from "../../offline/mock-cloud";
import { tempDir } from "../support/temp-dir";

interface Case {
  readonly name: string;
  /** The key's value as the stack file holds it (what `pulumi config set` wrote). */
  readonly yaml: Record<string, unknown>;
  /** The same value as the engine passes it to the program. */
  readonly engine: Record<string, string>;
  /** What the settings hold, or the problem reported. */
  readonly expected: ((s: StackSettings) => void) | string;
}

const CASES: Case[] = [
  {
    name: "a boolean set without --type",
    yaml: { "firehose-etl:protect": "false" },
    engine: { "firehose-etl:protect": "false" },
    expected: (s) => assert.equal(s.protect, false),
  },
  {
    name: "a boolean set with --type bool",
    yaml: { "firehose-etl:protect": true },
    engine: { "firehose-etl:protect": "true" },
    expected: (s) => assert.equal(s.protect, true),
  },
  {
    name: "numbers and booleans set with --path without --type",
    yaml: { "firehose-etl:lake": { errorRetentionDays: "5", forceDestroy: "true" } },
    engine: { "firehose-etl:lake": '{"errorRetentionDays":"5","forceDestroy":"true"}' },
    expected: (s) => assert.deepEqual([s.lake.errorRetentionDays, s.lake.forceDestroy], [5, true]),
  },
  {
    name: "a numeric string where the schema wants a string",
    yaml: { "firehose-etl:tags": { costCenter: "1234" } },
    engine: { "firehose-etl:tags": '{"costCenter":"1234"}' },
    expected: (s) => assert.deepEqual(s.tags, { costCenter: "1234" }),
  },
  {
    name: "a string that spells no boolean",
    yaml: { "firehose-etl:protect": "False" },
    engine: { "firehose-etl:protect": "False" },
    expected: 'firehose-etl:protect: Invalid input: expected boolean, received string, got "False"',
  },
  {
    name: "a string that spells no number",
    yaml: { "firehose-etl:lake": { errorRetentionDays: "5 days" } },
    engine: { "firehose-etl:lake": '{"errorRetentionDays":"5 days"}' },
    expected:
      'firehose-etl:lake.errorRetentionDays: Invalid input: expected number, received string, got "5 days"',
  },
  {
    name: "a coerced number still checked against its bounds",
    yaml: { "firehose-etl:lake": { errorRetentionDays: "0" } },
    engine: { "firehose-etl:lake": '{"errorRetentionDays":"0"}' },
    expected: "firehose-etl:lake.errorRetentionDays: Too small: expected number to be >=3, got 0",
  },
];

/** The settings (or the problems) a reader gives. */
function outcome(read: () => StackSettings): StackSettings | string {
  try {
    return read();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.join("\n");
    throw err;
  }
}

describe("config values set without --type: one coercion rule for the program and the offline check", () => {
  const base = readStackFile(stackFilePath("dev")).all;
  const dir = tempDir("coercion");
  afterEach(() => pulumi.runtime.setAllConfig({}));

  for (const c of CASES) {
    it(c.name, () => {
      const file = path.join(dir, "Pulumi.dev.yaml");
      fs.writeFileSync(file, stringify({ config: { ...base, ...c.yaml } }));
      const fromFile = outcome(() => loadStackFile(file));

      installMockCloud("firehose-etl", "dev", "eu-west-1");
      const engineBase = Object.fromEntries(
        Object.entries(base).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
      );
      pulumi.runtime.setAllConfig({ ...engineBase, ...c.engine });
      const fromEngine = outcome(() => loadPulumiSettings().settings);

      if (typeof c.expected === "string") {
        assert.equal(fromFile, c.expected);
        assert.equal(fromEngine, c.expected);
        return;
      }
      assert.ok(typeof fromFile !== "string", fromFile as string);
      assert.ok(typeof fromEngine !== "string", fromEngine as string);
      c.expected(fromFile);
      c.expected(fromEngine);
      assert.deepEqual({ ...fromFile, source: undefined }, { ...fromEngine, source: undefined });
    });
  }
});
