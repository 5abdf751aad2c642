// The local commands as a user runs them: `npm start` and `npm run serve` refuse a stack the policy check
// refuses, and SIGTERM to `npm run serve` reaches the server, which flushes before it exits.
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { tempDir } from "../support/temp-dir";
import { filesUnder } from "./harness";

const ROOT = path.join(__dirname, "..", "..");

/** Runs `script` as the npm scripts do (tools/register-ts.cjs); resolves with its exit code and output. */
function run(script: string, ...args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(
    process.execPath,
    ["-r", require.resolve("../../tools/register-ts.cjs"), script, ...args],
    {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stderr })));
}

describe("local commands: the policy check comes first", () => {
  const scripts = ["local/start.ts", "local/serve.ts"];
  const lakes = scripts.map(() => tempDir("refused"));
  let outcomes: { code: number | null; stderr: string }[];
  // Both at once: each spends most of its time starting ts-node and evaluating the stack.
  before(async () => {
    outcomes = await Promise.all(
      scripts.map((script, i) =>
        run(script, "--config-file", "tests/fixtures/Pulumi.bad.yaml", "--lake-dir", lakes[i]),
      ),
    );
  });

  scripts.forEach((script, i) => {
    it(`${script} refuses a stack with mandatory violations, and runs nothing`, () => {
      const { code, stderr } = outcomes[i];
      assert.equal(code, 1, stderr);
      assert.match(stderr, /FAILED: 5 mandatory violation\(s\) would block `pulumi up`\./);
      assert.match(stderr, /\[mandatory\] firehose-buffer-bounds on .* events-stream/);
      assert.match(stderr, /run it anyway with --skip-policy-check/);
      assert.deepEqual(filesUnder(lakes[i]), []);
    });
  });
});

describe("local commands: npm run serve and SIGTERM", () => {
  it("SIGTERM to the npm process reaches the server, which flushes and exits 0", async function () {
    if (spawnSync("npm", ["--version"]).status !== 0) this.skip();
    const lake = tempDir("sigterm");
    const npm = spawn(
      "npm",
      ["run", "serve", "--", "--port", "0", "--lake-dir", lake, "--skip-policy-check"],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    npm.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /Local Firehose for stack dev on (http:\/\/[\d.:]+)/.exec(output);
        if (match) resolve(match[1]);
      }, 50);
      npm.once("exit", () => reject(new Error(`exited early:\n${output}`)));
      setTimeout(() => clearInterval(timer), 50_000).unref();
    });
    const body = JSON.stringify({
      DeliveryStreamName: "firehose-etl-dev-events",
      Record: { Data: Buffer.from('{"action":"click"}\n').toString("base64") },
    });
    const answer = await fetch(url, {
      method: "POST",
      headers: {
        "X-Amz-Target": "Firehose_20150804.PutRecord",
        "Content-Type": "application/x-amz-json-1.1",
      },
      body,
    });
    assert.equal(answer.status, 200);
    const server = spawnSync("pgrep", ["-P", String(npm.pid)], { encoding: "utf8" }).stdout.trim();
    // Whatever happens, leave no server behind (one started through a shell outlives npm).
    const descendants = spawnSync("pgrep", ["-f", lake], { encoding: "utf8" })
      .stdout.split("\n")
      .filter(Boolean);
    this.test?.parent?.afterAll(() => {
      for (const pid of descendants) if (existsSync(`/proc/${pid}`)) process.kill(Number(pid), "SIGKILL");
    });
    process.kill(npm.pid as number, "SIGTERM");
    // npm may go first; the server it started must still flush and exit.
    for (let waited = 0; waited < 20_000 && /delivered 1\b/.exec(output) === null; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.match(output, /SIGTERM: flushing every buffer/);
    assert.match(output, /records in 1, delivered 1/);
    assert.ok(
      filesUnder(lake).some((f) => f.startsWith("firehose-etl-dev-lake/data/")),
      output,
    );
    for (let waited = 0; server && existsSync(`/proc/${server}`) && waited < 10_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (server) assert.equal(existsSync(`/proc/${server}`), false, "the server process is gone");
  });
});
