// What a config value is, the one rule both readers follow: the program (config/pulumi-config.ts, fed by the
// Pulumi engine) and the offline tools (config/stack-file.ts, reading Pulumi.<stack>.yaml).
// - The engine hands the program every top-level value as text: structured values as JSON, scalars as their
//   text (`protect: false` and `protect: "false"` both arrive as "false"). The stack file reader turns each
//   top-level value into that same text first, so both readers see the same thing.
// - `pulumi config set key false` (without `--type`) stores a string, and so may `--path` for nested values.
//   Where the schema wants a boolean or a number and gets a string, the string is read as Pulumi's typed getters
//   read it: exactly `true`/`false`, or a decimal number. Anywhere else a string stays a string (a tag value
//   "1234" is not a number).

/** The text the Pulumi engine passes to the program for a top-level config value of a stack file. */
export function engineText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The value a top-level config text stands for: JSON for a structured value, the text itself otherwise. */
export function fromEngineText(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** `text` as the scalar type the schema expects, or undefined when it does not spell one. */
export function coerceText(text: string, expected: "boolean" | "number"): boolean | number | undefined {
  if (expected === "boolean") return text === "true" ? true : text === "false" ? false : undefined;
  const n = Number(text);
  return DECIMAL.test(text) && Number.isFinite(n) ? n : undefined;
}
