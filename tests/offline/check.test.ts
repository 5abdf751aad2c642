import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { loadStackFile, readStackFile, stackFilePath } from "../../config/stack-file";
import { checkStack, placeholderSecrets } from "../../offline/check-stack";

const ROOT = path.join(__dirname, "..", "..");

/** Runs `npm run check -- <args>` as a user would, without npm's banner. */
function runCheck(...args: string[]) {
  const run = spawnSync(
    process.execPath,
    ["-r", require.resolve("../../tools/register-ts.cjs"), "offline/check.ts", ...args],
    { cwd: ROOT, encoding: "utf8" },
  );
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("offline policy check (npm run check)", () => {
  for (const stack of ["dev", "prod"] as const) {
    it(`finds no mandatory violation in the committed ${stack} stack with its policy config`, async () => {
      const file = stackFilePath(stack);
      const config = JSON.parse(fs.readFileSync(path.join(ROOT, "policy", `config.${stack}.json`), "utf8"));
      const result = await checkStack(
        loadStackFile(file),
        placeholderSecrets(readStackFile(file).raw),
        config,
      );
      assert.deepEqual(
        result.violations.filter((v) => v.level === "mandatory"),
        [],
      );
      assert.ok(result.resources.length > 20);
    });
  }

  it("exits 0 on the committed Iceberg example (Pulumi.iceberg.yaml), with the prod policy config too", () => {
    for (const extra of [[], ["--policy-config", "policy/config.prod.json"]]) {
      const { code, stdout, stderr } = runCheck("--config-file", "Pulumi.iceberg.yaml", ...extra);
      assert.equal(code, 0, stdout + stderr);
      assert.match(stdout, /PASSED: no mandatory violation\./);
    }
  });

  it("exits 1 on a stack AWS would reject, naming each violation", () => {
    const { code, stdout } = runCheck("--config-file", "tests/fixtures/Pulumi.bad.yaml");
    assert.equal(code, 1, stdout);
    for (const expected of [
      "[mandatory] firehose-buffer-bounds on aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream events-stream",
      "extendedS3Configuration.bufferingSize must be at least 64 MiB when dynamic partitioning is enabled, got 32 MiB",
      "extendedS3Configuration.prefix uses !{partitionKeyFromQuery:tenant} but MetadataExtractionQuery '{country:.country}'",
      'extendedS3Configuration.errorOutputPrefix "errors/!{timestamp:yyyy}/" has expressions but not !{firehose:error-output-type}',
      'extendedS3Configuration.compressionFormat is "GZIP" with format conversion enabled; AWS requires UNCOMPRESSED',
      "[advisory] firehose-prefix-timestamp-patterns",
      "FAILED: 5 mandatory violation(s) would block `pulumi up`.",
    ]) {
      assert.ok(stdout.includes(expected), `missing: ${expected}\n${stdout}`);
    }
    assert.match(stdout, /firehose-etl:ingest:DeliveryStream events \(6\)/);
  });

  it("exits 0 on the dev stack, listing its resources by component", () => {
    const { code, stdout } = runCheck("--stack", "dev", "--policy-config", "policy/config.dev.json");
    assert.equal(code, 0, stdout);
    assert.match(stdout, /firehose-etl:storage:DataLake lake \(\d+\)/);
    assert.match(stdout, /PASSED: no mandatory violation\./);
  });

  it("exits 2 with every config problem on an invalid stack file", () => {
    const { code, stderr } = runCheck("--config-file", "tests/fixtures/Pulumi.invalid.yaml");
    assert.equal(code, 2);
    assert.equal(
      stderr.trim(),
      [
        "Invalid stack config in tests/fixtures/Pulumi.invalid.yaml:",
        '  - firehose-etl:environment: Invalid option: expected one of "dev"|"prod", got "staging"',
        "  - firehose-etl:table.columns: Too small: expected array to have >=1 items, got []",
        "  - firehose-etl:pipelines[0].destination.buffer.sizeMiB: Too big: expected number to be <=128, got 500",
      ].join("\n"),
    );
  });

  it("exits 2 on a policy config that names no policy of the pack", () => {
    const { code, stderr } = runCheck(
      "--stack",
      "dev",
      "--policy-config",
      "tests/fixtures/policy-config.bad.json",
    );
    assert.equal(code, 2);
    assert.match(stderr, /firehose-buffer-bound: no such policy in the pack/);
  });
});
