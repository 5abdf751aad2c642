// What the local run runs: the resources the Pulumi program declares for a stack, evaluated under the mock
// runtime exactly as the offline check evaluates them. Each local stream is built from a declared
// FirehoseDeliveryStream's inputs, the transform from the declared function's environment, the lake table from
// the declared Glue table: nothing is read a second time from the config, so a change to a component is a change
// to the local run. Values unknown until deploy (account, ARNs, generated names) are the mock cloud's
// (offline/mock-cloud.ts); the local bucket keeps its own name (localBucketName).
import { StackSettings } from "../config/settings";
import { evaluateStack, StackResource } from "../offline/evaluate-stack";
import { destinationBlocks } from "../policy/rules/firehose-destinations";
import { activeProcessors, processingOf, Processor } from "../policy/rules/firehose-processors";

export const DECLARED_TYPES = {
  stream: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
  function: "aws:lambda/function:Function",
  table: "aws:glue/catalogTable:CatalogTable",
} as const;

export interface DeclaredStack {
  readonly settings: StackSettings;
  readonly resources: readonly StackResource[];
}

/** Evaluations share the mock runtime's global state, so they run one at a time. */
let queue: Promise<unknown> = Promise.resolve();
/** The same settings declare the same resources: evaluated once per process (the tests start many local runs). */
const declared = new Map<string, Promise<DeclaredStack>>();

/** The stack's declared resources (read-only: a caller that edits them copies first). */
export function declareStack(settings: StackSettings): Promise<DeclaredStack> {
  const key = JSON.stringify(settings);
  let stack = declared.get(key);
  if (stack === undefined) {
    stack = queue.then(async () => ({ settings, resources: (await evaluateStack(settings)).resources }));
    queue = stack.catch(() => undefined);
    declared.set(key, stack);
  }
  return stack;
}

/** The declared resources of one type, in declaration order. */
export function declaredOfType(stack: DeclaredStack, type: string): StackResource[] {
  return stack.resources.filter((r) => r.type === type);
}

/** The transform a declared stream invokes, and the environment it runs with locally. */
export interface LocalTransform {
  readonly functionName: string;
  readonly lambdaArn: string;
  /**
   * The declared function's variables, the PII key from this machine instead of Secrets Manager, and what Lambda's
   * runtime sets (the function's name and region).
   */
  readonly environment: Record<string, string>;
}

export function localTransformOf(
  stack: DeclaredStack,
  streamName: string,
  piiHashKey: string,
): LocalTransform {
  const stream = declaredOfType(stack, DECLARED_TYPES.stream).find((r) => r.inputs.name === streamName);
  if (!stream) throw new Error(`no declared delivery stream is named ${JSON.stringify(streamName)}`);
  const lambda = destinationBlocks(stream.inputs)
    .flatMap((block) => {
      const active = activeProcessors(processingOf(block.config, block.path));
      // Stryker disable next-line ArrayDeclaration: inputs evaluated under the mocks are never unknown
      return Array.isArray(active) ? (active as readonly Processor[]) : [];
    })
    .find((p) => p.type === "Lambda");
  const lambdaArn = lambda?.parameters.get("LambdaArn");
  if (typeof lambdaArn !== "string") throw new Error(`stream ${streamName}: declares no Lambda processor`);
  const name = lambdaArn.slice(lambdaArn.lastIndexOf(":") + 1);
  const fn = declaredOfType(stack, DECLARED_TYPES.function).find((f) => f.inputs.name === name);
  if (!fn)
    throw new Error(`stream ${streamName}: no declared Lambda function is named ${JSON.stringify(name)}`);
  const variables = Object.entries((fn.inputs.environment?.variables ?? {}) as Record<string, string>);
  return {
    functionName: name,
    lambdaArn,
    environment: {
      ...Object.fromEntries(variables.filter(([key]) => key !== "PII_HASH_KEY_SECRET_ARN")),
      PII_HASH_KEY: piiHashKey,
      AWS_LAMBDA_FUNCTION_NAME: name,
      AWS_REGION: stack.settings.region,
    },
  };
}
