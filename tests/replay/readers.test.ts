import * as assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { DescribeStatementCommand, ExecuteStatementCommand } from "@aws-sdk/client-redshift-data";
import { errorDocumentLine } from "../../local/error-document";
import { readErrorObject } from "../../replay/error-object";
import { errorTypeOf } from "../../replay/failures";
import { copyErrorPrefixOf, copyStatementOf, readCopyManifest, runCopy } from "../../replay/redshift-copy";
import { inWindow, keyTimeMs, sourcesOf } from "../../replay/sources";
import { settingsOf } from "../support/stacks";

const KEY =
  "errors/events/processing-failed/year=2026/month=11/day=02/firehose-etl-dev-events-1-2026-11-02-14-05-09-0d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6.gz";
const raw = (text: string) => Buffer.from(text).toString("base64");
const lines = (...docs: unknown[]) => Buffer.from(docs.map((d) => `${JSON.stringify(d)}\n`).join(""));

describe("replay: reading the failure formats", () => {
  it("reads the local run's processing-failed documents (GZIP) back to the original bytes", () => {
    const context = {
      lambdaArn: "arn:aws:lambda:eu-west-1:000000000000:function:f",
      dataCatalogTable: {
        catalogId: "0",
        databaseName: "d",
        tableName: "t",
        region: "eu-west-1",
        versionId: "0",
      },
    };
    const failed = (data: string) => ({
      errorOutputType: "processing-failed" as const,
      arrivalMs: 1_700_000_000_000,
      rawData: Buffer.from(data),
      errorCode: "Lambda.ProcessingFailedStatus",
      errorMessage: "ProcessingFailed status set for record",
      attemptsMade: 1,
      attemptEndingMs: 1_700_000_000_500,
      segment: 0,
      line: 0,
    });
    const body = gzipSync(
      errorDocumentLine(failed("{not json"), context) + errorDocumentLine(failed("\u00e9"), context),
    );
    const read = readErrorObject(KEY, body);
    assert.deepEqual(read.problems, []);
    assert.deepEqual(
      read.records.map((r) => [r.line, r.data.toString(), r.errorCode, r.arrivalMs]),
      [
        [0, "{not json", "Lambda.ProcessingFailedStatus", 1_700_000_000_000],
        [1, "\u00e9", "Lambda.ProcessingFailedStatus", 1_700_000_000_000],
      ],
    );
  });

  it("reads format-conversion documents by the documented lastErrorCode/lastErrorMessage, and by ErrorCode/ErrorMessage", () => {
    const common = {
      attemptsMade: 1,
      arrivalTimestamp: 1,
      attemptEndingTimestamp: 2,
      sequenceNumber: "1",
      subSequenceNumber: 0,
    };
    const read = readErrorObject(
      "k",
      lines(
        {
          ...common,
          lastErrorCode: "DataFormatConversion.MalformedData",
          lastErrorMessage: "bad amount",
          rawData: raw("a"),
        },
        {
          ...common,
          ErrorCode: "DataFormatConversion.InvalidSchema",
          ErrorMessage: "no table",
          rawData: raw("b"),
        },
      ),
    );
    assert.deepEqual(
      read.records.map((r) => [r.errorCode, r.errorMessage, r.data.toString()]),
      [
        ["DataFormatConversion.MalformedData", "bad amount", "a"],
        ["DataFormatConversion.InvalidSchema", "no table", "b"],
      ],
    );
  });

  it("reads OpenSearch FailedDocumentsOnly documents (esDocumentId, esIndexName, rawData)", () => {
    const read = readErrorObject(
      "k",
      lines({
        attemptsMade: 4,
        arrivalTimestamp: 1,
        errorCode: "400",
        errorMessage: "mapper_parsing_exception",
        attemptEndingTimestamp: 2,
        esDocumentId: "id-1",
        esIndexName: "events-2026-11-02",
        esTypeName: "",
        rawData: raw('{"a":1}'),
      }),
    );
    assert.deepEqual(
      read.records.map((r) => [r.errorCode, r.data.toString()]),
      [["400", '{"a":1}']],
    );
  });

  it("reads HTTP endpoint failures as the common error document (their fields are not documented)", () => {
    const read = readErrorObject(
      "k",
      lines({
        attemptsMade: 3,
        arrivalTimestamp: 1,
        errorCode: "HttpEndpoint.DestinationException",
        errorMessage: "413",
        rawData: raw("x"),
      }),
    );
    assert.deepEqual(
      read.records.map((r) => r.errorCode),
      ["HttpEndpoint.DestinationException"],
    );
  });

  it("a truncated GZIP object is a problem naming the object, and yields no records", () => {
    const body = gzipSync(lines({ errorCode: "c", rawData: raw("x") }));
    const read = readErrorObject(KEY, body.subarray(0, body.length - 6));
    assert.equal(read.records.length, 0);
    assert.match(read.problems[0], new RegExp(`^${KEY.replace(/[.]/g, "\\.")}: corrupt or truncated object`));
  });

  it("a truncated last line and a rawData that is not base64 are problems naming line and value; the other lines are read", () => {
    const body = Buffer.concat([
      lines({ errorCode: "c", rawData: "not base64!" }, { errorCode: "c", rawData: raw("ok") }),
      Buffer.from('{"errorCode":"c","rawDa'),
    ]);
    const read = readErrorObject("k", body);
    assert.deepEqual(
      read.records.map((r) => [r.line, r.data.toString()]),
      [[1, "ok"]],
    );
    assert.deepEqual(read.problems, [
      'k line 1: rawData is not base64: "not base64!"',
      'k line 3: not a JSON document (truncated object?): "{\\"errorCode\\":\\"c\\",\\"rawDa"',
    ]);
  });

  it("an unknown error type is refused, listing the known ones", () => {
    assert.throws(
      () => errorTypeOf("processing-faild"),
      /--error-type must be one of processing-failed, .* got "processing-faild"/,
    );
  });

  it("finds each pipeline's failures where the layout puts them", () => {
    const dev = settingsOf("dev");
    assert.deepEqual(
      sourcesOf(dev.pipelines[0]).map((s) => `${s.errorType} ${s.prefix}`),
      [
        "processing-failed errors/events/processing-failed/",
        "partitioning-failed errors/events/partitioning-failed/",
        "format-conversion-failed errors/events/format-conversion-failed/",
      ],
    );
    const prod = settingsOf("prod");
    const all = prod.pipelines.flatMap(sourcesOf).map((s) => `${s.pipeline} ${s.errorType} ${s.prefix}`);
    assert.ok(
      all.includes("search AmazonOpenSearchService-failed errors/search/AmazonOpenSearchService-failed/"),
    );
    assert.ok(all.includes(`warehouse redshift-copy-failed ${copyErrorPrefixOf("warehouse")}`));
  });

  it("selects objects by the time in their name", () => {
    assert.equal(keyTimeMs(KEY), Date.UTC(2026, 10, 2, 14, 5, 9));
    assert.equal(inWindow(KEY, { fromMs: Date.parse("2026-11-02T14:05:09.900Z") }), true);
    assert.equal(inWindow(KEY, { fromMs: Date.parse("2026-11-02T14:05:10Z") }), false);
    assert.equal(inWindow(KEY, { toMs: Date.parse("2026-11-02T14:05:08Z") }), false);
    assert.equal(inWindow("errors/x/no-time", { toMs: 1 }), false);
    assert.equal(inWindow("errors/x/no-time", {}), true);
  });
});

describe("replay: Redshift's failed COPY (manifest location under errors/ is not documented)", () => {
  const prod = settingsOf("prod");
  const pipeline = prod.pipelines.find((p) => p.destination.type === "redshift");
  if (!pipeline || pipeline.destination.type !== "redshift") throw new Error("prod has a Redshift pipeline");
  const dest = pipeline.destination;
  const manifestKey = `${copyErrorPrefixOf(pipeline.name)}manifest-1`;

  it("reads the staged objects a manifest lists, and names what is wrong with a bad one", () => {
    const body = Buffer.from(
      JSON.stringify({ entries: [{ url: "s3://b/staging/warehouse/a.gz", mandatory: true }] }),
    );
    assert.deepEqual(readCopyManifest(manifestKey, body), { urls: ["s3://b/staging/warehouse/a.gz"] });
    assert.deepEqual(readCopyManifest(manifestKey, Buffer.from('{"entries": [')), {
      problem: `${manifestKey}: a COPY manifest is a JSON document, this one is corrupt or truncated`,
    });
    assert.deepEqual(readCopyManifest(manifestKey, Buffer.from('{"entries": [{"url": "https://x"}]}')), {
      problem: `${manifestKey}: entries[0].url must be an s3:// URL, got "https://x"`,
    });
  });

  it("re-runs COPY over the manifest in the pipeline's workgroup with its COPY options, and waits for it", async () => {
    const input = copyStatementOf(prod, pipeline.name, dest, "lake-bucket", manifestKey);
    assert.deepEqual(input, {
      WorkgroupName: `firehose-etl-prod-${pipeline.name}`,
      Database: dest.database,
      Sql: `COPY ${dest.table} FROM 's3://lake-bucket/${manifestKey}' IAM_ROLE default MANIFEST ${dest.copyOptions}`,
    });
    const sent: unknown[] = [];
    const states = ["STARTED", "FAILED"];
    const client = {
      send: (command: unknown) => {
        sent.push(command);
        if (command instanceof ExecuteStatementCommand) return Promise.resolve({ Id: "s-1" });
        if (command instanceof DescribeStatementCommand)
          return Promise.resolve({ Status: states.shift(), Error: "S3ServiceException: Access Denied" });
        throw new Error("unexpected command");
      },
    } as unknown as Parameters<typeof runCopy>[0];
    await assert.rejects(runCopy(client, input, 1), /COPY failed: S3ServiceException: Access Denied/);
    assert.equal(sent.length, 3);
  });
});
