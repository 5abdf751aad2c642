// Invokes the transform the way Firehose's Lambda processor does: one transformation event per batch, retried
// when the invocation fails, and a response checked against the contract (every record id exactly once, a
// known result, base64 data, at most 6 MB). A record the function marks ProcessingFailed, and every record of
// a batch whose invocation failed, goes to the error prefix with its original data.
import { randomUUID } from "node:crypto";
import { jsonLength } from "./json-length";
import { AcceptedRecord } from "./records";
import { TransformHandler } from "./transform-bundle";

/** Lambda's limit on a synchronous response. */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

export type TransformOutcome =
  | {
      readonly result: "Ok";
      readonly data: Buffer;
      readonly partitionKeys?: Readonly<Record<string, string>>;
    }
  | { readonly result: "Dropped" }
  | {
      readonly result: "ProcessingFailed";
      readonly errorCode: string;
      readonly errorMessage: string;
      readonly attemptsMade: number;
    };

export interface InvocationContext {
  readonly handler: TransformHandler;
  readonly streamArn: string;
  readonly region: string;
  /** Firehose's NumberOfRetries (default 3). */
  readonly retries: number;
  /** Set for a stream reading a Kinesis data stream: the event then names it. */
  readonly sourceKinesisStreamArn?: string;
}

class BatchFailure extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

/** One outcome per record, in order. Never throws: a failed batch fails its records. */
export async function invokeTransform(
  records: readonly AcceptedRecord[],
  context: InvocationContext,
): Promise<TransformOutcome[]> {
  let failure: BatchFailure | undefined;
  for (let attempt = 1; attempt <= context.retries + 1; attempt++) {
    try {
      const response = await context.handler(eventOf(records, context));
      return outcomesOf(records, response);
    } catch (err) {
      failure =
        err instanceof BatchFailure
          ? err
          : new BatchFailure(
              "Lambda.FunctionError",
              `The Lambda function was successfully invoked but it returned an error result: ${String(err)}`,
            );
    }
  }
  const { errorCode, message } = failure as BatchFailure;
  return records.map(() => ({
    result: "ProcessingFailed",
    errorCode,
    errorMessage: message,
    attemptsMade: context.retries + 1,
  }));
}

function eventOf(records: readonly AcceptedRecord[], context: InvocationContext): unknown {
  const kinesis = context.sourceKinesisStreamArn;
  return {
    invocationId: randomUUID(),
    deliveryStreamArn: context.streamArn,
    ...(kinesis ? { sourceKinesisStreamArn: kinesis } : {}),
    region: context.region,
    records: records.map((r) => eventRecord(r, kinesis)),
  };
}

/** One record of the event, built as one literal: a spread per record cost a third more (measured). */
function eventRecord(r: AcceptedRecord, kinesis: string | undefined): unknown {
  if (!kinesis)
    return { recordId: r.recordId, approximateArrivalTimestamp: r.arrivalMs, data: r.data.base64 };
  return {
    recordId: r.recordId,
    approximateArrivalTimestamp: r.arrivalMs,
    data: r.data.base64,
    kinesisRecordMetadata: {
      shardId: "shardId-000000000000",
      partitionKey: r.recordId,
      approximateArrivalTimestamp: r.arrivalMs,
      sequenceNumber: r.recordId,
      subsequenceNumber: 0,
    },
  };
}

const INVALID_RESPONSE =
  "There was an error parsing returned records from the Lambda function. Ensure that the returned records follow the status model required by Kinesis Data Firehose.";

/** `records` have distinct ids (the stream numbers them), so a response in the same order matches by position. */
function outcomesOf(records: readonly AcceptedRecord[], response: unknown): TransformOutcome[] {
  const returned = (response as { records?: unknown } | null)?.records;
  if (!Array.isArray(returned)) throw new BatchFailure("Lambda.JsonProcessingException", INVALID_RESPONSE);
  const entries = returned as Record<string, unknown>[];
  // Handlers usually answer in the event's order: then no id can be missing or duplicated, and no map is needed.
  const inOrder =
    entries.length === records.length && records.every((r, i) => entries[i]?.recordId === r.recordId);
  const byId = inOrder ? undefined : entriesById(entries);
  let responseBytes = 0;
  let decodedBytes = 0;
  for (const entry of entries) {
    responseBytes += estimatedJsonBytes(entry);
    if (entry.result === "Ok" && typeof entry.data === "string") {
      decodedBytes += Buffer.byteLength(entry.data, "base64");
    }
  }
  if (responseBytes > MAX_RESPONSE_BYTES) {
    throw new BatchFailure(
      "Lambda.FunctionError",
      `Response payload size (${responseBytes} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
    );
  }
  const decoder = new BatchDecoder(decodedBytes);
  if (byId === undefined) return entries.map((entry) => outcomeOf(entry, decoder));
  const missing = records.find((r) => !byId.has(r.recordId));
  if (missing || byId.size !== records.length) {
    throw new BatchFailure(
      "Lambda.MissingRecordId",
      `One or more record IDs were not returned (${missing?.recordId ?? "unknown ids were returned"}). Ensure that the Lambda function returns all received record IDs.`,
    );
  }
  return records.map((r) => outcomeOf(byId.get(r.recordId) as Record<string, unknown>, decoder));
}

function entriesById(entries: readonly Record<string, unknown>[]): Map<string, Record<string, unknown>> {
  const byId = new Map<string, Record<string, unknown>>();
  for (const entry of entries) {
    const id = entry?.recordId;
    if (typeof id !== "string") throw new BatchFailure("Lambda.JsonProcessingException", INVALID_RESPONSE);
    if (byId.has(id)) {
      throw new BatchFailure(
        "Lambda.DuplicatedRecordId",
        `Multiple records were returned with the same record ID (${id}). Ensure that the Lambda function returns unique record IDs for each record.`,
      );
    }
    byId.set(id, entry);
  }
  return byId;
}

/**
 * Decodes a batch's output data into one buffer, each record's data a view of it: the same bytes as
 * `Buffer.from(data, "base64")`, whose 8 KiB pool ran out every thirty records (measured: a third of decoding).
 */
class BatchDecoder {
  private readonly buffer: Buffer;
  private offset = 0;

  /** `bytes`: at least the decoded size of every text to decode (`Buffer.byteLength` bounds each). */
  constructor(bytes: number) {
    this.buffer = Buffer.allocUnsafe(bytes);
  }

  decode(base64: string): Buffer {
    const start = this.offset;
    this.offset += this.buffer.write(base64, start, "base64");
    return this.buffer.subarray(start, this.offset);
  }
}

function outcomeOf(entry: Record<string, unknown>, decoder: BatchDecoder): TransformOutcome {
  switch (entry.result) {
    case "Dropped":
      return { result: "Dropped" };
    case "ProcessingFailed":
      return {
        result: "ProcessingFailed",
        errorCode: "Lambda.ProcessingFailedStatus",
        errorMessage: "ProcessingFailed status set for record",
        attemptsMade: 1,
      };
    case "Ok": {
      if (typeof entry.data !== "string")
        throw new BatchFailure("Lambda.JsonProcessingException", INVALID_RESPONSE);
      const keys = (entry.metadata as { partitionKeys?: unknown } | undefined)?.partitionKeys;
      const data = decoder.decode(entry.data);
      return isStringMap(keys) ? { result: "Ok", data, partitionKeys: keys } : { result: "Ok", data };
    }
    default:
      throw new BatchFailure("Lambda.JsonProcessingException", INVALID_RESPONSE);
  }
}

/** Every own enumerable value is a string (a loop: `Object.values` made an array per record). */
function isStringMap(value: unknown): value is Record<string, string> {
  if (typeof value !== "object" || value === null) return false;
  const map = value as Record<string, unknown>;
  for (const key in map) if (Object.hasOwn(map, key) && typeof map[key] !== "string") return false;
  return true;
}

/** The record's size in the serialised response, without serialising it (the data string dominates). */
function estimatedJsonBytes(entry: Record<string, unknown>): number {
  const data = typeof entry.data === "string" ? entry.data.length : 0;
  const metadata = entry.metadata === undefined ? 0 : jsonLength(entry.metadata);
  return data + metadata + String(entry.recordId).length + String(entry.result).length + 48;
}
