// Runs the pack's real policy objects over a list of resources the way the @pulumi/policy 1.21 analyzer server
// does under `pulumi preview`: the same argument bags, config and enforcement-level resolution, not-applicable
// and unknown-value handling. The unit tests and the offline check (resources recorded by Pulumi's mocks) both
// use it, so what they see is what the Pulumi CLI would report.
import {
  EnforcementLevel,
  Policies,
  PolicyProviderResource,
  PolicyResource as SdkPolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
  unknownCheckingProxy,
} from "@pulumi/policy";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { resolveConfig } from "./lib/config-schema";
import { configuredProperties, enforcementLevelOf, PackConfig } from "./lib/pack-config";
import { isSdkUnknownValueError } from "./lib/unknown-values";
import { policies as packPolicies } from "./policies";

/** For the offline check: reject a bad `--policy-config` file before evaluating (one message per error). */
export { validatePackConfig } from "./lib/pack-config";

/** A resource to evaluate. */
export interface PolicyResource {
  /** Pulumi type token, e.g. `aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream`. */
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /**
   * The resource's inputs (as Pulumi's mocks record them). A value not known until deployment is Pulumi's
   * unknown sentinel (`unknownValue` of `@pulumi/pulumi/runtime/rpc`); secrets may be wrapped or plain. Stack
   * policies join resources by value too, so a mock's returned `id` may be added here as `id`.
   */
  readonly props: Readonly<Record<string, unknown>>;
  /** URN of the parent resource. */
  readonly parent?: string;
  /** URNs of the resources this one depends on. */
  readonly dependencies?: readonly string[];
  /** URNs of the resources each input depends on. */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  readonly provider?: PolicyProviderResource;
  readonly opts?: Partial<PolicyResourceOptions>;
}

export interface Violation {
  readonly policy: string;
  readonly level: EnforcementLevel;
  /** The resource in violation; absent when a stack policy reports against the whole stack. */
  readonly urn?: string;
  readonly message: string;
  /** The policy's description (the Pulumi CLI prints it above the message). */
  readonly description: string;
}

export interface EvaluateOptions {
  /** A `--policy-pack-config` document: `{ "<policy>" | "all": level | { enforcementLevel?, ...properties } }`. */
  readonly config?: PackConfig;
  /** The policies to run; the pack's by default. */
  readonly policies?: Policies;
  readonly stackTags?: Readonly<Record<string, string>>;
  /** The PolicyPack's default level for policies that declare none (the SDK's default is advisory). */
  readonly packEnforcementLevel?: EnforcementLevel;
}

/** Runs every enabled policy over `resources`: resource policies per resource, then stack policies once. */
export async function evaluatePolicies(
  resources: readonly PolicyResource[],
  options: EvaluateOptions = {},
): Promise<Violation[]> {
  const policies = options.policies ?? packPolicies;
  const config = options.config ?? {};
  const stackTags = readonlyMap(options.stackTags ?? {});
  const violations: Violation[] = [];
  const enabled = policies
    .map((policy) => ({ policy, level: enforcementLevelOf(policy, config, options.packEnforcementLevel) }))
    .filter(({ level }) => level !== "disabled");

  for (const resource of resources) {
    for (const { policy, level } of enabled) {
      for (const validation of resourceValidationsOf(policy)) {
        const report = reporter(policy.name, policy.description, level, violations, resource.urn);
        const args = resourceArgs(resource, stackTags, () => policyConfig(policy, config));
        await runGuarded(policy.name, resource.urn, violations, () => validation(args, report));
      }
    }
  }

  const stackResources = buildStackResources(resources);
  for (const { policy, level } of enabled) {
    if (!isStackPolicy(policy)) {
      continue;
    }
    const report = reporter(policy.name, policy.description, level, violations, undefined);
    const args: StackValidationArgs = {
      resources: stackResources,
      stackTags,
      getConfig: <T extends object>() => policyConfig(policy, config) as T,
      notApplicable,
    };
    await runGuarded(policy.name, undefined, violations, () => policy.validateStack(args, report));
  }
  return violations;
}

function resourceValidationsOf(
  policy: ResourceValidationPolicy | StackValidationPolicy,
): ResourceValidation[] {
  if (!("validateResource" in policy) || policy.validateResource === undefined) {
    return [];
  }
  return Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
}

function isStackPolicy(
  policy: ResourceValidationPolicy | StackValidationPolicy,
): policy is StackValidationPolicy {
  return "validateStack" in policy && typeof policy.validateStack === "function";
}

/** The SDK passes the configured properties; the CLI adds the schema's defaults. We do both. */
function policyConfig(policy: ResourceValidationPolicy | StackValidationPolicy, config: PackConfig): object {
  return resolveConfig<object>(policy.configSchema, configuredProperties(policy.name, config));
}

function reporter(
  policy: string,
  description: string,
  level: EnforcementLevel,
  sink: Violation[],
  resourceUrn: string | undefined,
): ReportViolation {
  // Like the SDK: a resource validation always reports against its resource; remediate becomes mandatory.
  const reportedLevel = level === "remediate" ? "mandatory" : level;
  return (message: string, urn?: string) => {
    const target = resourceUrn ?? urn;
    sink.push({
      policy,
      level: reportedLevel,
      message,
      description,
      ...(target === undefined ? {} : { urn: target }),
    });
  };
}

class NotApplicableError extends Error {}

function notApplicable(reason?: string): never {
  throw new NotApplicableError(reason ?? "Policy does not apply");
}

async function runGuarded(
  policy: string,
  urn: string | undefined,
  sink: Violation[],
  validate: () => Promise<void> | void,
): Promise<void> {
  try {
    await validate();
  } catch (error) {
    if (error instanceof NotApplicableError) {
      return;
    }
    if (isSdkUnknownValueError(error)) {
      // The SDK's wording and level for a policy that met an unknown value during preview.
      const message = `can't run policy '${policy}' during preview: ${error.message}`;
      sink.push({
        policy,
        level: "advisory",
        message,
        description: "",
        ...(urn === undefined ? {} : { urn }),
      });
      return;
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`policy '${policy}' failed on ${urn ?? "the stack"}: ${reason}`, { cause: error });
  }
}

function resourceArgs(
  resource: PolicyResource,
  stackTags: ReadonlyMap<string, string>,
  getPolicyConfig: () => object,
): ResourceValidationArgs {
  // A fresh proxy per validation, as the SDK deserializes the request for each one.
  const props = proxiedProps(resource.props);
  const args: ResourceValidationArgs = {
    type: resource.type,
    props,
    urn: resource.urn,
    name: resource.name,
    opts: optionsOf(resource),
    stackTags,
    isType: (resourceClass) => isTypeOf(resource.type, resourceClass),
    // The SDK returns the same untyped props here; the cast only satisfies the generic signature.
    asType: (resourceClass) => (isTypeOf(resource.type, resourceClass) ? (props as never) : undefined),
    getConfig: <T extends object>() => getPolicyConfig() as T,
    notApplicable,
  };
  if (resource.provider !== undefined) {
    args.provider = { ...resource.provider, props: proxiedProps(resource.provider.props) };
  }
  return args;
}

function buildStackResources(resources: readonly PolicyResource[]): SdkPolicyResource[] {
  const built = resources.map((resource) => {
    const props = proxiedProps(resource.props);
    const stackResource: SdkPolicyResource = {
      type: resource.type,
      props,
      urn: resource.urn,
      name: resource.name,
      opts: optionsOf(resource),
      dependencies: [],
      propertyDependencies: {},
      isType: (resourceClass) => isTypeOf(resource.type, resourceClass),
      asType: (resourceClass) => (isTypeOf(resource.type, resourceClass) ? (props as never) : undefined),
    };
    if (resource.provider !== undefined) {
      stackResource.provider = { ...resource.provider, props: proxiedProps(resource.provider.props) };
    }
    return stackResource;
  });
  const byUrn = new Map(built.map((resource) => [resource.urn, resource]));
  const resolve = (urns: readonly string[] | undefined): SdkPolicyResource[] =>
    (urns ?? []).flatMap((urn) => byUrn.get(urn) ?? []);
  resources.forEach((resource, index) => {
    const stackResource = built[index];
    const parent = resource.parent === undefined ? undefined : byUrn.get(resource.parent);
    if (parent !== undefined) {
      stackResource.parent = parent;
    }
    stackResource.dependencies = resolve(resource.dependencies);
    for (const [key, urns] of Object.entries(resource.propertyDependencies ?? {})) {
      stackResource.propertyDependencies[key] = resolve(urns);
    }
  });
  return built;
}

function optionsOf(resource: PolicyResource): PolicyResourceOptions {
  const options: PolicyResourceOptions = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...resource.opts,
  };
  if (resource.parent !== undefined && options.parent === undefined) {
    options.parent = resource.parent;
  }
  return options;
}

/** The SDK's check: the class's `__pulumiType`, else its `isInstance`. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const { __pulumiType: pulumiType, isInstance } = resourceClass as {
    __pulumiType?: unknown;
    isInstance?: unknown;
  };
  if (typeof pulumiType === "string" && pulumiType !== "") {
    return pulumiType === type;
  }
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

const withUnknownChecks: (props: object) => Record<string, unknown> = unknownCheckingProxy;

function proxiedProps(props: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return withUnknownChecks(plainProps(props));
}

/** Like the SDK's deserialization: absent-valued keys dropped, secrets unwrapped to their plaintext. */
function plainProps(props: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    if (value !== undefined) {
      plain[key] = plainValue(value);
    }
  }
  return plain;
}

function plainValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => plainValue(item) ?? null);
  }
  if (typeof value !== "object" || value === null) {
    return value;
  }
  const record = value as Record<string, unknown>;
  if (record[specialSigKey] === specialSecretSig) {
    return plainValue(record["value"]);
  }
  return plainProps(record);
}

function readonlyMap(record: Readonly<Record<string, string>>): ReadonlyMap<string, string> {
  return new Map(Object.entries(record));
}
