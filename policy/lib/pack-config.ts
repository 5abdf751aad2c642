// A policy pack config file, as `pulumi preview --policy-pack-config <file>` takes it:
// `{ "all": "advisory", "<policy>": "mandatory" | { "enforcementLevel": ..., <properties> } }`.
// A policy's own entry wins over `all`, which wins over the level the policy declares.
import { EnforcementLevel, Policies, Policy } from "@pulumi/policy";
import { validateConfig } from "./config-schema";

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = [
  "advisory",
  "mandatory",
  "remediate",
  "disabled",
];

/** The key that configures every policy of the pack at once (a reserved policy name). */
export const ALL_POLICIES = "all";

export type PackConfig = Readonly<Record<string, unknown>>;

interface PolicyEntry {
  readonly enforcementLevel?: EnforcementLevel;
  readonly properties: Record<string, unknown>;
}

function isEnforcementLevel(value: unknown): value is EnforcementLevel {
  return ENFORCEMENT_LEVELS.some((level) => level === value);
}

function entryOf(config: PackConfig, key: string): PolicyEntry {
  const entry = config[key];
  if (isEnforcementLevel(entry)) {
    return { enforcementLevel: entry, properties: {} };
  }
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    return { properties: {} };
  }
  const { enforcementLevel, ...properties } = entry as Record<string, unknown>;
  return isEnforcementLevel(enforcementLevel) ? { enforcementLevel, properties } : { properties };
}

/** The level a policy runs at under `config`; `packLevel` is the PolicyPack's default (the SDK's: advisory). */
export function enforcementLevelOf(
  policy: Policy,
  config: PackConfig,
  packLevel: EnforcementLevel = "advisory",
): EnforcementLevel {
  return (
    entryOf(config, policy.name).enforcementLevel ??
    entryOf(config, ALL_POLICIES).enforcementLevel ??
    policy.enforcementLevel ??
    packLevel
  );
}

/** The properties configured for a policy (without enforcementLevel), before schema defaults. */
export function configuredProperties(policyName: string, config: PackConfig): Record<string, unknown> {
  return entryOf(config, policyName).properties;
}

/** Every error of a pack config: unknown policies, invalid levels, and properties that break a schema. */
export function validatePackConfig(config: unknown, policies: Policies): string[] {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    return ["policy pack config must be a JSON object keyed by policy name"];
  }
  const errors: string[] = [];
  for (const [key, entry] of Object.entries(config)) {
    const policy = policies.find((p) => p.name === key);
    if (policy === undefined && key !== ALL_POLICIES) {
      errors.push(`${key}: no such policy in the pack`);
      continue;
    }
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      if (!isEnforcementLevel(entry)) {
        errors.push(`${key}: must be an enforcement level (${ENFORCEMENT_LEVELS.join(", ")}) or an object`);
      }
      continue;
    }
    const { enforcementLevel, ...properties } = entry as Record<string, unknown>;
    if (enforcementLevel !== undefined && !isEnforcementLevel(enforcementLevel)) {
      errors.push(`${key}.enforcementLevel: must be one of ${ENFORCEMENT_LEVELS.join(", ")}`);
    }
    if (policy === undefined) {
      const extra = Object.keys(properties);
      if (extra.length > 0) {
        errors.push(`${key}: only enforcementLevel can be set for all policies, got ${extra.join(", ")}`);
      }
      continue;
    }
    errors.push(...validateConfig(policy.configSchema, properties).map((error) => `${key}.${error}`));
  }
  return errors;
}
