// The pull-request gate without credentials: evaluate a stack's program under the mock cloud, run every
// policy of the pack over the resources it would create, and describe the result.
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { StackSecrets } from "../config/pulumi-config";
import { secretConfigKeys } from "../config/parse";
import { redactUrlCredentials } from "../policy/lib/redact";
import { StackSettings } from "../config/settings";
import { SECRET_PLACEHOLDER } from "../config/stack-file";
import { PackConfig, validatePackConfig } from "../policy/lib/pack-config";
import { policies } from "../policy/policies";
import { PolicyResource, Violation, evaluatePolicies } from "../policy/evaluate";
import { StackResource, evaluateStack } from "./evaluate-stack";

export interface CheckResult {
  readonly resources: StackResource[];
  readonly violations: Violation[];
  readonly mandatory: number;
}

/** A policy config that names a policy or setting the pack does not have. */
export class PolicyConfigError extends Error {
  constructor(file: string, errors: readonly string[]) {
    super(`Invalid policy config ${file}:\n${errors.map((e) => `  - ${e}`).join("\n")}`);
    this.name = "PolicyConfigError";
  }
}

/** The policy config in `file` (`--policy-pack-config`'s format), validated against the pack. */
export function loadPolicyConfig(file: string): PackConfig {
  const config: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  const errors = validatePackConfig(config, policies);
  if (errors.length > 0) throw new PolicyConfigError(file, errors);
  return config as PackConfig;
}

/**
 * The secrets a stack file sets, as placeholders: their encrypted values cannot be read offline, and no
 * policy looks inside a secret.
 */
export function placeholderSecrets(raw: Record<string, unknown>): StackSecrets {
  const byKey = new Map<string, pulumi.Output<string>>();
  for (const key of secretConfigKeys(raw)) {
    if (raw[key] !== undefined) byKey.set(key, pulumi.secret(SECRET_PLACEHOLDER));
  }
  return { piiHashKey: byKey.get("piiHashKey"), byKey };
}

/** A recorded resource as the policy engine sees it under `pulumi preview`: its inputs and its links. */
export function policyResourceOf(resource: StackResource): PolicyResource {
  return {
    type: resource.type,
    name: resource.name,
    urn: resource.urn,
    props: resource.inputs,
    parent: resource.parent,
    dependencies: resource.dependencies,
    propertyDependencies: resource.propertyDependencies,
  };
}

export async function checkStack(
  settings: StackSettings,
  secrets: StackSecrets,
  policyConfig: PackConfig = {},
): Promise<CheckResult> {
  const { resources } = await evaluateStack(settings, secrets);
  const violations = await evaluatePolicies(resources.map(policyResourceOf), { config: policyConfig });
  return { resources, violations, mandatory: violations.filter((v) => v.level === "mandatory").length };
}

/** `<type> <name>` of the resource a URN names. */
function labelOf(urn: string): string {
  const [, , qualifiedType = "", ...name] = urn.split("::");
  return `${qualifiedType.split("$").pop()} ${name.join("::")}`;
}

/** The report `npm run check` prints: resources by component, then each violation. */
export function formatReport(title: string, result: CheckResult): string {
  const lines = [title, "", `Resources (${result.resources.length}), by component:`];
  const components = result.resources.filter((r) => !r.parent && r.type.startsWith("firehose-etl:"));
  for (const component of components) {
    const children = result.resources.filter((r) => r.parent === component.urn);
    lines.push(`  ${component.type} ${component.name} (${children.length})`);
    for (const child of children) lines.push(`    ${child.type} ${child.name}`);
  }
  const others = result.resources.filter((r) => !r.parent && !r.type.startsWith("firehose-etl:"));
  if (others.length > 0) {
    lines.push(`  (top level) (${others.length})`);
    for (const r of others) lines.push(`    ${r.type} ${r.name}`);
  }
  lines.push("", formatViolations(result));
  return lines.join("\n");
}

/** Each violation with its policy, level, resource and message (URL credentials redacted), then the verdict. */
export function formatViolations(result: CheckResult): string {
  const advisory = result.violations.length - result.mandatory;
  const lines = [`Policy violations: ${result.mandatory} mandatory, ${advisory} other`];
  for (const v of result.violations) {
    lines.push(
      `  [${v.level}] ${v.policy}${v.urn ? ` on ${labelOf(v.urn)}` : ""}`,
      `      ${redactUrlCredentials(v.message)}`,
    );
  }
  lines.push(
    "",
    result.mandatory > 0
      ? `FAILED: ${result.mandatory} mandatory violation(s) would block \`pulumi up\`.`
      : "PASSED: no mandatory violation.",
  );
  return lines.join("\n");
}
