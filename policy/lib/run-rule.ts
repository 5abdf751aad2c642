// The bridge between @pulumi/policy's callbacks and our pure rules: read the inputs (unknowns made explicit),
// resolve the policy's config, run the rule, report its violations, then raise the skipped checks as one
// advisory note through the SDK's unknown-value path.
import {
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import { resolveConfig } from "./config-schema";
import { Finding, SkippedFinding } from "./findings";
import { InputObject, readInputs, SkippedCheck, UnknownInputsError } from "./unknown-values";

export interface ResourceIdentity {
  /** Pulumi type token, e.g. `aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream`. */
  readonly type: string;
  readonly name: string;
  readonly urn: string;
}

export type ResourceRule<TConfig> = (
  inputs: InputObject,
  config: TConfig,
  resource: ResourceIdentity,
) => Finding[];

/** A stack resource as stack rules see it: plain inputs, and its links to other resources by URN. */
export interface StackResource extends ResourceIdentity {
  readonly inputs: InputObject;
  readonly parentUrn?: string;
  readonly dependencyUrns: readonly string[];
  readonly propertyDependencyUrns: Readonly<Record<string, readonly string[]>>;
}

export type StackRule<TConfig> = (resources: readonly StackResource[], config: TConfig) => Finding[];

/** `FirehoseDeliveryStream 'events'`: how messages name a resource. */
export function resourceLabel(resource: ResourceIdentity): string {
  const typeName = resource.type.split(":").pop() ?? resource.type;
  return `${typeName} '${resource.name}'`;
}

export function runResourceRule<TConfig extends object>(
  args: ResourceValidationArgs,
  reportViolation: ReportViolation,
  configSchema: PolicyConfigSchema,
  rule: ResourceRule<TConfig>,
): void {
  const resource: ResourceIdentity = { type: args.type, name: args.name, urn: args.urn };
  const config = resolveConfig<TConfig>(configSchema, args.getConfig<object>());
  const findings = rule(readInputs(args.props), config, resource);
  report(findings, reportViolation, `${resourceLabel(resource)}: `);
}

export function runStackRule<TConfig extends object>(
  args: StackValidationArgs,
  reportViolation: ReportViolation,
  configSchema: PolicyConfigSchema,
  rule: StackRule<TConfig>,
): void {
  const resources = args.resources.map((resource): StackResource => ({
    type: resource.type,
    name: resource.name,
    urn: resource.urn,
    inputs: readInputs(resource.props),
    parentUrn: resource.parent?.urn,
    dependencyUrns: resource.dependencies.map((dependency) => dependency.urn),
    propertyDependencyUrns: Object.fromEntries(
      Object.entries(resource.propertyDependencies).map(([key, dependencies]) => [
        key,
        dependencies.map((dependency) => dependency.urn),
      ]),
    ),
  }));
  const config = resolveConfig<TConfig>(configSchema, args.getConfig<object>());
  report(rule(resources, config), reportViolation, "");
}

function report(findings: readonly Finding[], reportViolation: ReportViolation, prefix: string): void {
  const skippedChecks = new Map<string, SkippedCheck>();
  for (const finding of findings) {
    if (finding.kind === "violation") {
      reportViolation(prefix + finding.message, finding.urn);
    } else {
      skippedChecks.set(keyOf(finding), { value: finding.value, check: finding.check });
    }
  }
  const [first, ...rest] = skippedChecks.values();
  if (first !== undefined) {
    throw new UnknownInputsError([first, ...rest]);
  }
}

function keyOf(finding: SkippedFinding): string {
  return `${finding.value.path}\u0000${finding.check}`;
}
