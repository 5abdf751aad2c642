// Firehose's error documents: one JSON document per failed record, one per line, in objects under the error
// output prefix. Processing failures name the Lambda; format-conversion failures name the Glue table.
import { FailedRecord } from "./records";

export interface ErrorDocumentContext {
  readonly lambdaArn: string;
  readonly dataCatalogTable: {
    readonly catalogId: string;
    readonly databaseName: string;
    readonly tableName: string;
    readonly region: string;
    readonly versionId: string;
  };
}

/** The record's error document, as one line (newline included). */
export function errorDocumentLine(failed: FailedRecord, context: ErrorDocumentContext): string {
  const document = {
    attemptsMade: failed.attemptsMade,
    arrivalTimestamp: failed.arrivalMs,
    errorCode: failed.errorCode,
    errorMessage: failed.errorMessage,
    attemptEndingTimestamp: failed.attemptEndingMs,
    rawData: failed.rawData.toString("base64"),
    ...(failed.errorOutputType === "processing-failed" ? { lambdaArn: context.lambdaArn } : {}),
    ...(failed.errorOutputType === "format-conversion-failed"
      ? { dataCatalogTable: context.dataCatalogTable }
      : {}),
  };
  return `${JSON.stringify(document)}\n`;
}
