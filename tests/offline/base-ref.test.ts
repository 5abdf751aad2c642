// `npm run check -- --base-ref <ref>`: column changes against the stack file as committed at the base, in a
// throwaway git repository.
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { stackFilePath } from "../../config/stack-file";
import { tempDir } from "../support/temp-dir";

const ROOT = path.join(__dirname, "..", "..");

function repoWithDevStack(): { file: string; edit: (from: string, to: string) => void } {
  const dir = tempDir("base-ref");
  const file = path.join(dir, "Pulumi.dev.yaml");
  writeFileSync(file, readFileSync(stackFilePath("dev")));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q");
  git("add", ".");
  git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "base");
  return {
    file,
    edit: (from, to) => {
      const text = readFileSync(file, "utf8");
      assert.ok(text.includes(from), from);
      writeFileSync(file, text.replace(from, to));
    },
  };
}

function check(file: string, ...args: string[]) {
  const run = spawnSync(
    process.execPath,
    [
      "-r",
      require.resolve("../../tools/register-ts.cjs"),
      "offline/check.ts",
      "--config-file",
      file,
      ...args,
    ],
    { cwd: ROOT, encoding: "utf8" },
  );
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("offline check against the base branch's stack file (--base-ref)", function () {
  this.timeout(60_000);

  it("passes an added column, refuses a removed and a retyped one naming each, and lets allowBreakingSchemaChange through", () => {
    const repo = repoWithDevStack();
    repo.edit(
      "      - { name: source, type: string }",
      "      - { name: source, type: string }\n      - { name: tier, type: string }",
    );
    const added = check(repo.file, "--base-ref", "HEAD");
    assert.equal(added.code, 0, added.stdout + added.stderr);
    assert.match(added.stdout, /Column changes since HEAD: none breaking/);

    repo.edit("      - { name: event_version, type: int }\n", "");
    repo.edit("      - { name: amount, type: double }", "      - { name: amount, type: string }");
    const broken = check(repo.file, "--base-ref", "HEAD");
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /firehose_etl_dev\.events: column 'event_version' \(int\) is removed/);
    assert.match(
      broken.stdout,
      /firehose_etl_dev\.events: column 'amount' changes type from double to string/,
    );
    assert.match(broken.stdout, /table\.allowBreakingSchemaChange: true/);

    repo.edit("    name: events\n", "    name: events\n    allowBreakingSchemaChange: true\n");
    const allowed = check(repo.file, "--base-ref", "HEAD");
    assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
    assert.match(allowed.stdout, /allowed by table\.allowBreakingSchemaChange/);
  });

  it("says so and compares nothing when the file does not exist at the ref", () => {
    const repo = repoWithDevStack();
    const dir = path.dirname(repo.file);
    const renamed = path.join(dir, "Pulumi.other.yaml");
    writeFileSync(renamed, readFileSync(repo.file));
    const result = check(renamed, "--base-ref", "HEAD");
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /not compared, Pulumi\.other\.yaml does not exist at HEAD/);
  });
});
