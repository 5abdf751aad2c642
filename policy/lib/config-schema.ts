// Policy config: the defaults a policy's configSchema declares, and a check of given values against the
// subset of JSON Schema our schemas use (type, enum, bounds, pattern, items, properties). The Pulumi CLI
// validates `--policy-pack-config` itself; the offline check uses this to reject a bad file before running.
import { PolicyConfigSchema } from "@pulumi/policy";

type JsonSchema = PolicyConfigSchema["properties"][string];
type JsonSchemaDefinition = JsonSchema | boolean;

/** The schema's declared defaults, copied so a policy cannot mutate them. */
export function configDefaults(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema?.properties ?? {})) {
    if (property.default !== undefined) {
      defaults[key] = structuredClone(property.default);
    }
  }
  return defaults;
}

/**
 * The config a policy runs with: its schema's defaults overlaid with the given values. The Pulumi CLI fills in
 * defaults as well; doing it here too keeps a policy correct when it gets no config at all.
 */
export function resolveConfig<TConfig extends object>(
  schema: PolicyConfigSchema | undefined,
  given: object,
): TConfig {
  // The policy's interface mirrors its schema, and every property of it has a default.
  return { ...configDefaults(schema), ...given } as TConfig;
}

/** Errors of `config` (a policy's properties, without enforcementLevel) against its schema. */
export function validateConfig(
  schema: PolicyConfigSchema | undefined,
  config: Record<string, unknown>,
): string[] {
  const errors: string[] = [];
  const properties = schema?.properties ?? {};
  for (const [key, value] of Object.entries(config)) {
    const property = properties[key];
    if (property === undefined) {
      const known = Object.keys(properties).join(", ") || "none";
      errors.push(`${key}: unknown property (known: ${known})`);
      continue;
    }
    errors.push(...validateValue(property, value, key));
  }
  for (const key of schema?.required ?? []) {
    if (config[key] === undefined && properties[key]?.default === undefined) {
      errors.push(`${key}: required`);
    }
  }
  return errors;
}

function validateValue(definition: JsonSchemaDefinition, value: unknown, path: string): string[] {
  // Stryker disable next-line ConditionalExpression,BlockStatement: `true` is the empty schema, which the checks below pass too
  if (definition === true) {
    return [];
  }
  if (definition === false) {
    return [`${path}: not allowed`];
  }
  const typeError = checkType(definition, value, path);
  if (typeError !== undefined) {
    return [typeError];
  }
  return [
    ...checkEnum(definition, value, path),
    ...checkBounds(definition, value, path),
    ...checkItems(definition, value, path),
    ...checkProperties(definition, value, path),
  ];
}

function checkType(schema: JsonSchema, value: unknown, path: string): string | undefined {
  if (schema.type === undefined) {
    return undefined;
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const matches = types.some((type) => {
    switch (type) {
      case "integer":
        return Number.isInteger(value);
      case "number":
        return Number.isFinite(value);
      case "array":
        return Array.isArray(value);
      case "object":
        return typeof value === "object" && value !== null && !Array.isArray(value);
      case "null":
        return value === null;
      default:
        return typeof value === type;
    }
  });
  return matches ? undefined : `${path}: expected ${types.join(" or ")}, got ${JSON.stringify(value)}`;
}

function checkEnum(schema: JsonSchema, value: unknown, path: string): string[] {
  if (schema.enum === undefined || schema.enum.some((allowed) => allowed === value)) {
    return [];
  }
  return [
    `${path}: must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(value)}`,
  ];
}

function checkBounds(schema: JsonSchema, value: unknown, path: string): string[] {
  // An absent keyword is the bound every value meets. Each applies to its own type only.
  const { minimum = -Infinity, maximum = Infinity, minLength = 0, pattern = "", minItems = 0 } = schema;
  const errors: string[] = [];
  if (typeof value === "number") {
    if (value < minimum) {
      errors.push(`${path}: must be at least ${minimum}, got ${value}`);
    }
    if (value > maximum) {
      errors.push(`${path}: must be at most ${maximum}, got ${value}`);
    }
  }
  if (typeof value === "string") {
    if (value.length < minLength) {
      errors.push(`${path}: must have at least ${minLength} characters`);
    }
    if (!new RegExp(pattern).test(value)) {
      errors.push(`${path}: must match ${pattern}, got ${JSON.stringify(value)}`);
    }
  }
  if (Array.isArray(value) && value.length < minItems) {
    errors.push(`${path}: must have at least ${minItems} items, got ${value.length}`);
  }
  return errors;
}

function checkItems(schema: JsonSchema, value: unknown, path: string): string[] {
  if (!Array.isArray(value) || schema.items === undefined || Array.isArray(schema.items)) {
    return [];
  }
  const itemSchema = schema.items;
  return value.flatMap((item, index) => validateValue(itemSchema, item, `${path}[${index}]`));
}

function checkProperties(schema: JsonSchema, value: unknown, path: string): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return [];
  }
  const errors: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const declared = schema.properties?.[key];
    const definition = declared ?? schema.additionalProperties;
    if (definition === undefined) {
      continue;
    }
    if (definition === false && declared === undefined) {
      const known = Object.keys(schema.properties ?? {}).join(", ");
      errors.push(`${path}.${key}: unknown property (known: ${known})`);
      continue;
    }
    errors.push(...validateValue(definition, item, `${path}.${key}`));
  }
  for (const key of schema.required ?? []) {
    if ((value as Record<string, unknown>)[key] === undefined) {
      errors.push(`${path}.${key}: required`);
    }
  }
  return errors;
}
