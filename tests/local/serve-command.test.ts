// `npm run serve` run in-process: its usage, the policy gate, what it prints while serving and what a signal's
// flush prints and exits with.
import { PutRecordBatchCommand } from "@aws-sdk/client-firehose";
import * as assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { stackFilePath } from "../../config/stack-file";
import { Serving, serveCommand } from "../../local/serve";
import { localFirehoseClient } from "../../local/producer";
import { tempDir } from "../support/temp-dir";
import { commandOutput, CommandOutput, withArgs } from "./command-run";
import { filesUnder } from "./harness";

async function serve(output: CommandOutput, ...args: string[]) {
  return withArgs(args, () => serveCommand(output.stdout, output.stderr, 5));
}

/** Resolves once `condition` holds, checking every few milliseconds. */
async function until(condition: () => boolean, what: () => string): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 10_000) assert.fail(`timed out waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Whether nothing listens on `port` of the loopback interface. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

async function putRecords(url: string, actions: string[]) {
  const client = localFirehoseClient(url, "eu-west-1");
  try {
    return await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: "firehose-etl-dev-events",
        Records: actions.map((action) => ({
          // A record that is not JSON fails the transform.
          Data: Buffer.from(
            action === "not json" ? "not json\n" : `${JSON.stringify({ action, country: "DE" })}\n`,
          ),
        })),
      }),
    );
  } finally {
    client.destroy();
  }
}

/** An old object in the dev bucket under `lake`, and its path relative to the lake. */
function oldObject(lake: string): string {
  mkdirSync(path.join(lake, "firehose-etl-dev-lake", "old"), { recursive: true });
  writeFileSync(path.join(lake, "firehose-etl-dev-lake", "old", "object.json"), "{}\n");
  return "firehose-etl-dev-lake/old/object.json";
}

const urlIn = (out: string) =>
  /^Local Firehose for stack \w+ on (http:\/\/127\.0\.0\.1:\d+) \(region eu-west-1\)$/m.exec(out)?.[1];

describe("npm run serve (in-process)", () => {
  it("prints its help and exits 0", async () => {
    const output = commandOutput();
    assert.equal(await serve(output, "--help"), 0);
    assert.match(
      output.out(),
      /^npm run serve -- \[options\]\n {2}Serves the stack's S3 pipelines on a local Firehose endpoint until Ctrl-C\.\n/,
    );
    assert.match(output.out(), /\n {2}--port <n> {14}endpoint port on 127\.0\.0\.1 \(default: 4573\)\n/);
    assert.match(output.out(), /records over it fail with "Slow down\."\n$/);
  });

  it("refuses a stack the policy pack refuses and serves nothing", async () => {
    const output = commandOutput();
    const lake = tempDir("serve-refused");
    assert.equal(
      await serve(output, "--config-file", "tests/fixtures/Pulumi.bad.yaml", "--lake-dir", lake),
      1,
    );
    assert.equal(output.out(), "");
    assert.match(output.err(), /run it anyway with --skip-policy-check\.\n$/);
    assert.deepEqual(filesUnder(lake), []);
  });

  it("refuses a non-positive --put-quota-mib, naming it", async () => {
    await assert.rejects(serve(commandOutput(), "--put-quota-mib", "0", "--skip-policy-check"), {
      message: '--put-quota-mib must be a positive number, got "0"',
    });
  });

  it("serves the dev stack until SIGTERM, printing progress, then flushes and reports", async () => {
    const output = commandOutput();
    const lake = tempDir("serve-dev");
    const old = oldObject(lake);
    const served = (await serve(
      output,
      "--port",
      "0",
      "--time-scale",
      "0.01",
      "--lake-dir",
      lake,
    )) as Serving;
    const url = urlIn(output.out()) ?? assert.fail(output.out());
    await until(() => output.out().includes("records in 0,"), output.out);
    await putRecords(url, ["click", "healthcheck", "view", "not json"]);
    await until(() => output.out().includes("records in 4,"), output.out);
    const stopping = served.stop("SIGTERM");
    assert.equal(served.stop("SIGINT"), stopping);
    const code = await stopping;

    // Says where it serves, what, and how to put records.
    const lines = output.out().split("\n");
    assert.match(lines[0], /^Policy check with policy\/config\.dev\.json: no mandatory violation/);
    assert.deepEqual(lines.slice(1, 8), [
      `Local Firehose for stack dev on ${url} (region eu-west-1)`,
      "  stream firehose-etl-dev-events",
      `Objects go to ${path.relative(process.cwd(), lake)}/firehose-etl-dev-lake/; query them with npm run query.`,
      `Producers: AWS SDK with endpoint ${url}, any credentials; e.g. with the AWS CLI v1`,
      `  aws firehose put-record --endpoint-url ${url} --delivery-stream-name firehose-etl-dev-events --record '{"Data":"{\\"action\\":\\"click\\"}\\n"}'`,
      "  (the AWS CLI v2 reads Data as base64: add --cli-binary-format raw-in-base64-out)",
      "records in 0, delivered 0, failed 0, dropped 0, buffered 0",
    ]);

    // Prints a progress line when the counts change, and only then.
    const progress = output
      .out()
      .split("\n")
      .filter((l) => l.startsWith("records in"));
    assert.equal(progress[0], "records in 0, delivered 0, failed 0, dropped 0, buffered 0");
    assert.match(progress[1], /^records in 4, delivered 0, failed [01], dropped [01], buffered [234]$/);
    progress.slice(1).forEach((line, i) => assert.notEqual(line, progress[i]));

    // Flushes once on the first signal, prints the outcome and exits 0.
    assert.equal(code, 0);
    assert.equal(output.err(), "");
    const out = output.out();
    assert.equal(out.split("flushing every buffer").length, 2);
    // Table columns are padded to their widest cell: compared with runs of spaces as one.
    const flushed = out.slice(out.indexOf("\n\nSIGTERM: ")).replace(/ +/g, " ");
    const day = "year=\\d+/month=\\d+/day=\\d+/";
    const expected = [
      "",
      "",
      "SIGTERM: flushing every buffer\\.\\.\\.",
      "records in 4, delivered 2, failed 1, dropped 1, buffered 0",
      "",
      "firehose-etl-dev-events:",
      "prefix objects records bytes",
      "-+ -+ -+ -+",
      `data/${day} 1 2 \\d+`,
      `errors/events/processing-failed/${day} 1 1 \\d+`,
      "Bytes: \\d+ in, \\d+ written to data objects \\(bytesWrittenRatio [\\d.]+\\)",
      "error output type error code records",
      "-+ -+ -+",
      "processing-failed Lambda\\.ProcessingFailedStatus 1",
      "",
    ];
    assert.match(flushed, new RegExp(`^${expected.join("\n")}$`));
    assert.ok(filesUnder(lake).some((f) => f.startsWith("firehose-etl-dev-lake/data/")));

    // Kept the bucket's earlier objects (no --clean).
    assert.ok(filesUnder(lake).includes(old));
  });

  describe("when the lake refuses a write", () => {
    const consoleError = console.error;
    // The stream reports each failed attempt on the console; the command's own output is what is checked.
    beforeEach(() => (console.error = () => undefined));
    afterEach(() => (console.error = consoleError));

    it("says how many acknowledged records it could not deliver and exits 1", async () => {
      const lake = tempDir("serve-blocked");
      mkdirSync(path.join(lake, "firehose-etl-dev-lake"), { recursive: true });
      writeFileSync(path.join(lake, "firehose-etl-dev-lake", "data"), "not a folder");
      const output = commandOutput();
      const served = (await serve(
        output,
        "--port",
        "0",
        "--skip-policy-check",
        "--time-scale",
        "0.01",
        "--lake-dir",
        lake,
      )) as Serving;
      const url = urlIn(output.out()) ?? assert.fail(output.out());
      await putRecords(url, ["click", "view"]);
      assert.equal(await served.stop("SIGTERM"), 1);
      assert.ok(
        output.err().endsWith("\n2 acknowledged records were not delivered (see above).\n"),
        output.err(),
      );
    });
  });

  it("listens on port 4573 unless told otherwise", async function () {
    // A `npm run serve` of the developer's own holds that port; it is not this test's to take.
    if (!(await portIsFree(4573))) {
      console.log("    skipped: something already listens on 127.0.0.1:4573");
      this.skip();
    }
    const output = commandOutput();
    const served = (await serve(
      output,
      "--skip-policy-check",
      "--lake-dir",
      tempDir("serve-port"),
    )) as Serving;
    try {
      assert.equal(urlIn(output.out()), "http://127.0.0.1:4573");
      await putRecords("http://127.0.0.1:4573", ["click"]);
    } finally {
      await served.stop("SIGTERM");
    }
    // A stream that wrote objects but failed no record: no table of failures.
    assert.match(output.out(), /\nfirehose-etl-dev-events:\nprefix/);
    assert.doesNotMatch(output.out(), /error output type/);
  });

  it("with --clean, empties the bucket first; stopped before any record, it lists no stream", async () => {
    const output = commandOutput();
    const lake = tempDir("serve-clean");
    const old = oldObject(lake);
    const served = (await serve(
      output,
      "--clean",
      "--port",
      "0",
      "--skip-policy-check",
      "--lake-dir",
      lake,
    )) as Serving;
    assert.ok(!filesUnder(lake).includes(old));
    assert.equal(await served.stop("SIGTERM"), 0);
    assert.ok(
      output
        .out()
        .endsWith(
          "\n\nSIGTERM: flushing every buffer...\nrecords in 0, delivered 0, failed 0, dropped 0, buffered 0\n",
        ),
      output.out(),
    );
  });

  for (const tty of [false, true]) {
    it(`warns once about records in a partition the projection hides${tty ? ", on a line of its own on a terminal" : ""}`, async () => {
      const file = path.join(tempDir("serve-hidden"), "Pulumi.prod.yaml");
      const doc = parse(readFileSync(stackFilePath("prod"), "utf8"));
      doc.config["firehose-etl:source"] = { type: "direct-put" };
      const { destination } = doc.config["firehose-etl:pipelines"][0];
      destination.partitioning.fields[0].values = ["DE"];
      // Error objects are no table data: a hidden-looking segment in their prefix is no reason to warn.
      destination.errorOutputPrefix = "errors/country=XX/!{firehose:error-output-type}/";
      writeFileSync(file, stringify(doc));
      const output = commandOutput({ tty });
      const served = (await serve(
        output,
        "--config-file",
        file,
        "--port",
        "0",
        "--skip-policy-check",
        "--time-scale",
        "0.001",
        "--lake-dir",
        tempDir("serve-hidden"),
      )) as Serving;
      const url = urlIn(output.out()) ?? assert.fail(output.out());
      const client = localFirehoseClient(url, "eu-west-1");
      const record = (c: string) => ({
        Data: Buffer.from(
          c === "not json"
            ? "not json\n"
            : `${JSON.stringify({ event_id: "e", action: "click", country: c, ts: "2026-01-02T03:04:05Z" })}\n`,
        ),
      });
      try {
        for (const [countries, settled] of [
          [["SE", "DE"], "delivered 2"],
          [["SE"], "delivered 3"],
          [["not json"], "failed 1"],
        ] as const) {
          await client.send(
            new PutRecordBatchCommand({
              DeliveryStreamName: "firehose-etl-prod-lake",
              Records: countries.map(record),
            }),
          );
          await until(() => output.out().includes(settled), output.out);
        }
      } finally {
        client.destroy();
      }
      assert.equal(await served.stop("SIGTERM"), 0);
      assert.match(output.out(), /\nerrors\/country=XX\/processing-failed\/ +1 +1 /);
      assert.equal(
        // After the --skip-policy-check banner.
        output.err().slice(output.err().lastIndexOf("*".repeat(78)) + 79),
        `${tty ? "\n" : ""}warning: records landed in partition country=SE, but the Glue table projects country as one of DE: ` +
          "Athena will not read them (nor does npm run query). " +
          "List the value in the pipeline's partitioning.fields[].values, or map it to a listed one in the transform.\n",
      );
    });
  }

  it("serves a stack without an S3 or Iceberg pipeline, naming no stream to put to", async () => {
    const file = path.join(tempDir("serve-nolake"), "Pulumi.nolake.yaml");
    const doc = parse(readFileSync(stackFilePath("prod"), "utf8"));
    doc.config["firehose-etl:pipelines"] = doc.config["firehose-etl:pipelines"].filter(
      (p: { destination: { type: string } }) => p.destination.type !== "s3",
    );
    writeFileSync(file, stringify(doc));
    const output = commandOutput();
    const served = (await serve(
      output,
      "--config-file",
      file,
      "--port",
      "0",
      "--skip-policy-check",
      "--lake-dir",
      tempDir("serve-nolake"),
    )) as Serving;
    await until(() => output.out().includes("records in 0,"), output.out);
    assert.equal(await served.stop("SIGINT"), 0);
    const lines = output.out().split("\n");
    assert.match(lines[0], /^Local Firehose for stack nolake on http:/);
    assert.deepEqual(lines.slice(1, 3), [
      "  stream firehose-etl-nolake-warehouse: redshift destination, not simulated locally",
      "  stream firehose-etl-nolake-search: opensearch destination, not simulated locally",
    ]);
    assert.match(lines[5], / --delivery-stream-name <stream> --record /);
    // Nothing after the --skip-policy-check banner: no table, so no partition to warn about.
    assert.ok(output.err().endsWith(`${"*".repeat(78)}\n`), output.err());
  });

  it("on a terminal, rewrites one progress line in place, and counts the records over the PUT quota", async () => {
    const output = commandOutput({ tty: true });
    const served = (await serve(
      output,
      "--port",
      "0",
      "--skip-policy-check",
      "--put-quota-mib",
      "0.00001",
      "--time-scale",
      "0.01",
      "--lake-dir",
      tempDir("serve-tty"),
    )) as Serving;
    const url = urlIn(output.out()) ?? assert.fail(output.out());
    await until(() => output.out().includes("records in 0,"), output.out);
    const answer = await putRecords(url, ["click", "view"]);
    assert.equal(answer.FailedPutCount, 2);
    const throttled = "records in 0, delivered 0, failed 0, dropped 0, buffered 0, throttled 2";
    await until(() => output.out().includes(throttled), output.out);
    assert.equal(await served.stop("SIGINT"), 0);
    const out = output.out();
    assert.equal(
      out.slice(out.indexOf("\rrecords in")),
      "\rrecords in 0, delivered 0, failed 0, dropped 0, buffered 0\x1b[K" +
        `\r${throttled}\x1b[K` +
        `\nSIGINT: flushing every buffer...\n${throttled}\n`,
    );
  });
});
