// `npm start` run in-process: its usage errors, the policy gate before anything runs, and the report it prints
// for the committed stacks.
import * as assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { stringify, parse } from "yaml";
import { stackFilePath } from "../../config/stack-file";
import { startCommand } from "../../local/start";
import { tempDir } from "../support/temp-dir";
import { commandOutput, withArgs } from "./command-run";
import { filesUnder } from "./harness";

async function start(...args: string[]) {
  const output = commandOutput();
  const code = await withArgs(args, () => startCommand(output.stdout, output.stderr));
  return { code, out: output.out(), err: output.err() };
}

const rel = (dir: string) => path.relative(process.cwd(), dir);

describe("npm start (in-process)", () => {
  it("prints its help and exits 0", async () => {
    const { code, out, err } = await start("--help");
    assert.equal(code, 0);
    assert.equal(err, "");
    assert.match(
      out,
      /^npm start -- \[options\]\n {2}Runs the stack's S3 pipeline locally on a sample workload/,
    );
    assert.match(out, /\n {2}--events <n> {12}sample events to send \(default: 3000\)\n/);
    assert.match(out, /\n {2}--skip-policy-check {5}run even if/);
    assert.match(out, /\n {2}--keep-lake {13}keep the bucket's earlier objects instead\n$/);
  });

  it("refuses --clean with --keep-lake", async () => {
    await assert.rejects(start("--clean", "--keep-lake"), {
      message: "--clean and --keep-lake contradict each other",
    });
  });

  it("refuses a non-positive --events, naming it", async () => {
    await assert.rejects(start("--events", "0", "--skip-policy-check"), {
      message: '--events must be a positive number, got "0"',
    });
  });

  it("refuses a non-positive --time-scale, naming it", async () => {
    await assert.rejects(start("--time-scale=0", "--skip-policy-check"), {
      message: '--time-scale must be a positive number, got "0"',
    });
  });

  it("refuses a stack the policy pack refuses, naming the policy, and writes nothing", async () => {
    const lake = tempDir("start-refused");
    const { code, out, err } = await start(
      "--config-file",
      "tests/fixtures/Pulumi.bad.yaml",
      "--lake-dir",
      lake,
    );
    assert.equal(code, 1);
    assert.equal(out, "");
    assert.match(err, /^Policy check \(\d+\.\d s\):\n/);
    assert.match(err, /FAILED: 5 mandatory violation\(s\) would block `pulumi up`\./);
    assert.match(err, /\[mandatory\] firehose-buffer-bounds on .* events-stream/);
    assert.match(
      err,
      /\nRefusing to run a stack `pulumi up` would refuse\. Fix the violations above, or run it anyway with --skip-policy-check\.\n$/,
    );
    assert.deepEqual(filesUnder(lake), []);
  });

  it("runs the dev stack with its committed policy config and reports what went where", async () => {
    const now = new Date();
    const lake = tempDir("start-dev");
    // An object of an earlier run, which the default --clean removes.
    mkdirSync(path.join(lake, "firehose-etl-dev-lake", "old"), { recursive: true });
    writeFileSync(path.join(lake, "firehose-etl-dev-lake", "old", "object.json"), "{}\n");
    writeFileSync(path.join(lake, "beside-the-bucket.txt"), "kept\n");
    const result = await start("--events", "100", "--time-scale", "0.01", "--lake-dir", lake);

    assert.equal(result.code, 0, result.err);
    assert.equal(result.err, "");

    // Passes the policy check under policy/config.dev.json.
    assert.match(
      result.out,
      /^Policy check with policy\/config\.dev\.json: no mandatory violation \((\d+\.\d) s\)\n/,
    );
    const seconds = Number(/\((\d+\.\d) s\)/.exec(result.out)?.[1]);
    assert.ok(seconds < 120, `${seconds}`);

    // Names the bundle, the endpoint and the lake.
    const lines = result.out.split("\n");
    assert.match(lines[1], /^Transform bundle: dist\/lambda\/transform\/index\.js \(\d+ bytes\)$/);
    assert.match(
      lines[2],
      new RegExp(
        `^Stack dev: endpoint http://127\\.0\\.0\\.1:\\d+, lake ${rel(lake)}/firehose-etl-dev-lake/$`,
      ),
    );
    assert.equal(lines[3], "");

    // Reports what it sent, what was written and the record balance.
    const month = String(now.getUTCMonth() + 1).padStart(2, "0");
    assert.ok(
      result.out.includes(
        "\nSent 100 records to firehose-etl-dev-events in 1 PutRecordBatch calls:\n" +
          "  96 event, 2 healthcheck, 1 not-an-object, 1 invalid-json\n",
      ),
      result.out,
    );
    assert.ok(
      result.out.includes(
        `\nObjects written to ${rel(lake)}/firehose-etl-dev-lake/:\n` +
          `prefix${" ".repeat(52)}  objects  records  bytes\n` +
          `${"-".repeat(58)}  -------  -------  -----\n` +
          `data/year=${now.getUTCFullYear()}/month=${month}/day=`,
      ),
      result.out,
    );
    assert.ok(
      result.out.includes(
        "\nRecords: 100 in = 96 delivered + 2 in the error prefix + 2 dropped by the transform\nBytes: ",
      ),
      result.out,
    );
    assert.ok(
      result.out.includes(
        `\nTransform log (CloudWatch Logs in AWS): ${rel(lake)}/.logs/firehose-etl-dev-transform.log\n`,
      ),
      result.out,
    );
    assert.ok(
      result.out.includes(
        "\n\nFailed records by reason:\n" +
          "error output type  error code                     records\n" +
          "-----------------  -----------------------------  -------\n" +
          "processing-failed  Lambda.ProcessingFailedStatus        2\n\n",
      ),
      result.out,
    );

    // Ends with the sample query of this month by country and action.
    const sql =
      "SELECT country, action, count(*) AS events\n" +
      "FROM firehose_etl_dev.events\n" +
      `WHERE year = ${now.getUTCFullYear()} AND month = ${now.getUTCMonth() + 1}\n` +
      "GROUP BY country, action\n" +
      "ORDER BY events DESC, country, action\n" +
      "LIMIT 10";
    assert.ok(
      result.out.includes(`\n\nSample query (npm run query -- "<SQL>"):\n${sql}\n\ncountry  action`),
      result.out,
    );
    const rows = result.out.split("\n").slice(-11, -1);
    assert.equal(rows.length, 10);

    // Emptied the bucket of earlier objects, and only the bucket.
    const files = filesUnder(lake);
    assert.ok(files.includes("beside-the-bucket.txt"));
    assert.ok(!files.includes("firehose-etl-dev-lake/old/object.json"));
    assert.ok(files.some((f) => f.startsWith("firehose-etl-dev-lake/data/")));
  });

  it("keeps earlier objects with --keep-lake", async () => {
    const lake = tempDir("start-keep");
    mkdirSync(path.join(lake, "firehose-etl-dev-lake", "old"), { recursive: true });
    writeFileSync(path.join(lake, "firehose-etl-dev-lake", "old", "object.json"), "{}\n");
    const { code, err } = await start(
      "--keep-lake",
      "--skip-policy-check",
      "--events",
      "3",
      "--time-scale",
      "0.01",
      "--lake-dir",
      lake,
    );
    assert.equal(code, 0, err);
    assert.match(err, /^\*{78}\n\* WARNING: --skip-policy-check: the policy check did not run\.\n/);
    assert.ok(filesUnder(lake).includes("firehose-etl-dev-lake/old/object.json"));
  });

  it("exits 1 when records are neither delivered, failed nor dropped (a lake that refuses writes)", async () => {
    const lake = tempDir("start-blocked");
    mkdirSync(path.join(lake, "firehose-etl-dev-lake"), { recursive: true });
    writeFileSync(path.join(lake, "firehose-etl-dev-lake", "data"), "not a folder");
    const consoleError = console.error;
    // The stream reports each failed attempt on the console; the command's own output is what is checked.
    console.error = () => undefined;
    try {
      const { code, out, err } = await start(
        "--keep-lake",
        "--skip-policy-check",
        "--events",
        "3",
        "--time-scale",
        "0.01",
        "--lake-dir",
        lake,
      );
      assert.equal(code, 1, out);
      assert.ok(err.endsWith("\nRecords were lost: 3 neither delivered, failed nor dropped.\n"), err);
      assert.doesNotMatch(out, /Sample query/);
    } finally {
      console.error = consoleError;
    }
  });

  it("queries an Iceberg table by action, one row per unique key, after a policy check without a config", async () => {
    // The committed iceberg stack, upserting by two keys.
    const file = path.join(tempDir("start-iceberg"), "Pulumi.iceberg.yaml");
    const doc = parse(readFileSync(stackFilePath("iceberg"), "utf8"));
    doc.config["firehose-etl:pipelines"][0].destination.tables[0].uniqueKeys = ["event_id", "user_id"];
    writeFileSync(file, stringify(doc));
    const { code, out, err } = await start(
      "--config-file",
      file,
      "--events",
      "20",
      "--time-scale",
      "0.01",
      "--lake-dir",
      tempDir("start-iceberg"),
    );
    assert.equal(code, 0, err);
    assert.match(
      out,
      /^Policy check: no mandatory violation(, \d+ advisory \(npm run check lists them\))? \(\d+\.\d s\)\n/,
    );
    const sql =
      "SELECT action, count(*) AS rows FROM firehose_etl_iceberg.events GROUP BY action ORDER BY rows DESC, action";
    assert.ok(
      out.includes(
        `\n\nSample query over the Iceberg table, one row per event_id, user_id (npm run query -- "<SQL>"):\n${sql}\n\naction`,
      ),
      out,
    );
  });

  it("counts an Iceberg table's rows when it has no action column, and appends when it has no unique key", async () => {
    const file = path.join(tempDir("start-append"), "Pulumi.append.yaml");
    const doc = parse(readFileSync(stackFilePath("iceberg"), "utf8"));
    const table = doc.config["firehose-etl:table"];
    table.columns = table.columns.filter((c: { name: string }) => c.name !== "action");
    delete doc.config["firehose-etl:transform"].dropRules;
    const [pipeline] = doc.config["firehose-etl:pipelines"];
    pipeline.destination.tables = [{ name: "events" }];
    delete pipeline.destination.mode;
    writeFileSync(file, stringify(doc));
    const { code, out, err } = await start(
      "--config-file",
      file,
      "--skip-policy-check",
      "--events",
      "3",
      "--time-scale",
      "0.01",
      "--lake-dir",
      tempDir("start-append"),
    );
    assert.equal(code, 0, err);
    assert.ok(
      out.includes(
        '\n\nSample query over the Iceberg table (npm run query -- "<SQL>"):\n' +
          "SELECT count(*) AS rows FROM firehose_etl_iceberg.events\n\nrows\n",
      ),
      out,
    );
  });

  it("counts the rows when the table lacks the columns of the sample query", async () => {
    const file = path.join(tempDir("start-columns"), "Pulumi.bare.yaml");
    const doc = parse(readFileSync(stackFilePath("dev"), "utf8"));
    const table = doc.config["firehose-etl:table"];
    table.columns = table.columns.filter((c: { name: string }) => c.name !== "country");
    writeFileSync(file, stringify(doc));
    const { code, out, err } = await start(
      "--config-file",
      file,
      "--skip-policy-check",
      "--events",
      "3",
      "--time-scale",
      "0.01",
      "--lake-dir",
      tempDir("start-bare"),
    );
    assert.equal(code, 0, err);
    assert.ok(
      out.includes(
        `\n\nSample query (npm run query -- "<SQL>"):\nSELECT count(*) AS events FROM firehose_etl_dev.events\n\nevents\n`,
      ),
      out,
    );
  });

  it("runs the prod stack's S3 pipeline through its Kinesis stream, listing the streams it skips", async () => {
    const { code, out, err } = await start(
      "--stack",
      "prod",
      "--events",
      "30",
      "--time-scale",
      "0.001",
      "--lake-dir",
      tempDir("start-prod"),
    );
    assert.equal(code, 0, err);
    assert.match(out, /^Policy check with policy\/config\.prod\.json: no mandatory violation/);
    assert.ok(
      out.includes(
        "  stream firehose-etl-prod-warehouse: redshift destination, not simulated locally\n" +
          "  stream firehose-etl-prod-search: opensearch destination, not simulated locally\n",
      ),
      out,
    );
    assert.ok(out.includes("\nSent 30 records to firehose-etl-prod-source in 1 PutRecords calls:\n"), out);
    assert.doesNotMatch(out, /Failed records by reason/);
  });

  it("warns once about the data records in a partition the table's projection hides", async () => {
    const file = path.join(tempDir("start-hidden"), "Pulumi.prod.yaml");
    const doc = parse(readFileSync(stackFilePath("prod"), "utf8"));
    const { destination } = doc.config["firehose-etl:pipelines"][0];
    const [country] = destination.partitioning.fields;
    country.values = country.values.filter((v: string) => v !== "SE");
    // Error objects are no table data: a hidden-looking segment in their prefix is no reason to warn.
    destination.errorOutputPrefix = "errors/country=XX/!{firehose:error-output-type}/";
    writeFileSync(file, stringify(doc));
    const { code, out, err } = await start(
      "--config-file",
      file,
      "--skip-policy-check",
      "--events",
      "100",
      "--time-scale",
      "0.001",
      "--lake-dir",
      tempDir("start-hidden"),
    );
    assert.equal(code, 0, err);
    assert.match(out, /\nerrors\/country=XX\/processing-failed\/ +1 /);
    const warning =
      "warning: records landed in partition country=SE, but the Glue table projects country as one of " +
      `${country.values.join(", ")}: Athena will not read them (nor does npm run query). ` +
      "List the value in the pipeline's partitioning.fields[].values, or map it to a listed one in the transform.\n";
    assert.equal(err.split(warning).length, 2, err);
    assert.equal(err.split("warning: records landed").length, 2, err);
  });

  it("refuses a stack without an S3 or Iceberg pipeline", async () => {
    const file = path.join(tempDir("start-nolake"), "Pulumi.nolake.yaml");
    const doc = parse(readFileSync(stackFilePath("prod"), "utf8"));
    doc.config["firehose-etl:pipelines"] = doc.config["firehose-etl:pipelines"].filter(
      (p: { destination: { type: string } }) => p.destination.type !== "s3",
    );
    writeFileSync(file, stringify(doc));
    const { code, out, err } = await start(
      "--config-file",
      file,
      "--skip-policy-check",
      "--time-scale",
      "0.01",
      "--lake-dir",
      tempDir("start-nolake"),
    );
    assert.equal(code, 1, out);
    assert.match(err, /\nStack nolake has no S3 or Iceberg pipeline: nothing runs locally\.\n$/);
  });
});
