// Firehose's error documents: one JSON document per failed record, one per line, in objects under the error
// output prefix. Each failure type has its own documented shape, field names and order included, so that a
// tool written against the local run reads what AWS writes:
// - processing-failed (developer guide, "Handle failure in data transformation"): attemptsMade,
//   arrivalTimestamp, errorCode, errorMessage, attemptEndingTimestamp, rawData, lambdaArn.
// - format-conversion-failed ("Handling errors for data format conversion",
//   https://docs.aws.amazon.com/firehose/latest/dev/record-format-conversion-error-handling.html): attemptsMade,
//   arrivalTimestamp, lastErrorCode, lastErrorMessage, attemptEndingTimestamp, rawData, sequenceNumber,
//   subSequenceNumber, dataCatalogTable {catalogId, databaseName, tableName, region, versionId, catalogArn}.
//   (One revision of that page prints ErrorCode/ErrorMessage; the lastError* names are the ones in other
//   revisions and in the documents users have posted from real streams.)
// - partitioning-failed: the processing-failed fields without lambdaArn.
import { FailedRecord } from "./records";

export interface ErrorDocumentContext {
  readonly lambdaArn: string;
  /** The table a Parquet stream converts with; streams that do not convert have none. */
  readonly dataCatalogTable?: {
    readonly catalogId: string;
    readonly databaseName: string;
    readonly tableName: string;
    readonly region: string;
    readonly versionId: string;
  };
}

/** The record's error document, as one line (newline included). */
export function errorDocumentLine(failed: FailedRecord, context: ErrorDocumentContext): string {
  return `${JSON.stringify(errorDocument(failed, context))}\n`;
}

function errorDocument(failed: FailedRecord, context: ErrorDocumentContext): Record<string, unknown> {
  const rawData = failed.rawData.toString("base64");
  if (failed.errorOutputType === "format-conversion-failed") {
    const table = context.dataCatalogTable;
    return {
      attemptsMade: failed.attemptsMade,
      arrivalTimestamp: failed.arrivalMs,
      lastErrorCode: failed.errorCode,
      lastErrorMessage: failed.errorMessage,
      attemptEndingTimestamp: failed.attemptEndingMs,
      rawData,
      // A Kinesis source's sequence numbers; locally every record is put straight to the stream, so none.
      sequenceNumber: null,
      subSequenceNumber: null,
      ...(table
        ? {
            dataCatalogTable: {
              ...table,
              catalogArn: `arn:aws:glue:${table.region}:${table.catalogId}:catalog`,
            },
          }
        : {}),
    };
  }
  return {
    attemptsMade: failed.attemptsMade,
    arrivalTimestamp: failed.arrivalMs,
    errorCode: failed.errorCode,
    errorMessage: failed.errorMessage,
    attemptEndingTimestamp: failed.attemptEndingMs,
    rawData,
    ...(failed.errorOutputType === "processing-failed" ? { lambdaArn: context.lambdaArn } : {}),
  };
}
