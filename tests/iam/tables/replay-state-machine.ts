// The replay state machine (`replay.stateMachine`): its worker reads raw records and replays them with exactly
// the break-glass role's replay rights (but is assumed by Lambda, not by people); the state machine itself lists
// the error prefixes, invokes the worker, runs its own child executions and writes its run's results, and never
// reads a record.
import { AccessTable } from "../../../iam/access-table";
import { PipelineFacts, StackFacts } from "../support/stack-under-test";
import { readRawRecordsAccess, replayAccess } from "./break-glass";
import { elsewhere, lakeObject, RAW_RECORD_PREFIXES, readRawRecords, viaS3 } from "./common";

function replayOf(facts: StackFacts): NonNullable<StackFacts["replay"]> {
  if (!facts.replay) throw new Error(`stack ${facts.stack} has no replay state machine`);
  return facts.replay;
}

export function replayWorkerTable(facts: StackFacts, pipelines: readonly PipelineFacts[]): AccessTable {
  const replay = replayOf(facts);
  const logStream = `${replay.workerLogGroupArn}:log-stream:2026/01/01/[$LATEST]0123456789abcdef`;
  const other = elsewhere(facts);
  return {
    role: replay.workerRole,
    mustAllow: [
      ...readRawRecordsAccess(facts),
      ...replayAccess(facts, pipelines),
      { action: "logs:CreateLogStream", resource: logStream, because: "Lambda writes the worker's logs" },
      { action: "logs:PutLogEvents", resource: logStream, because: "Lambda writes the worker's logs" },
    ],
    mustDeny: [
      { action: "s3:GetObject", resource: lakeObject(facts, "data/"), because: "the masked data is not its" },
      ...["s3:PutObject", "s3:DeleteObject"].map((action) => ({
        action,
        resource: lakeObject(facts, "errors/events/processing-failed/"),
        because: "raw records are read, never changed",
      })),
      { action: "s3:GetObject", resource: `${other.bucketArn}/x`, because: "another bucket" },
      { action: "kms:Decrypt", resource: facts.keyArn, because: "the lake's key only through S3" },
      {
        action: "lambda:InvokeFunction",
        resource: replay.functionArn,
        because: "the worker does not start more workers",
      },
      {
        action: "states:StartExecution",
        resource: replay.stateMachineArn,
        because: "the worker does not start the state machine",
      },
      {
        action: "firehose:PutRecordBatch",
        resource: `arn:aws:firehose:${facts.region}:${facts.account}:deliverystream/another`,
        because: "another stack's stream",
      },
    ],
  };
}

export function replayStateMachineTable(facts: StackFacts): AccessTable {
  const replay = replayOf(facts);
  const results = lakeObject(facts, "replay/state-machine/");
  // A child execution of a Distributed Map: `execution:<state machine>/<map run>:<id>`.
  const execution = `${replay.stateMachineArn.replace(":stateMachine:", ":execution:")}/ReplayEachObject:0123-abcd`;
  const other = elsewhere(facts);
  return {
    role: replay.stateMachineRole,
    mustAllow: [
      ...RAW_RECORD_PREFIXES.map((prefix) => ({
        action: "s3:ListBucket",
        resource: facts.bucketArn,
        context: { "s3:prefix": `${prefix}events/processing-failed/` },
        because: `the Map's ItemReader lists the error objects under ${prefix}`,
      })),
      ...["lambda:InvokeFunction"].flatMap((action) =>
        [replay.functionArn, `${replay.functionArn}:$LATEST`].map((resource) => ({
          action,
          resource,
          because: "each listed object is one worker invocation",
        })),
      ),
      {
        action: "states:StartExecution",
        resource: replay.stateMachineArn,
        because: "a Distributed Map runs its items as child executions of its own state machine",
      },
      ...["states:DescribeExecution", "states:StopExecution"].map((action) => ({
        action,
        resource: execution,
        because: "a Distributed Map follows and stops its child executions",
      })),
      ...["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"].map((action) => ({
        action,
        resource: results,
        because: "the Map's ResultWriter writes the run's results under replay/state-machine/",
      })),
      {
        action: "kms:GenerateDataKey",
        resource: facts.keyArn,
        context: viaS3(facts, facts.bucketArn),
        because: "S3 encrypts the results with the lake's key",
      },
    ],
    mustDeny: [
      ...readRawRecords(facts, "the state machine lists objects; only its worker reads them"),
      {
        action: "s3:ListBucket",
        resource: facts.bucketArn,
        context: { "s3:prefix": "data/" },
        because: "only the error prefixes are listed",
      },
      {
        action: "s3:ListBucket",
        resource: facts.bucketArn,
        because: "never the whole bucket",
      },
      {
        action: "s3:PutObject",
        resource: lakeObject(facts, "replay/events/"),
        because: "the replay manifests are the worker's",
      },
      {
        action: "lambda:InvokeFunction",
        resource: facts.functionArn,
        because: "the transform is not the worker",
      },
      { action: "lambda:InvokeFunction", resource: other.functionArn, because: "another function" },
      {
        action: "states:StartExecution",
        resource: `arn:aws:states:${facts.region}:${facts.account}:stateMachine:another`,
        because: "another state machine",
      },
      ...pipelines(facts),
    ],
  };
}

/** The state machine never sends a record itself. */
function pipelines(facts: StackFacts) {
  return [
    {
      action: facts.sourceStreamArn ? "kinesis:PutRecords" : "firehose:PutRecordBatch",
      resource:
        facts.sourceStreamArn ?? `arn:aws:firehose:${facts.region}:${facts.account}:deliverystream/any`,
      because: "only the worker sends records",
    },
  ];
}
