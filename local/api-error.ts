// An error the endpoint returns in the JSON 1.1 shape of Firehose (and Kinesis): HTTP status, `x-amzn-ErrorType` and
// `{"__type": ..., "message": ...}`, which the AWS SDKs turn into their named exceptions.

export type ApiErrorType =
  | "InvalidArgumentException"
  | "ResourceNotFoundException"
  | "ValidationException"
  | "SerializationException"
  | "UnknownOperationException"
  | "ServiceUnavailableException"
  | "ProvisionedThroughputExceededException"
  | "InternalFailure";

export class ApiError extends Error {
  constructor(
    readonly type: ApiErrorType,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }

  body(): string {
    return JSON.stringify({ __type: this.type, message: this.message });
  }
}
