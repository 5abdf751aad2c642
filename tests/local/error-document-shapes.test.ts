import * as assert from "node:assert/strict";
import { errorDocumentLine } from "../../local/error-document";
import { ErrorOutputType, FailedRecord } from "../../local/records";

const LAMBDA_ARN = "arn:aws:lambda:us-east-1:111111111111:function:g";

const failed = (errorOutputType: ErrorOutputType): FailedRecord => ({
  errorOutputType,
  segment: 1,
  line: 2,
  arrivalMs: 10,
  rawData: Buffer.from([0xff, 0x00, 0x41]),
  errorCode: "E",
  errorMessage: "why",
  attemptsMade: 1,
  attemptEndingMs: 20,
});

describe("local: error documents, byte for byte", () => {
  it("format-conversion-failed on a stream without a table has no dataCatalogTable", () => {
    assert.equal(
      errorDocumentLine(failed("format-conversion-failed"), { lambdaArn: LAMBDA_ARN }),
      '{"attemptsMade":1,"arrivalTimestamp":10,"lastErrorCode":"E","lastErrorMessage":"why",' +
        '"attemptEndingTimestamp":20,"rawData":"/wBB","sequenceNumber":null,"subSequenceNumber":null}\n',
    );
  });

  it("format-conversion-failed names the table and its catalog's ARN in the table's region", () => {
    const table = {
      catalogId: "222222222222",
      databaseName: "d",
      tableName: "t",
      region: "ap-south-1",
      versionId: "7",
    };
    const line = errorDocumentLine(failed("format-conversion-failed"), {
      lambdaArn: LAMBDA_ARN,
      dataCatalogTable: table,
    });
    assert.ok(
      line.endsWith(
        ',"dataCatalogTable":{"catalogId":"222222222222","databaseName":"d","tableName":"t","region":"ap-south-1",' +
          '"versionId":"7","catalogArn":"arn:aws:glue:ap-south-1:222222222222:catalog"}}\n',
      ),
      line,
    );
  });

  it("processing-failed carries the Lambda's ARN; the other types carry neither ARN nor table", () => {
    const table = { catalogId: "c", databaseName: "d", tableName: "t", region: "r", versionId: "v" };
    const common =
      '{"attemptsMade":1,"arrivalTimestamp":10,"errorCode":"E","errorMessage":"why","attemptEndingTimestamp":20,"rawData":"/wBB"';
    assert.equal(
      errorDocumentLine(failed("processing-failed"), { lambdaArn: LAMBDA_ARN, dataCatalogTable: table }),
      `${common},"lambdaArn":"${LAMBDA_ARN}"}\n`,
    );
    for (const type of ["partitioning-failed", "iceberg-failed"] as const) {
      assert.equal(
        errorDocumentLine(failed(type), { lambdaArn: LAMBDA_ARN, dataCatalogTable: table }),
        `${common}}\n`,
      );
    }
  });
});
