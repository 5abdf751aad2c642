// Firehose S3 prefixes: literal text with `!{namespace:value}` expressions (Firehose Developer Guide, "Custom
// prefixes for Amazon S3 objects"). `!{` may appear only as the start of a valid expression. The one parser of
// the grammar: the policy pack checks prefixes with it, config/layout reads the derived ones, and the local run
// evaluates what it parses. It lives in the pack because the pack must stay self-contained.

export const PREFIX_NAMESPACES = [
  "timestamp",
  "firehose",
  "partitionKeyFromQuery",
  "partitionKeyFromLambda",
] as const;
export type PrefixNamespace = (typeof PREFIX_NAMESPACES)[number];

/** The values of the `firehose` namespace. */
export const FIREHOSE_VALUES = ["random-string", "error-output-type"] as const;

export const ERROR_OUTPUT_TYPE = "!{firehose:error-output-type}";

/** AWS's limit on a prefix as written (API). */
export const MAX_PREFIX_LENGTH = 1024;
/** Firehose's limit on an evaluated prefix (Developer Guide, dynamic partitioning). */
export const MAX_EVALUATED_PREFIX_LENGTH = 512;

export interface PrefixExpression {
  readonly namespace: PrefixNamespace;
  readonly value: string;
  /** The expression as written, e.g. `!{timestamp:yyyy}`. */
  readonly text: string;
}

/** Literal text between expressions. */
export interface PrefixText {
  readonly namespace: "text";
  readonly text: string;
}

export interface ParsedPrefix {
  /** Text and valid expressions in order (invalid expressions are left out and named in `problems`). */
  readonly parts: readonly (PrefixText | PrefixExpression)[];
  readonly expressions: readonly PrefixExpression[];
  /** Why parts of the prefix are not valid expressions, one sentence each. */
  readonly problems: readonly string[];
  /** The literal text before the first expression: the S3 key prefix every object shares. */
  readonly literalHead: string;
}

const KEY_NAME = /^[A-Za-z0-9_.-]+$/;

export function parsePrefix(prefix: string): ParsedPrefix {
  const parts: (PrefixText | PrefixExpression)[] = [];
  const problems: string[] = [];
  const text = (from: number, to: number) => {
    if (to > from) parts.push({ namespace: "text", text: prefix.slice(from, to) });
  };
  let position = prefix.indexOf("!{");
  const literalHead = position === -1 ? prefix : prefix.slice(0, position);
  let done = 0;
  while (position !== -1) {
    text(done, position);
    const end = prefix.indexOf("}", position);
    if (end === -1) {
      problems.push(`"!{" at position ${position} is never closed with "}"`);
      done = prefix.length;
      break;
    }
    const parsed = parseExpression(prefix.slice(position, end + 1));
    if (typeof parsed === "string") {
      problems.push(parsed);
    } else {
      parts.push(parsed);
    }
    done = end + 1;
    position = prefix.indexOf("!{", done);
  }
  text(done, prefix.length);
  const expressions = parts.filter((part): part is PrefixExpression => part.namespace !== "text");
  return { parts, expressions, problems, literalHead };
}

function parseExpression(text: string): PrefixExpression | string {
  const body = text.slice(2, -1);
  const colon = body.indexOf(":");
  if (body.includes("!{") || colon === -1) {
    return `"${text}" is not an expression of the form !{namespace:value}`;
  }
  const namespace = body.slice(0, colon);
  const value = body.slice(colon + 1);
  if (!isNamespace(namespace)) {
    return `"${text}" uses namespace "${namespace}"; valid namespaces are ${PREFIX_NAMESPACES.join(", ")}`;
  }
  if (value === "") {
    return `"${text}" has an empty value`;
  }
  if (namespace === "firehose" && !FIREHOSE_VALUES.some((allowed) => allowed === value)) {
    return `"${text}" is not a firehose value; use ${FIREHOSE_VALUES.map((v) => `!{firehose:${v}}`).join(" or ")}`;
  }
  if (namespace.startsWith("partitionKey") && !KEY_NAME.test(value)) {
    return `"${text}" has an invalid partition key name`;
  }
  return { namespace, value, text };
}

function isNamespace(value: string): value is PrefixNamespace {
  return PREFIX_NAMESPACES.some((namespace) => namespace === value);
}

export function hasExpressions(prefix: string): boolean {
  return prefix.includes("!{");
}

export function partitionKeyExpressions(parsed: ParsedPrefix): PrefixExpression[] {
  return parsed.expressions.filter(
    (e) => e.namespace === "partitionKeyFromQuery" || e.namespace === "partitionKeyFromLambda",
  );
}

/** Whether one literal head lies inside the other, so one prefix's objects sit under the other's location. */
export function prefixesOverlap(first: string, second: string): boolean {
  return first.startsWith(second) || second.startsWith(first);
}
