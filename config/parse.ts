// Turns a stack's raw config values into validated settings, reporting every problem at once.
import { z } from "zod";
import { namingProblems } from "./naming";
import { coerceText } from "./config-value";
import { redactUrlCredentials } from "../policy/lib/redact";
import { ConfigError, StackSettings, stackConfigSchema } from "./settings";

/** The project's config namespace: keys are written `firehose-etl:<key>` in stack files. */
export const CONFIG_NAMESPACE = "firehose-etl";

/** Secret config keys: read as secrets by the program, never part of the validated settings. */
export function secretConfigKeys(raw: Record<string, unknown>): Set<string> {
  const keys = new Set(["piiHashKey"]);
  // Stryker disable next-line ArrayDeclaration: an entry that is not an object names no destination, so no key
  const pipelines = Array.isArray(raw.pipelines) ? raw.pipelines : [];
  for (const p of pipelines) {
    const dest = (p as { destination?: { type?: unknown; accessKeyConfigKey?: unknown } })?.destination;
    if (dest?.type === "http")
      keys.add(
        typeof dest.accessKeyConfigKey === "string" ? dest.accessKeyConfigKey : "httpEndpointAccessKey",
      );
  }
  return keys;
}

export interface StackLocation {
  readonly project: string;
  readonly stack: string;
  readonly region: string | undefined;
  /** Where the config came from, for error messages (a file path or `stack dev`). */
  readonly source: string;
}

/**
 * Validates the raw values of the project's config keys (without the namespace prefix; secret keys are
 * ignored). Throws a ConfigError listing every problem as `<key path>: <what is wrong>, got <value>`.
 */
export function parseStackConfig(raw: Record<string, unknown>, where: StackLocation): StackSettings {
  const secrets = secretConfigKeys(raw);
  const values = Object.fromEntries(Object.entries(raw).filter(([key]) => !secrets.has(key)));
  const problems: string[] = [];
  if (!where.region) problems.push("aws:region: is required (pulumi config set aws:region <region>)");
  const { parsed, coerced } = parseCoercing(values);
  if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => describeIssue(issue, coerced)));
  if (parsed.success)
    problems.push(...namingProblems({ ...parsed.data, project: where.project, stack: where.stack }));
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems, where.source);
  return { ...parsed.data, project: where.project, stack: where.stack, region: where.region as string };
}

/**
 * Validates `values`, reading strings as booleans or numbers where the schema wants those (config-value.ts).
 * The schema says where: each pass coerces the values its type errors point at, until none is left to coerce.
 */
function parseCoercing(values: Record<string, unknown>) {
  let coerced = values;
  for (;;) {
    const parsed = stackConfigSchema.safeParse(coerced);
    if (parsed.success) return { parsed, coerced };
    const fixes = parsed.error.issues.flatMap((issue) => coercionsFor(issue, coerced));
    if (fixes.length === 0) return { parsed, coerced };
    coerced = structuredClone(coerced);
    for (const fix of fixes) setAt(coerced, fix.path, fix.value);
  }
}

/** The values to put where `issue` found a string but wanted a boolean or a number (in any member of a union). */
export function coercionsFor(
  issue: z.core.$ZodIssue,
  values: Record<string, unknown>,
): { path: readonly PropertyKey[]; value: unknown }[] {
  if (issue.code === "invalid_union") {
    return issue.errors
      .flat()
      .flatMap((inner) => coercionsFor({ ...inner, path: [...issue.path, ...inner.path] }, values));
  }
  // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: only a type error has `expected`
  if (issue.code !== "invalid_type") return [];
  const expected: unknown = issue.expected; // zod types it as an open string union, which `!==` cannot narrow
  if (expected !== "boolean" && expected !== "number") return [];
  const text = valueAt(values, issue.path);
  const value = typeof text === "string" ? coerceText(text, expected) : undefined;
  return value === undefined ? [] : [{ path: issue.path, value }];
}

function setAt(root: Record<string, unknown>, path: readonly PropertyKey[], value: unknown): void {
  let node: Record<PropertyKey, unknown> = root;
  for (const part of path.slice(0, -1)) node = node[part] as Record<PropertyKey, unknown>;
  node[path[path.length - 1]] = value;
}

function describeIssue(issue: z.core.$ZodIssue, values: Record<string, unknown>): string {
  const key = formatPath(issue.path);
  if (issue.code === "unrecognized_keys") {
    const base = issue.path.length > 0 ? `${key}.` : "";
    return issue.keys.map((k) => `${CONFIG_NAMESPACE}:${base}${k}: is not a known key`).join("; ");
  }
  const value = valueAt(values, issue.path);
  const got = value === undefined ? "it is missing" : `got ${redactUrlCredentials(JSON.stringify(value))}`;
  return `${CONFIG_NAMESPACE}:${key}: ${issue.message}, ${got}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`))
    .join("");
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const part of path) {
    // One test for both null and the primitives (config values are plain objects and arrays).
    if (!(node instanceof Object)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}
