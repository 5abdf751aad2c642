// Firehose's S3 prefix expressions (`!{namespace:value}`), evaluated as the service does: every timestamp
// expression at the same instant (the oldest record's arrival, UTC), a new random string at each use, the error
// output type, partition keys from the inline parser or the Lambda, and `yyyy/MM/dd/HH/` appended to a data
// prefix that has neither a timestamp nor a partition key expression.
import { randomUUID } from "node:crypto";
import { compileDateFormat, DateFormatter } from "../policy/lib/java-date-format";
import {
  MAX_EVALUATED_PREFIX_LENGTH,
  MAX_PREFIX_LENGTH,
  parsePrefix,
  PrefixExpression,
  PrefixText,
} from "../policy/rules/prefix-expressions";

export type PrefixKind = "prefix" | "errorOutputPrefix";

/** The values an object's prefix is evaluated with. */
export interface PrefixValues {
  /** Approximate arrival time (ms since epoch) of the oldest record in the object. */
  readonly arrivalMs: number;
  readonly errorOutputType?: string;
  readonly keysFromQuery?: Readonly<Record<string, string>>;
  readonly keysFromLambda?: Readonly<Record<string, string>>;
}

/** The default time prefix Firehose appends to a data prefix without a timestamp expression. */
const DEFAULT_TIME_EXPRESSION = "!{timestamp:yyyy/MM/dd/HH/}";

type Part =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "timestamp"; readonly format: DateFormatter }
  | { readonly kind: "random" }
  | { readonly kind: "errorOutputType" }
  | { readonly kind: "fromQuery" | "fromLambda"; readonly key: string };

/** A partition key the prefix needs is missing from the record's keys. */
export class MissingPartitionKeyError extends Error {
  constructor(
    readonly namespace: "partitionKeyFromQuery" | "partitionKeyFromLambda",
    readonly key: string,
  ) {
    super(`partition key '${key}' (${namespace}) was not found in the record's keys`);
    this.name = "MissingPartitionKeyError";
  }
}

/** 11 random characters, like Firehose's `046b6c7f-0b`: the start of a random UUID. */
export function randomString(): string {
  return randomUUID().slice(0, 11);
}

export class Prefix {
  private constructor(
    readonly template: string,
    private readonly parts: readonly Part[],
    private readonly random: () => string,
  ) {}

  /**
   * Parses a prefix and checks Firehose's rules for its kind. Throws an error naming the field and the value.
   * `random` is replaceable for tests; Firehose draws a new string at each use.
   */
  static compile(template: string, kind: PrefixKind, random: () => string = randomString): Prefix {
    const fail = (why: string): never => {
      throw new Error(`[${kind}] ${why}, got ${JSON.stringify(template)}`);
    };
    if (template.length > MAX_PREFIX_LENGTH) fail(`must be at most ${MAX_PREFIX_LENGTH} characters`);
    const parts = parseParts(template, fail);
    const has = (k: Part["kind"]) => parts.some((p) => p.kind === k);
    if (kind === "errorOutputPrefix") {
      if (has("fromQuery") || has("fromLambda")) fail("may not use partition keys");
      if (parts.some((p) => p.kind !== "text") && !has("errorOutputType")) {
        fail("must contain !{firehose:error-output-type} when it contains expressions");
      }
    } else if (has("errorOutputType")) {
      fail("may not contain !{firehose:error-output-type}");
    }
    // With dynamic partitioning (partition keys in the prefix) Firehose appends no default time.
    if (kind === "prefix" && !has("timestamp") && !has("fromQuery") && !has("fromLambda")) {
      parts.push(...parseParts(DEFAULT_TIME_EXPRESSION, fail));
    }
    return new Prefix(template, parts, random);
  }

  /** Keys (by namespace) the prefix reads from records. */
  partitionKeys(namespace: "fromQuery" | "fromLambda"): string[] {
    return this.parts.flatMap((p) => (p.kind === namespace ? [p.key] : []));
  }

  /** The prefix for one object. Throws MissingPartitionKeyError when a key it needs is missing. */
  evaluate(values: PrefixValues): string {
    let out = "";
    for (const part of this.parts) {
      switch (part.kind) {
        case "text":
          out += part.text;
          break;
        case "timestamp":
          out += part.format(values.arrivalMs);
          break;
        case "random":
          out += this.random();
          break;
        case "errorOutputType":
          out += values.errorOutputType ?? "";
          break;
        case "fromQuery":
        case "fromLambda": {
          const keys = part.kind === "fromQuery" ? values.keysFromQuery : values.keysFromLambda;
          const value = keys?.[part.key];
          if (value === undefined || value === "") {
            throw new MissingPartitionKeyError(
              part.kind === "fromQuery" ? "partitionKeyFromQuery" : "partitionKeyFromLambda",
              part.key,
            );
          }
          out += value;
          break;
        }
      }
    }
    if (out.length > MAX_EVALUATED_PREFIX_LENGTH) {
      throw new Error(
        `evaluated prefix is ${out.length} characters, over Firehose's ${MAX_EVALUATED_PREFIX_LENGTH}: ${out}`,
      );
    }
    return out;
  }
}

/** The evaluable parts of a prefix the grammar parsed; its first problem fails the compile. */
function parseParts(template: string, fail: (why: string) => never): Part[] {
  const parsed = parsePrefix(template);
  if (parsed.problems.length > 0) fail(parsed.problems[0]);
  return parsed.parts.map((part) => partOf(part, fail));
}

function partOf(part: PrefixText | PrefixExpression, fail: (why: string) => never): Part {
  switch (part.namespace) {
    case "text":
      return { kind: "text", text: part.text };
    case "timestamp":
      try {
        return { kind: "timestamp", format: compileDateFormat(part.value) };
      } catch (err) {
        return fail((err as Error).message);
      }
    case "firehose":
      return part.value === "random-string" ? { kind: "random" } : { kind: "errorOutputType" };
    case "partitionKeyFromQuery":
      return { kind: "fromQuery", key: part.value };
    case "partitionKeyFromLambda":
      return { kind: "fromLambda", key: part.value };
  }
}
