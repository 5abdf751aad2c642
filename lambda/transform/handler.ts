import { FirehoseTransformationEvent, FirehoseTransformationResult } from "aws-lambda";
import { batchLogLine, overLimitLogLine } from "./batch-log";
import { loadHashKey, readSecretString, SecretReader } from "./hash-key";
import { parseTransformOptions, TransformEnvironment } from "./options";
import { createDigester, memoiseForBatch } from "./pseudonym";
import { deliveryStreamNameOf } from "./replay-envelope";
import { transformBatch } from "./transform-batch";
import { RecordPipeline } from "./transform-record";

export interface HandlerDependencies {
  readonly env: TransformEnvironment;
  readonly readSecret?: SecretReader;
  /** Writes one log line; stdout by default (Lambda's patched console would prefix it and break EMF). */
  readonly writeLine?: (line: string) => void;
}

export type TransformHandler = (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult>;

function writeToStdout(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function preparePipeline(dependencies: HandlerDependencies): Promise<RecordPipeline> {
  const options = parseTransformOptions(dependencies.env);
  const key = await loadHashKey(options, dependencies.env, dependencies.readSecret ?? readSecretString);
  // Without a key nothing is masked, so the digest is never called; it fails loudly if that ever changes.
  const digest =
    key === undefined
      ? // Stryker disable next-line BlockStatement: unreachable, no key means no masking configured (loadHashKey)
        () => {
          // Stryker disable next-line StringLiteral: unreachable, no key means no masking configured (loadHashKey)
          throw new Error("PII digest called without a key");
        }
      : createDigester({ mode: options.hashMode, key, hexLength: options.hashLength });
  return { options, digest };
}

/**
 * Builds the Firehose transformation handler. Configuration is read and the key loaded on the first invocation
 * and kept for the container's life; a failure there (bad configuration, unreadable secret) fails that
 * invocation as a whole and is retried on the next one.
 */
export function createHandler(dependencies: HandlerDependencies): TransformHandler {
  const writeLine = dependencies.writeLine ?? writeToStdout;
  let pipeline: Promise<RecordPipeline> | undefined;
  return async (event) => {
    if (pipeline === undefined) {
      pipeline = preparePipeline(dependencies).catch((error: unknown) => {
        pipeline = undefined;
        throw error;
      });
    }
    const ready = await pipeline;
    if (typeof event !== "object" || event === null || !Array.isArray(event.records)) {
      throw new Error(`The event must have a records array, got ${event === null ? "null" : typeof event}`);
    }
    const started = performance.now();
    const { result, stats } = transformBatch(event.records, {
      ...ready,
      digest: memoiseForBatch(ready.digest),
      deliveryStream: deliveryStreamNameOf(event.deliveryStreamArn),
    });
    const context = {
      functionName: dependencies.env.AWS_LAMBDA_FUNCTION_NAME ?? "local",
      invocationId: typeof event.invocationId === "string" ? event.invocationId : undefined,
      timestampMs: Date.now(),
      durationMs: performance.now() - started,
    };
    writeLine(batchLogLine(stats, context));
    if (stats.overLimitRecordIds.length > 0) writeLine(overLimitLogLine(stats, context.invocationId));
    return result;
  };
}
