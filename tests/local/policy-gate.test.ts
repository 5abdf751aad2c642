// The policy gate of `npm start` and `npm run serve`: the stack's policy check with the committed config of its
// stack by default, refusing a stack with mandatory violations, or skipped on request under a banner.
import * as assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { loadStackFile, stackFilePath } from "../../config/stack-file";
import { passesPolicyCheck, POLICY_CHECK_HELP, POLICY_CHECK_OPTIONS } from "../../local/policy-gate";
import { tempDir } from "../support/temp-dir";

const BAD = "tests/fixtures/Pulumi.bad.yaml";

async function gate(file: string, options: Parameters<typeof passesPolicyCheck>[2]) {
  const logged: string[] = [];
  const warned: string[] = [];
  const passes = await passesPolicyCheck(
    file,
    loadStackFile(file),
    options,
    (line) => logged.push(line),
    (line) => warned.push(line),
  );
  return { passes, logged, warned };
}

/** The seconds a line reports the check took. */
function secondsIn(line: string): number {
  const match = /\((\d+\.\d) s\)/.exec(line);
  assert.ok(match, line);
  return Number(match[1]);
}

describe("local: the policy gate", () => {
  it("documents and declares its two flags", () => {
    assert.equal(
      POLICY_CHECK_HELP,
      "  --policy-config <file>  policy pack config for the policy check (default: policy/config.<stack>.json if present)\n" +
        "  --skip-policy-check     run even if the stack has mandatory policy violations (prints a warning banner)",
    );
    assert.deepEqual(POLICY_CHECK_OPTIONS, {
      "policy-config": { type: "string" },
      "skip-policy-check": { type: "boolean", default: false },
    });
  });

  it("skipped on request, passes any stack under a banner without checking it", async () => {
    const { passes, logged, warned } = await gate(BAD, { "skip-policy-check": true });
    assert.equal(passes, true);
    assert.deepEqual(logged, []);
    assert.deepEqual(warned, [
      [
        "*".repeat(78),
        "* WARNING: --skip-policy-check: the policy check did not run.",
        "* `pulumi up` refuses a stack with mandatory violations; what runs here may be a pipeline AWS will not",
        "* build. Run `npm run check` to see them.",
        "*".repeat(78),
      ].join("\n"),
    ]);
  });

  it("passes the dev stack under its committed policy/config.dev.json", async () => {
    const { passes, logged, warned } = await gate(stackFilePath("dev"), { "skip-policy-check": false });
    assert.equal(passes, true);
    assert.deepEqual(warned, []);
    assert.equal(logged.length, 1);
    assert.match(
      logged[0],
      /^Policy check with policy\/config\.dev\.json: no mandatory violation \(\d+\.\d s\)$/,
    );
    assert.ok(secondsIn(logged[0]) < 60, logged[0]);
  });

  it("refuses a stack with mandatory violations, naming each policy, and says how to go on", async () => {
    const { passes, logged, warned } = await gate(BAD, {});
    assert.equal(passes, false);
    assert.deepEqual(logged, []);
    assert.equal(warned.length, 2);
    assert.match(warned[0], /^Policy check \(\d+\.\d s\):\nPolicy violations: 5 mandatory, 1 other\n/);
    assert.ok(secondsIn(warned[0]) < 60, warned[0]);
    assert.match(warned[0], /\n {2}\[mandatory\] firehose-format-conversion on .* events-stream\n/);
    assert.match(warned[0], /FAILED: 5 mandatory violation\(s\) would block `pulumi up`\./);
    assert.equal(
      warned[1],
      "Refusing to run a stack `pulumi up` would refuse. Fix the violations above, or run it anyway with --skip-policy-check.",
    );
  });

  it("uses the config given, naming it, and counts the advisory violations it leaves", async () => {
    const config = path.join(tempDir("policy-gate"), "advisory.json");
    const advisory = ["firehose-buffer-bounds", "firehose-prefix-expressions", "firehose-error-prefix"];
    writeFileSync(
      config,
      JSON.stringify(
        Object.fromEntries([...advisory, "firehose-format-conversion"].map((p) => [p, "advisory"])),
      ),
    );
    const { passes, logged, warned } = await gate(BAD, { "policy-config": config });
    assert.equal(passes, true, warned.join("\n"));
    assert.deepEqual(warned, []);
    assert.match(
      logged[0],
      new RegExp(
        `^Policy check with ${path.relative(process.cwd(), config).replace(/[.]/g, "\\.")}: ` +
          "no mandatory violation, 6 advisory \\(npm run check lists them\\) \\(\\d+\\.\\d s\\)$",
      ),
    );
  });

  it("names the config it refuses under", async () => {
    const config = path.join(tempDir("policy-gate"), "empty.json");
    writeFileSync(config, "{}");
    const { passes, warned } = await gate(BAD, { "policy-config": config });
    assert.equal(passes, false);
    assert.ok(warned[0].startsWith(`Policy check with ${path.relative(process.cwd(), config)} (`), warned[0]);
  });

  it("checks a stack without a committed config under the pack's defaults", async () => {
    const { passes, logged } = await gate(stackFilePath("iceberg"), {});
    assert.equal(passes, true);
    assert.match(
      logged[0],
      /^Policy check: no mandatory violation(, \d+ advisory \(npm run check lists them\))? \(\d+\.\d s\)$/,
    );
  });
});
