// IAM policy documents as the harness reads them back from a stack: the JSON the program wrote, parsed once,
// with every place a single value may stand for a list (Statement, Action, Resource) made a list.

export type ConditionBlock = Record<string, Record<string, string | string[] | boolean>>;

export interface PolicyStatementDocument {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Record<string, string | string[]>;
  readonly NotPrincipal?: Record<string, string | string[]>;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: PolicyStatementDocument | PolicyStatementDocument[];
}

/** The policy document in `json`; `where` names its resource and field in the error. */
export function parsePolicyDocument(json: unknown, where: string): PolicyDocument {
  const parsed: unknown = typeof json === "string" ? parseJson(json, where) : json;
  if (typeof parsed !== "object" || parsed === null || !("Statement" in parsed)) {
    throw new Error(`${where}: not an IAM policy document (no Statement): ${JSON.stringify(json)}`);
  }
  return parsed as PolicyDocument;
}

function parseJson(json: string, where: string): unknown {
  try {
    return JSON.parse(json);
  } catch (err) {
    throw new Error(`${where}: the policy is not JSON (${(err as Error).message})`);
  }
}

export function statementsOf(document: PolicyDocument): PolicyStatementDocument[] {
  return listOf(document.Statement);
}

/** A policy element that may be one value or a list, as a list. */
export function listOf<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
