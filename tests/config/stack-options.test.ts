// The `--stack` / `--config-file` flags every command chooses its stack with.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "node:util";
import { STACK_HELP, STACK_OPTIONS, settingsFrom, stackFileFrom } from "../../config/stack-options";
import { stackFilePath } from "../../config/stack-file";
import { tempDir } from "../support/temp-dir";

const flags = (...args: string[]) => parseArgs({ args, options: STACK_OPTIONS, strict: true }).values;

describe("stack options", () => {
  it("parses --stack and --config-file as strings, the stack defaulting to dev", () => {
    assert.deepEqual({ ...flags() }, { stack: "dev" });
    assert.deepEqual(
      { ...flags("--stack", "prod", "--config-file", "x/Pulumi.a.yaml") },
      { stack: "prod", "config-file": "x/Pulumi.a.yaml" },
    );
  });

  it("describes both flags and the default in the help text", () => {
    assert.match(
      STACK_HELP,
      /^ {2}--stack <name> +stack whose committed Pulumi\.<name>\.yaml to use \(default: dev\)$/m,
    );
    assert.match(
      STACK_HELP,
      /^ {2}--config-file <path> +a stack file to use instead \(Pulumi\.<stack>\.yaml\)$/m,
    );
  });

  it("names the committed stack file of --stack, of dev without flags, and the --config-file over both", () => {
    assert.equal(stackFileFrom({}), stackFilePath("dev"));
    assert.equal(stackFileFrom({ stack: "prod" }), stackFilePath("prod"));
    assert.equal(stackFileFrom({ stack: "prod", "config-file": "x/Pulumi.a.yaml" }), "x/Pulumi.a.yaml");
    assert.equal(stackFilePath("dev"), path.join(__dirname, "..", "..", "Pulumi.dev.yaml"));
  });

  it("loads the settings of the stack the flags name", () => {
    assert.equal(settingsFrom({ stack: "prod" }).stack, "prod");
    assert.equal(settingsFrom({}).stack, "dev");
    const copy = path.join(tempDir("stack-options"), "Pulumi.copy.yaml");
    fs.copyFileSync(stackFilePath("prod"), copy);
    const settings = settingsFrom({ stack: "dev", "config-file": copy });
    assert.equal(settings.stack, "copy");
    assert.equal(settings.environment, "prod");
  });
});
