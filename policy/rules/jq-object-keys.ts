// The keys a `MetadataExtractionQuery` produces. Firehose runs the query with jq 1.6 and takes the keys of the
// object it returns as partition keys, so the query is an object construction: `{customer_id: .customer.id,
// "year": .ts | strftime("%Y"), region}`. We read the top-level keys without evaluating the values.

export type JqKeysResult =
  | {
      readonly ok: true;
      readonly keys: readonly string[];
      /** False when a key is computed (`(.k): v`), so keys beyond `keys` may exist. */
      readonly complete: boolean;
    }
  | { readonly ok: false; readonly error: string };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VARIABLE = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;
/** The variables jq 1.6 defines in a program run without `--arg`: Firehose passes none. */
const DEFINED_VARIABLES: ReadonlySet<string> = new Set(["ENV"]);

export function jqObjectKeys(query: string): JqKeysResult {
  const trimmed = query.trim();
  if (!trimmed.startsWith("{") || closingBracket(trimmed) !== trimmed.length - 1) {
    return { ok: false, error: "is not a jq object construction such as {customer_id: .customer_id}" };
  }
  const body = trimmed.slice(1, -1);
  if (body.trim() === "") {
    return { ok: true, keys: [], complete: true };
  }
  const entries = splitTopLevel(body, ",");
  if (entries === undefined) {
    return { ok: false, error: "has unbalanced brackets or an unterminated string" };
  }
  // jq 1.6 allows one trailing comma, `{a: .x,}`, but no empty entry elsewhere.
  if (entries.length > 1 && entries[entries.length - 1].trim() === "") {
    entries.pop();
  }
  const keys: string[] = [];
  let complete = true;
  for (const entry of entries.map((e) => e.trim())) {
    if (entry === "") {
      return { ok: false, error: "has an empty entry (a stray comma)" };
    }
    const [keyPart, value] = splitTopLevel(entry, ":", 1) ?? [entry];
    const variable = VARIABLE.exec(keyPart.trim());
    if (variable !== null && value === undefined && !DEFINED_VARIABLES.has(variable[1])) {
      return {
        ok: false,
        error: `uses $${variable[1]}, a variable a MetadataExtractionQuery never defines (jq 1.6 does not compile it)`,
      };
    }
    const key = keyOf(keyPart.trim(), value !== undefined);
    if (key === "computed") {
      complete = false;
    } else if (key === undefined) {
      return { ok: false, error: `has an entry jq cannot use as an object key: ${entry}` };
    } else {
      keys.push(key);
    }
  }
  return { ok: true, keys, complete };
}

function keyOf(keyPart: string, hasValue: boolean): string | "computed" | undefined {
  if (IDENTIFIER.test(keyPart)) {
    return keyPart;
  }
  const variable = VARIABLE.exec(keyPart);
  // `{$x}` is `{x: $x}`. jq 1.6 has no `{$x: v}` (jq 1.7 added it, taking the key from the value of $x).
  if (variable !== null && !hasValue) {
    return variable[1];
  }
  // A string key is one literal: `"a" + "b": v` is an expression, which jq 1.6 only takes parenthesised.
  if (keyPart.startsWith('"') && stringEnd(keyPart) === keyPart.length - 1) {
    // An interpolated string key, "\(...)", is computed.
    return keyPart.includes("\\(") ? "computed" : unquote(keyPart);
  }
  // `(expr): v` is one parenthesised group with a value; `{(.a)}` and `{(.a) + (.b): v}` do not parse.
  if (keyPart.startsWith("(") && closingBracket(keyPart) === keyPart.length - 1 && hasValue) {
    return "computed";
  }
  return undefined;
}

/** Index of the quote that ends the string literal opening at 0 (an interpolation may nest strings), or -1. */
function stringEnd(text: string): number {
  for (let index = 1; index < text.length; index++) {
    const character = text[index];
    if (character === '"') {
      return index;
    }
    if (character !== "\\") {
      continue;
    }
    index++;
    if (text[index] === "(") {
      // An interpolation: walk to its closing parenthesis, past any strings inside it.
      const close = closingBracket(text.slice(index));
      if (close < 0) {
        return -1;
      }
      index += close;
    }
  }
  return -1;
}

function unquote(literal: string): string {
  try {
    return String(JSON.parse(literal));
  } catch {
    // jq accepts a few escapes JSON does not; the raw text is close enough to name the key.
    return literal.slice(1, -1);
  }
}

/**
 * Walks `text` outside its strings, calling `visit` with each character's index and the bracket depth after it.
 * `visit` returns true to stop early. False when brackets do not balance or a string is not terminated.
 */
function walkOutsideStrings(
  text: string,
  visit: (index: number, character: string, depth: number) => boolean,
): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (inString) {
      if (character === "\\") {
        index++;
      } else if (character === '"') {
        inString = false;
      }
      continue;
    }
    if (character === '"') {
      inString = true;
      continue;
    }
    if ("([{".includes(character)) {
      depth++;
    } else if (")]}".includes(character)) {
      depth--;
      if (depth < 0) {
        return false;
      }
    }
    if (visit(index, character, depth)) {
      return true;
    }
  }
  return depth === 0 && !inString;
}

/** Index of the bracket that closes the one at 0, or -1. */
function closingBracket(text: string): number {
  let closing = -1;
  walkOutsideStrings(text, (index, character, depth) => {
    if (depth === 0 && ")]}".includes(character)) {
      closing = index;
      return true;
    }
    return false;
  });
  return closing;
}

/**
 * Splits at `separator` outside brackets and strings, at most `limit` times. Undefined when brackets do not
 * balance or a string is not terminated.
 */
function splitTopLevel(text: string, separator: string, limit = Infinity): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  const balanced = walkOutsideStrings(text, (index, character, depth) => {
    if (character === separator && depth === 0 && parts.length < limit) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
    return false;
  });
  if (!balanced) {
    return undefined;
  }
  parts.push(text.slice(start));
  return parts;
}
