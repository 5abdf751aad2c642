import { JsonObject, JsonValue } from "./json";

/** From 2^53 up, doubles are integers spaced 2 or more apart, so longer integers lose digits. */
const EXACT_INTEGER_LIMIT = 2 ** 53;

const NUMBER_TOKEN = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const NUMBER_PARTS = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

function isSuspect(value: JsonValue): boolean {
  // Stryker disable next-line UnaryOperator: flagging every number only leaves the answer to the precise pass.
  return typeof value === "number" && !(value > -EXACT_INTEGER_LIMIT && value < EXACT_INTEGER_LIMIT);
}

/** Cheap first pass over the parsed value: any number that overflowed or is at least 2^53 in magnitude. */
function hasSuspectNumber(root: JsonObject): boolean {
  const pending: (JsonObject | JsonValue[])[] = [root];
  while (pending.length > 0) {
    const node = pending.pop() as JsonObject | JsonValue[];
    if (Array.isArray(node)) {
      for (const value of node) {
        if (isSuspect(value)) return true;
        if (typeof value === "object" && value !== null) pending.push(value);
      }
    } else {
      for (const key in node) {
        const value = node[key];
        if (isSuspect(value)) return true;
        if (typeof value === "object" && value !== null) pending.push(value);
      }
    }
  }
  // Stryker disable next-line BooleanLiteral: a first pass that flags everything leaves the answer to the precise pass.
  return false;
}

/** A decimal's significant digits and exponent, e.g. `1.50e3` and `1500` both give `15e2`; the sign is dropped. */
function canonicalDecimal(token: string): string {
  const [, integer, fraction = "", exponent = "0"] = NUMBER_PARTS.exec(token) as RegExpExecArray;
  const digits = (integer + fraction).replace(/^0+/, "");
  const significant = digits.replace(/0+$/, "");
  // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable, keepsValue passes only magnitudes of 2^53 or more.
  if (significant === "") return "0";
  const scale = Number(exponent) - fraction.length + (digits.length - significant.length);
  return `${significant}e${scale}`;
}

/** Whether a number token keeps its decimal value when read as a double and written back by JSON.stringify. */
function keepsValue(token: string): boolean {
  const value = Number(token);
  if (!Number.isFinite(value)) return false;
  // Below 2^53 only digits after the decimal point can round, as in every reader that uses doubles.
  if (Math.abs(value) < EXACT_INTEGER_LIMIT) return true;
  return canonicalDecimal(token) === canonicalDecimal(String(value));
}

/** Precise pass over the JSON text: every number token outside strings. */
function hasInexactNumberToken(text: string): boolean {
  let i = 0;
  while (i < text.length) {
    const char = text.charCodeAt(i);
    if (char === 0x22) {
      i++;
      while (text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      i++;
    } else if (char === 0x2d || (char >= 0x30 && char <= 0x39)) {
      NUMBER_TOKEN.lastIndex = i;
      const token = (NUMBER_TOKEN.exec(text) as RegExpExecArray)[0];
      if (!keepsValue(token)) return true;
      i += token.length;
    } else {
      i++;
    }
  }
  return false;
}

/**
 * True when JSON.parse followed by JSON.stringify would change a number of this record beyond rounding its
 * fraction: one that overflows a double (it would be written as null), or one of magnitude 2^53 or more whose
 * digits would change (12345678901234567890 would be written as 12345678901234567000). Such a record is failed
 * rather than corrupted. `text` must be the JSON text `record` was parsed from.
 */
export function losesNumberPrecision(record: JsonObject, text: string): boolean {
  return hasSuspectNumber(record) && hasInexactNumberToken(text);
}
