// The replay state machine (Amazon States Language): a Distributed Map lists the error objects under the
// execution input's `prefix` (S3 ItemReader, ListObjectsV2) and replays each in one invocation of the worker
// Lambda, at most `maxConcurrency` at once. A worker's progress is in the lake's replay manifests, so retrying
// an invocation, or starting the whole execution again, sends only what no run had acknowledged.
import { REPLAY_ROOT } from "../config/layout";

/** Where the Map writes its run's results (one JSON file per outcome, listing each object's worker answer). */
export const REPLAY_RESULTS_ROOT = `${REPLAY_ROOT}state-machine/`;

/** The error a worker throws when records are left unsent: another attempt sends only those. */
export const REPLAY_INCOMPLETE = "ReplayIncomplete";

/** Lambda's own transient failures (Step Functions' guide, "Handle Lambda service exceptions"). */
const LAMBDA_TRANSIENT = [
  "Lambda.ClientExecutionTimeoutException",
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
];

export interface ReplayStateMachineArgs {
  readonly bucket: string;
  readonly functionArn: string;
  readonly maxConcurrency: number;
}

export function replayStateMachineDefinition(args: ReplayStateMachineArgs): Record<string, unknown> {
  return {
    Comment:
      'Replays the failed records of every error object under the input\'s "prefix", one worker invocation per object',
    StartAt: "ReplayEachObject",
    States: {
      ReplayEachObject: {
        Type: "Map",
        ItemReader: {
          Resource: "arn:aws:states:::s3:listObjectsV2",
          Parameters: { Bucket: args.bucket, "Prefix.$": "$.prefix" },
        },
        ItemSelector: { "key.$": "$$.Map.Item.Value.Key" },
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "ReplayObject",
          States: {
            ReplayObject: {
              Type: "Task",
              Resource: "arn:aws:states:::lambda:invoke",
              Parameters: { FunctionName: args.functionArn, "Payload.$": "$" },
              OutputPath: "$.Payload",
              Retry: [
                {
                  ErrorEquals: LAMBDA_TRANSIENT,
                  IntervalSeconds: 2,
                  MaxAttempts: 6,
                  BackoffRate: 2,
                  JitterStrategy: "FULL",
                },
                // Throttled past the sender's own retries, stopped before Lambda's timeout, or killed by it
                // (an unhandled error such as a timeout is Lambda.Unknown or Sandbox.Timedout): resume.
                {
                  ErrorEquals: [REPLAY_INCOMPLETE, "Lambda.Unknown", "Sandbox.Timedout"],
                  IntervalSeconds: 30,
                  MaxAttempts: 3,
                  BackoffRate: 2,
                  JitterStrategy: "FULL",
                },
              ],
              End: true,
            },
          },
        },
        // The default tolerance, 0: the first object that still fails after its retries stops the run, so an
        // operator looks before thousands of invocations fail alike; a new execution resumes where it stopped.
        MaxConcurrency: args.maxConcurrency,
        ResultWriter: {
          Resource: "arn:aws:states:::s3:putObject",
          Parameters: { Bucket: args.bucket, Prefix: REPLAY_RESULTS_ROOT },
        },
        End: true,
      },
    },
  };
}
