// The grammar of a Glue (Hive) column type, in one place: the stack's config validates its table's columns with it
// and the local run reads the same columns with it (as DuckDB types and for the OpenX conversion).

/** The Glue scalar types a table column may have. */
export const GLUE_SCALARS = [
  "string",
  "int",
  "bigint",
  "smallint",
  "tinyint",
  "double",
  "float",
  "boolean",
  "date",
  "timestamp",
  "binary",
] as const;

export type GlueScalar = (typeof GLUE_SCALARS)[number];

export type GlueType =
  | { readonly kind: "scalar"; readonly name: GlueScalar }
  | { readonly kind: "decimal"; readonly precision: number; readonly scale: number }
  | { readonly kind: "array"; readonly element: GlueType }
  | { readonly kind: "map"; readonly key: GlueType; readonly value: GlueType }
  | { readonly kind: "struct"; readonly fields: readonly { name: string; type: GlueType }[] };

/** A type that is not Glue's: `reason` says where and why, the message also names the type. */
export class GlueTypeError extends Error {
  constructor(
    text: string,
    readonly reason: string,
  ) {
    super(`Glue type ${JSON.stringify(text)}: ${reason}`);
  }
}

/**
 * `text` read as a Glue type, case-insensitive, with spaces allowed around its brackets, commas and colons;
 * throws a GlueTypeError naming the position where it stops making sense.
 */
export function parseGlueType(text: string): GlueType {
  const [type, rest] = parseAt(text.trim().toLowerCase(), 0);
  if (rest !== text.trim().length) throw new GlueTypeError(text, `unexpected text at ${rest}`);
  return type;
}

/** Why `text` is not a column type as a stack's config writes one (lower case, nothing around it), if it is not. */
export function glueTypeProblem(text: string): string | undefined {
  if (text !== text.trim().toLowerCase()) return "write it in lower case, without spaces around it";
  try {
    parseGlueType(text);
    return undefined;
  } catch (err) {
    if (err instanceof GlueTypeError) return err.reason;
    throw err;
  }
}

function isScalar(word: string): word is GlueScalar {
  return (GLUE_SCALARS as readonly string[]).includes(word);
}

function parseAt(text: string, at: number): [GlueType, number] {
  const word = /^[a-z]+/.exec(text.slice(at))?.[0] ?? "";
  let i = at + word.length;
  const skipSpaces = () => {
    while (text[i] === " ") i++;
  };
  const expect = (ch: string) => {
    skipSpaces();
    if (text[i] !== ch) throw new GlueTypeError(text, `expected '${ch}' at ${i}`);
    i++;
    skipSpaces();
  };
  switch (word) {
    case "decimal": {
      const match = /^\((\d+),\s*(\d+)\)/.exec(text.slice(i));
      if (!match) throw new GlueTypeError(text, "decimal needs (precision,scale)");
      return [{ kind: "decimal", precision: Number(match[1]), scale: Number(match[2]) }, i + match[0].length];
    }
    case "array": {
      expect("<");
      const [element, next] = parseAt(text, i);
      i = next;
      expect(">");
      return [{ kind: "array", element }, i];
    }
    case "map": {
      expect("<");
      const [key, afterKey] = parseAt(text, i);
      i = afterKey;
      expect(",");
      const [value, afterValue] = parseAt(text, i);
      i = afterValue;
      expect(">");
      return [{ kind: "map", key, value }, i];
    }
    case "struct": {
      expect("<");
      const fields: { name: string; type: GlueType }[] = [];
      // Fields separated by commas, none after the last: `struct<>` or `struct<a:int, b:string>`.
      for (let more = text[i] !== ">"; more; more = text[i] === ",") {
        if (fields.length > 0) expect(",");
        const name = /^[a-z_][a-z0-9_]*/.exec(text.slice(i))?.[0];
        if (!name) throw new GlueTypeError(text, `expected a field name at ${i}`);
        i += name.length;
        expect(":");
        const [type, next] = parseAt(text, i);
        fields.push({ name, type });
        i = next;
        skipSpaces();
      }
      expect(">");
      return [{ kind: "struct", fields }, i];
    }
    default:
      if (!isScalar(word)) throw new GlueTypeError(text, `unknown type '${word}'`);
      return [{ kind: "scalar", name: word }, i];
  }
}
