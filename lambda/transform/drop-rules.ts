import { FieldPath, parseFieldPath, valueAt } from "./field-path";
import { hasOwn, isJsonObject, JsonObject } from "./json";

export type DropRuleValue = string | number | boolean;

/** A record is dropped when the value at `field` strictly equals one of `values` (type included: "1" is not 1). */
export interface DropRule {
  readonly field: FieldPath;
  readonly values: readonly DropRuleValue[];
}

const VARIABLE = "DROP_RULES";

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

function isRuleValue(value: unknown): value is DropRuleValue {
  return (
    typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && isFinite(value))
  );
}

function parseRule(raw: unknown, index: number): DropRule {
  const where = `${VARIABLE}[${index}]`;
  if (!isJsonObject(raw))
    throw new Error(
      `${where} must be an object like {"field":"action","equals":"healthcheck"}, got ${shown(raw)}`,
    );
  for (const key of Object.keys(raw)) {
    if (key !== "field" && key !== "equals" && key !== "in") {
      throw new Error(
        `${where} has unknown key ${JSON.stringify(key)} (allowed: field, equals, in), got ${shown(raw)}`,
      );
    }
  }
  if (typeof raw.field !== "string" || raw.field === "") {
    throw new Error(`${where}.field must be a non-empty string, got ${shown(raw.field)}`);
  }
  const field = parseFieldPath(raw.field, `${where}.field`);
  const hasEquals = hasOwn(raw, "equals");
  const hasIn = hasOwn(raw, "in");
  if (hasEquals === hasIn)
    throw new Error(`${where} must have exactly one of "equals" or "in", got ${shown(raw)}`);
  if (hasEquals) {
    if (!isRuleValue(raw.equals)) {
      throw new Error(`${where}.equals must be a string, number or boolean, got ${shown(raw.equals)}`);
    }
    return { field, values: [raw.equals] };
  }
  const list = raw.in;
  if (!Array.isArray(list) || list.length === 0) {
    throw new Error(`${where}.in must be a non-empty array, got ${shown(list)}`);
  }
  list.forEach((value, i) => {
    if (!isRuleValue(value))
      throw new Error(`${where}.in[${i}] must be a string, number or boolean, got ${shown(value)}`);
  });
  return { field, values: list as DropRuleValue[] };
}

/** Parses DROP_RULES (a JSON array); unset or blank means no rules. */
export function parseDropRules(text: string | undefined): DropRule[] {
  if (text === undefined || text.trim() === "") return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // Not JSON: reported with the same message as JSON that is not an array, just below.
  }
  if (!Array.isArray(raw)) throw new Error(`${VARIABLE} must be a JSON array of rules, got ${shown(text)}`);
  return raw.map(parseRule);
}

export function matchesDropRule(record: JsonObject, rules: readonly DropRule[]): boolean {
  for (const rule of rules) {
    const value = valueAt(record, rule.field);
    // Rule values are never undefined, so an absent field never matches.
    if (rule.values.includes(value as DropRuleValue)) return true;
  }
  return false;
}
