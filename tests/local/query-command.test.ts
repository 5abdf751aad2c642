// `npm run query` run in-process: its usage, its output over a lake a local stack wrote, and its SQL errors.
import * as assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { stackFilePath } from "../../config/stack-file";
import { queryCommand } from "../../local/query";
import { settingsOf } from "../support/stacks";
import { tempDir } from "../support/temp-dir";
import { commandOutput, withArgs } from "./command-run";
import { runStack } from "./harness";

async function query(...args: string[]) {
  const output = commandOutput();
  const code = await withArgs(args, () => queryCommand(output.stdout, output.stderr));
  return { code, out: output.out(), err: output.err() };
}

const event = (action: string) =>
  Buffer.from(
    `${JSON.stringify({ event_id: action, user_id: "u", country: "DE", action, amount: 1, ts: "2026-01-02T03:04:05Z" })}\n`,
  );

describe("npm run query (in-process)", () => {
  it("prints its help and exits 0 with --help", async () => {
    const { code, out, err } = await query("--help");
    assert.equal(code, 0);
    assert.equal(err, "");
    assert.match(out, /^npm run query -- \[options\] "<SQL>"\n {2}Runs SQL over the local lake, e\.g\.\n/);
    assert.match(out, /\n {2}--time-scale <factor> {3}multiplies every buffer interval/);
  });

  it("prints its help and exits 1 without exactly one SQL statement", async () => {
    for (const args of [[], ["SELECT 1", "SELECT 2"]]) {
      const { code, out } = await query(...args);
      assert.equal(code, 1, args.join(" "));
      assert.match(out, /^npm run query -- \[options\] "<SQL>"\n/);
    }
  });

  it("refuses a stack without an S3 or Iceberg pipeline", async () => {
    const file = path.join(tempDir("query-nolake"), "Pulumi.nolake.yaml");
    const doc = parse(readFileSync(stackFilePath("prod"), "utf8"));
    doc.config["firehose-etl:pipelines"] = doc.config["firehose-etl:pipelines"].filter(
      (p: { destination: { type: string } }) => p.destination.type !== "s3",
    );
    writeFileSync(file, stringify(doc));
    const { code, out, err } = await query("--config-file", file, "SELECT 1");
    assert.equal(code, 1);
    assert.equal(out, "");
    assert.equal(err, "Stack nolake has no S3 or Iceberg pipeline, so no table to query.\n");
  });

  describe("over the lake the dev stack wrote", () => {
    let lake: string;
    before(async () => {
      lake = tempDir("query-lake");
      const run = await runStack(settingsOf("dev"), { lakeDir: lake, timeScale: 0.001 });
      await run.put([event("click"), event("view")]);
      await run.stop();
    });

    it("prints the rows as a table and counts them", async () => {
      const { code, out, err } = await query(
        "--lake-dir",
        lake,
        "SELECT action, country FROM firehose_etl_dev.events ORDER BY action",
      );
      assert.equal(code, 0, err);
      assert.equal(out, "action  country\n------  -------\nclick   DE\nview    DE\n(2 rows)\n");
    });

    it("says row, not rows, for one", async () => {
      const { out } = await query("--lake-dir", lake, "SELECT count(*) AS n FROM events");
      assert.equal(out, "n\n-\n2\n(1 row)\n");
    });

    it("says rows for none", async () => {
      const { out } = await query("--lake-dir", lake, "SELECT action FROM events WHERE action = 'none'");
      assert.equal(out, "action\n------\n(0 rows)\n");
    });

    it("rejects with DuckDB's message for bad SQL", async () => {
      await assert.rejects(query("--lake-dir", lake, "SELECT nope FROM events"), /nope/);
    });
  });

  it("queries an Iceberg stack's table", async () => {
    const lake = tempDir("query-iceberg");
    const run = await runStack(settingsOf("iceberg"), { lakeDir: lake, timeScale: 0.001 });
    await run.put([event("click")]);
    await run.stop();
    const { code, out, err } = await query(
      "--stack",
      "iceberg",
      "--lake-dir",
      lake,
      "SELECT action FROM firehose_etl_iceberg.events",
    );
    assert.equal(code, 0, err);
    assert.equal(out, "action\n------\nclick\n(1 row)\n");
  });
});
