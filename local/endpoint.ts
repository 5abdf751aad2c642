// A Firehose-compatible endpoint on loopback: the JSON 1.1 protocol (POST /, `X-Amz-Target:
// Firehose_20150804.<Operation>`, `application/x-amz-json-1.1`) for PutRecord, PutRecordBatch,
// DescribeDeliveryStream and ListDeliveryStreams, so the AWS SDKs work with only `endpoint` changed; and, for a
// Kinesis-sourced stack, Kinesis's PutRecord and PutRecords (`Kinesis_20131202.<Operation>`) on its source
// stream. Request signatures are not checked: any credentials do.
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { ApiError } from "./api-error";
import { batchRecordsOf, deliveryStreamNameOf, MAX_BATCH_BYTES, singleRecordOf } from "./put-request";
import { kinesisRecordOf, kinesisRecordsOf, LocalKinesisSource } from "./kinesis-source";
import { jsonObjectOf, usualPutRecordBatch } from "./request-body";
import { MOCK_ACCOUNT } from "../offline/mock-cloud";
import { RecordData } from "./records";

/** The account in ARNs and messages: the mock cloud's, like every ARN the declared resources carry. */
export const ACCOUNT_ID = MOCK_ACCOUNT;
const TARGET_PREFIX = "Firehose_20150804.";
const KINESIS_TARGET_PREFIX = "Kinesis_20131202.";
const CONTENT_TYPE = "application/x-amz-json-1.1";
/** Larger bodies cannot hold a valid batch (4 MiB of data is about 5.6 MB of base64). */
const MAX_BODY_BYTES = 2 * MAX_BATCH_BYTES;

/** What PutRecordBatch answers for one record: its id, or the reason it was not accepted. */
export type PutEntry =
  { readonly RecordId: string } | { readonly ErrorCode: string; readonly ErrorMessage: string };

export interface EndpointStream {
  readonly name: string;
  /** Server-side encryption is on (PutRecord's `Encrypted`). */
  readonly encrypted: boolean;
  /** Takes PutRecord and PutRecordBatch; false for a stream that reads a Kinesis data stream. */
  readonly directPut: boolean;
  /** DescribeDeliveryStream's `DeliveryStreamDescription`. */
  description(): Record<string, unknown>;
  put(records: readonly RecordData[]): Promise<PutEntry[]>;
}

export interface StreamDirectory {
  names(): string[];
  find(name: string): EndpointStream | undefined;
  /** The Kinesis data stream of that name or ARN that the delivery streams read, if the stack has one. */
  findSource(nameOrArn: string): LocalKinesisSource | undefined;
}

export interface Endpoint {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startEndpoint(
  directory: StreamDirectory,
  options: { host?: string; port?: number } = {},
): Promise<Endpoint> {
  const server = http.createServer((req, res) => {
    // Read now: a closed socket no longer knows its peer.
    const peer = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    void handle(directory, req).then(
      (result) => {
        if (res.destroyed) clientGone(req, peer, "before the reply");
        else reply(res, 200, JSON.stringify(result));
      },
      (err: unknown) => {
        if (err instanceof ClientGone || res.destroyed) {
          clientGone(req, peer, err instanceof ClientGone ? "mid-request" : "before the reply");
          return;
        }
        const error =
          err instanceof ApiError
            ? err
            : new ApiError("InternalFailure", `local endpoint error: ${String(err)}`, 500);
        if (error.status === 500) console.error(err);
        reply(res, error.status, error.body(), error.type);
      },
    );
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/** The producer closed its connection: nothing to answer, and nothing wrong with the endpoint. */
class ClientGone extends Error {}

/** One line, not a stack trace: a producer that gives up on a request is routine. */
function clientGone(req: http.IncomingMessage, peer: string, when: string): void {
  const target = req.headers["x-amz-target"];
  const operation = typeof target === "string" ? target.slice(TARGET_PREFIX.length) : "request";
  console.warn(`[endpoint] ${peer} disconnected ${when} (${operation})`);
}

function reply(res: http.ServerResponse, status: number, body: string, errorType?: string): void {
  res.writeHead(status, {
    "Content-Type": CONTENT_TYPE,
    "Content-Length": Buffer.byteLength(body),
    "x-amzn-RequestId": randomUUID(),
    ...(errorType ? { "x-amzn-ErrorType": errorType } : {}),
  });
  res.end(body);
}

async function handle(directory: StreamDirectory, req: http.IncomingMessage): Promise<unknown> {
  const target = req.headers["x-amz-target"];
  const operation =
    typeof target === "string" && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
  const body = await readBody(req);
  if (req.method !== "POST")
    throw new ApiError("UnknownOperationException", `${req.method} is not supported: POST /`);
  if (typeof target === "string" && target.startsWith(KINESIS_TARGET_PREFIX)) {
    return operateKinesis(directory, target.slice(KINESIS_TARGET_PREFIX.length), jsonObjectOf(body));
  }
  const usual = usualPutRecordBatch(body);
  if (usual === undefined) return operate(directory, operation, target, jsonObjectOf(body));
  try {
    return await operate(directory, operation, target, usual);
  } catch (err) {
    // Record data with a control character is rejected as base64; the service rejects the JSON first.
    if (err instanceof ApiError) jsonObjectOf(body);
    throw err;
  }
}

async function operate(
  directory: StreamDirectory,
  operation: string,
  target: string | string[] | undefined,
  request: Record<string, unknown>,
): Promise<unknown> {
  switch (operation) {
    case "PutRecordBatch": {
      const stream = putTargetOf(directory, request);
      const entries = await stream.put(batchRecordsOf(request));
      return {
        FailedPutCount: entries.filter((e) => "ErrorCode" in e).length,
        Encrypted: stream.encrypted,
        RequestResponses: entries,
      };
    }
    case "PutRecord": {
      const stream = putTargetOf(directory, request);
      const [entry] = await stream.put([singleRecordOf(request)]);
      if ("ErrorCode" in entry) throw new ApiError("ServiceUnavailableException", entry.ErrorMessage, 503);
      return { RecordId: entry.RecordId, Encrypted: stream.encrypted };
    }
    case "DescribeDeliveryStream":
      return { DeliveryStreamDescription: streamOf(directory, request).description() };
    case "ListDeliveryStreams":
      return listStreams(directory, request);
    default:
      throw new ApiError(
        "UnknownOperationException",
        `operation ${JSON.stringify(target ?? null)} is not supported locally (PutRecord, PutRecordBatch, DescribeDeliveryStream, ListDeliveryStreams)`,
      );
  }
}

/** Kinesis's PutRecord and PutRecords on the stack's source stream. */
async function operateKinesis(
  directory: StreamDirectory,
  operation: string,
  request: Record<string, unknown>,
): Promise<unknown> {
  const name = request.StreamARN ?? request.StreamName;
  const source = typeof name === "string" ? directory.findSource(name) : undefined;
  if (operation !== "PutRecord" && operation !== "PutRecords") {
    throw new ApiError(
      "UnknownOperationException",
      `Kinesis operation ${operation} is not supported locally (PutRecord, PutRecords)`,
    );
  }
  if (!source) {
    throw new ApiError(
      "ResourceNotFoundException",
      `Stream ${String(name)} under account ${ACCOUNT_ID} not found.`,
    );
  }
  if (operation === "PutRecord") {
    const [entry] = await source.put([kinesisRecordOf(request, "record")]);
    if ("ErrorCode" in entry) throw new ApiError(entry.ErrorCode, entry.ErrorMessage, 400);
    return { ...entry, EncryptionType: "KMS" };
  }
  const entries = await source.put(kinesisRecordsOf(request));
  return {
    FailedRecordCount: entries.filter((e) => "ErrorCode" in e).length,
    Records: entries,
    EncryptionType: "KMS",
  };
}

/** A delivery stream that takes Direct PUT: Firehose refuses PutRecord(Batch) to one that reads Kinesis. */
function putTargetOf(directory: StreamDirectory, request: Record<string, unknown>): EndpointStream {
  const stream = streamOf(directory, request);
  if (!stream.directPut) {
    throw new ApiError(
      "InvalidArgumentException",
      "This operation is not permitted on KinesisStreamAsSource delivery stream type.",
    );
  }
  return stream;
}

function streamOf(directory: StreamDirectory, request: Record<string, unknown>): EndpointStream {
  const name = deliveryStreamNameOf(request);
  const stream = directory.find(name);
  if (!stream) {
    throw new ApiError(
      "ResourceNotFoundException",
      `Firehose ${name} under account ${ACCOUNT_ID} not found. Local streams: ${directory.names().join(", ")}`,
    );
  }
  return stream;
}

function listStreams(directory: StreamDirectory, request: Record<string, unknown>): unknown {
  const limit = request.Limit ?? 10;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > 10000) {
    throw new ApiError(
      "ValidationException",
      `1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 10000`,
    );
  }
  const start = request.ExclusiveStartDeliveryStreamName;
  const names = directory
    .names()
    .sort()
    .filter((name) => typeof start !== "string" || name > start)
    .filter((name) => {
      const type = request.DeliveryStreamType;
      return typeof type !== "string" || directory.find(name)?.description().DeliveryStreamType === type;
    });
  return { DeliveryStreamNames: names.slice(0, limit), HasMoreDeliveryStreams: names.length > limit };
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners("data");
        req.resume();
        reject(new ApiError("InvalidArgumentException", "Records size exceeds 4 MB limit"));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks, size)));
    req.on("error", () => reject(new ClientGone()));
    req.on("close", () => {
      if (!req.complete) reject(new ClientGone());
    });
  });
}
