import * as assert from "node:assert/strict";
import { ErrorDocumentContext, errorDocumentLine } from "../../local/error-document";
import { ErrorOutputType, FailedRecord } from "../../local/records";

const CONTEXT: ErrorDocumentContext = {
  lambdaArn: "arn:aws:lambda:eu-west-1:000000000000:function:f",
  dataCatalogTable: {
    catalogId: "000000000000",
    databaseName: "db",
    tableName: "events",
    region: "eu-west-1",
    versionId: "LATEST",
  },
};

const failed = (errorOutputType: ErrorOutputType): FailedRecord => ({
  errorOutputType,
  segment: 0,
  line: 0,
  arrivalMs: 1000,
  rawData: Buffer.from("raw"),
  errorCode: "Code",
  errorMessage: "message",
  attemptsMade: 2,
  attemptEndingMs: 2000,
});

const documentOf = (type: ErrorOutputType) => {
  const line = errorDocumentLine(failed(type), CONTEXT);
  assert.ok(line.endsWith("}\n") && !line.slice(0, -1).includes("\n"));
  return JSON.parse(line) as Record<string, unknown>;
};

describe("local: error documents, field for field as the developer guide documents each failure type", () => {
  it("format-conversion-failed: lastErrorCode, lastErrorMessage, sequence numbers, dataCatalogTable with catalogArn", () => {
    const doc = documentOf("format-conversion-failed");
    assert.deepEqual(Object.keys(doc), [
      "attemptsMade",
      "arrivalTimestamp",
      "lastErrorCode",
      "lastErrorMessage",
      "attemptEndingTimestamp",
      "rawData",
      "sequenceNumber",
      "subSequenceNumber",
      "dataCatalogTable",
    ]);
    assert.deepEqual(doc, {
      attemptsMade: 2,
      arrivalTimestamp: 1000,
      lastErrorCode: "Code",
      lastErrorMessage: "message",
      attemptEndingTimestamp: 2000,
      rawData: Buffer.from("raw").toString("base64"),
      sequenceNumber: null,
      subSequenceNumber: null,
      dataCatalogTable: {
        catalogId: "000000000000",
        databaseName: "db",
        tableName: "events",
        region: "eu-west-1",
        versionId: "LATEST",
        catalogArn: "arn:aws:glue:eu-west-1:000000000000:catalog",
      },
    });
  });

  it("processing-failed: errorCode, errorMessage and lambdaArn", () => {
    assert.deepEqual(Object.keys(documentOf("processing-failed")), [
      "attemptsMade",
      "arrivalTimestamp",
      "errorCode",
      "errorMessage",
      "attemptEndingTimestamp",
      "rawData",
      "lambdaArn",
    ]);
    assert.equal(documentOf("processing-failed").lambdaArn, CONTEXT.lambdaArn);
  });

  it("partitioning-failed: errorCode and errorMessage, no Lambda or table", () => {
    assert.deepEqual(Object.keys(documentOf("partitioning-failed")), [
      "attemptsMade",
      "arrivalTimestamp",
      "errorCode",
      "errorMessage",
      "attemptEndingTimestamp",
      "rawData",
    ]);
  });
});
