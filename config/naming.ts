// Names that must be the same wherever a stack is described: in AWS, in the local run and in the offline check.
// Every name derived from the project, stack and pipeline names is built here and checked here against AWS's
// rules: config validation refuses a stack whose names AWS would reject (naming the computed name), except the
// OpenSearch domain's, whose 28 characters are too few to refuse every longer name: it is shortened with a hash.
import { createHash } from "crypto";
import { AWS_TEXT, TextRule, textProblem } from "./aws-text";
import { StackSettings } from "./settings";

type StackIdentity = Pick<StackSettings, "project" | "stack">;

/** `<project>-<stack>`: the prefix of every name that must be unique in the account. */
export function namePrefixOf(settings: StackIdentity): string {
  return `${settings.project}-${settings.stack}`;
}

/** `firehose-etl-prod-lake`: the name of a pipeline's delivery stream. */
export function streamNameOf(settings: StackIdentity, pipeline: string): string {
  return `${namePrefixOf(settings)}-${pipeline}`;
}

/** The Kinesis data stream a Kinesis-sourced stack's delivery streams read. */
export function sourceStreamNameOf(namePrefix: string): string {
  return `${namePrefix}-source`;
}

/** The transform Lambda, fixed so that the key policy can name its log group before it exists. */
export function transformFunctionNameOf(namePrefix: string): string {
  return `${namePrefix}-transform`;
}

/** The replay state machine and its worker function (`replay.stateMachine`). */
export function replayFunctionNameOf(namePrefix: string): string {
  return `${namePrefix}-replay`;
}

/** `alias/<project>-<stack>`: the lake key's alias. */
export function keyAliasOf(namePrefix: string): string {
  return `alias/${namePrefix}`;
}

const DOMAIN_HASH_CHARS = 8;

/**
 * The OpenSearch domain of a pipeline: its stream name in lower case, or, when that breaks the 28-character
 * rule, as much of it as fits before `-` and 8 hex characters of its SHA-256 (deterministic, so a preview
 * and an update agree, and distinct per stream).
 */
export function openSearchDomainNameOf(streamName: string): string {
  const rule = AWS_TEXT.openSearchDomainName;
  const plain = streamName.toLowerCase();
  if (textProblem(rule, plain) === undefined) return plain;
  const hash = createHash("sha256").update(streamName).digest("hex").slice(0, DOMAIN_HASH_CHARS);
  const head = plain
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, rule.max - DOMAIN_HASH_CHARS - 1)
    .replace(/-+$/, "");
  return `${head === "" ? "d" : head}-${hash}`;
}

/** Every derived name AWS would reject, as `<what> "<name>" ...` with the rule and its source. */
export function namingProblems(
  settings: Pick<StackSettings, "project" | "stack" | "pipelines" | "source" | "replay">,
): string[] {
  const prefix = namePrefixOf(settings);
  const checks: [TextRule, string][] = [
    [AWS_TEXT.lambdaFunctionName, transformFunctionNameOf(prefix)],
    [AWS_TEXT.kmsAlias, keyAliasOf(prefix)],
    [AWS_TEXT.athenaWorkgroupName, prefix],
    [AWS_TEXT.dashboardName, prefix],
  ];
  if (settings.source.type === "kinesis")
    checks.push([AWS_TEXT.kinesisStreamName, sourceStreamNameOf(prefix)]);
  // A state machine name allows 80 characters of the same kind: the function's 64 decide.
  if (settings.replay.stateMachine) checks.push([AWS_TEXT.lambdaFunctionName, replayFunctionNameOf(prefix)]);
  for (const pipeline of settings.pipelines) {
    const streamName = streamNameOf(settings, pipeline.name);
    checks.push([AWS_TEXT.firehoseStreamName, streamName]);
    const destination = pipeline.destination;
    if (destination.type === "redshift" && destination.warehouse === "serverless") {
      checks.push([AWS_TEXT.redshiftServerlessName, streamName]);
    }
    if (destination.type === "redshift" && destination.warehouse === "provisioned") {
      checks.push([AWS_TEXT.redshiftClusterIdentifier, streamName]);
    }
  }
  return checks.flatMap(([rule, value]) => {
    const problem = textProblem(rule, value);
    return problem === undefined
      ? []
      : [
          `${problem}; it is derived from project "${settings.project}" and stack "${settings.stack}": choose shorter or plainer stack or pipeline names`,
        ];
  });
}
