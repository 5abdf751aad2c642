import { foldKey } from "./pii-paths";
import { JsonObject, JsonValue, setOwn } from "./json";
import { pseudonymOf } from "./pseudonym";

/** The detectors `PII_DETECT` may list, in the order they are tried. */
export const PII_DETECTORS = ["email", "phone", "card"] as const;
export type PiiDetector = (typeof PII_DETECTORS)[number];

/** What a detection does: mask the value, or fail the record (Firehose writes it to the error prefix). */
export const PII_DETECT_ACTIONS = ["mask", "fail"] as const;
export type PiiDetectAction = (typeof PII_DETECT_ACTIONS)[number];

export interface PiiDetectSettings {
  readonly detectors: readonly PiiDetector[];
  readonly action: PiiDetectAction;
}

/** Values found per detector; in `fail` mode a record stops at its first, so that one is counted. */
export type PiiDetectedCounts = Partial<Record<PiiDetector, number>>;

/**
 * An address anywhere in the text: an unquoted ASCII local part of 1-64 letters, digits and `_ . % + -` (not
 * starting with `.`), `@`, then two or more DNS labels ending in a letters-only (or `xn--`) top-level domain,
 * with no such character glued on either side. Not found: quoted or non-ASCII local parts, IP-literal and
 * dotless domains (`a@localhost`). Found although not addresses: `git@github.com:org/repo`-style SSH remotes.
 */
const EMAIL =
  /(?<![\w.%+-])[\w%+-][\w.%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})(?![\w-])/;

/** `+`, a digit run, then digit runs after one of space . - or in parentheses: `+1 (555) 123-4567`, `+4930123456`. */
const PHONE_INTERNATIONAL = /^\+\d+(?:[ .-]?\(\d+\)\d*|[ .-]\d+)*$/;
/**
 * Three or more digit runs split by one of space . - (`555-123-4567`, `01 23 45 67 89`), or a parenthesised area
 * code, after a 1-3 digit country or trunk prefix or not (`(555) 123-4567`, `1 (555) 123-4567`).
 */
const PHONE_NATIONAL = /^(?:(?:\d{1,3}[ .-]?)?\(\d+\)[ .-]?\d+(?:[ .-]\d+)*|\d+(?:[ .-]\d+){2,})$/;
/** Thousands grouping (`1.234.567.890`, `912 345 678`) and dotted quads (`192.168.100.10`) are not phones. */
const THOUSANDS = /^\d{1,3}(?:([ .-])\d{3})(?:\1\d{3})*$/;
const DOTTED_QUAD = /^\d{1,3}(?:\.\d{1,3}){3}$/;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Luhn over the digits of text[start, end), skipping separators. */
function luhnValidRun(text: string, start: number, end: number): boolean {
  let sum = 0;
  let double = false;
  // Stryker disable next-line ArithmeticOperator: the character at `end` is never a digit (CARD's lookahead).
  for (let i = end - 1; i >= start; i--) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) continue;
    let digit = code - 0x30;
    if (double) {
      digit *= 2;
      // Stryker disable next-line EqualityOperator: a doubled digit is even, never 9.
      if (digit > 9) digit -= 9;
    }
    // Stryker disable next-line AssignmentOperator: a sum and its negation are multiples of 10 alike.
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

const DIGIT = /\d/g;

/** Whether a digit string passes the Luhn (mod 10) check every payment card number carries. */
export function luhnValid(digits: string): boolean {
  return luhnValidRun(digits, 0, digits.length);
}

export function looksLikeEmail(text: string): boolean {
  // Stryker disable next-line StringLiteral: the includes is a fast path before the regex.
  return text.includes("@") && EMAIL.test(text);
}

/** An international number inside free text: `+` after a non-word character, then digits and separators. */
const PHONE_IN_TEXT = /(?<![\w+])\+\d[\d .()-]{6,24}\d(?!\d)/g;

/** `+` then 8-15 digits (E.164) in the shape PHONE_INTERNATIONAL allows. */
function isInternationalPhone(text: string): boolean {
  if (!PHONE_INTERNATIONAL.test(text)) return false;
  // Stryker disable next-line OptionalChaining: the text matched a pattern with digits.
  const digits = text.match(DIGIT)?.length ?? 0;
  return digits >= 8 && digits <= 15;
}

/**
 * A phone number: the whole value, international (`+`, 8-15 digits as E.164 allows) or national with
 * separators (10-11 digits in three or more runs, or with a parenthesised area code); or an international
 * number inside free text (`call me on +44 20 7946 0958`). National numbers inside free text, bare digit strings
 * without `+` (ids), 9-digit and shorter national numbers, and numbers with letters or extensions are not found,
 * so that ids, dates (`2025-11-25`: 8 digits), times and decimals are not flagged.
 */
export function looksLikePhone(text: string): boolean {
  // Stryker disable next-line StringLiteral: the includes is a fast path before the regex.
  return looksLikeWholePhone(text) || (text.includes("+") && containsInternationalPhone(text));
}

function containsInternationalPhone(text: string): boolean {
  PHONE_IN_TEXT.lastIndex = 0;
  for (let match = PHONE_IN_TEXT.exec(text); match !== null; match = PHONE_IN_TEXT.exec(text)) {
    if (isInternationalPhone(match[0])) return true;
  }
  return false;
}

function looksLikeWholePhone(text: string): boolean {
  const length = text.length;
  if (length < 9 || length > 30 || !isDigit(text.charCodeAt(length - 1))) return false;
  const first = text.charCodeAt(0);
  const international = first === 0x2b;
  if (!international && first !== 0x28 && !isDigit(first)) return false;
  if (international) return isInternationalPhone(text);
  if (!PHONE_NATIONAL.test(text)) return false;
  // Stryker disable next-line OptionalChaining: the text matched a pattern with digits.
  const digits = text.match(DIGIT)?.length ?? 0;
  return digits >= 10 && digits <= 11 && !THOUSANDS.test(text) && !DOTTED_QUAD.test(text);
}

/**
 * A candidate card number: 13-19 digits, optionally split by single spaces or dashes, starting with 2-6 (the
 * ISO/IEC 7812 industry digits of payment cards: Mir, Mastercard, Amex, Diners, JCB, Visa, Maestro, Discover,
 * UnionPay), at the start or after a character other than a letter, digit, `_` or `.`, and not followed by one of
 * those nor by a separator or `.` and a digit. The boundary character is part of the match (faster than a
 * lookbehind on every value).
 */
const CARD = /(?:^|[^\w.])[2-6](?:[ -]?\d){12,18}(?!\w|[ .-]\d)/g;

/**
 * A card number anywhere in the text: a CARD match that does not continue a digit run before it (`1 4111...`),
 * so digits inside ids, hex, decimals and longer numbers are skipped, and whose digits pass the Luhn check.
 */
export function looksLikeCard(text: string): boolean {
  // Stryker disable next-line ConditionalExpression: a fast path; CARD needs 13 digits.
  if (text.length < 13) return false;
  CARD.lastIndex = 0;
  for (let match = CARD.exec(text); match !== null; match = CARD.exec(text)) {
    const start = match.index;
    const end = start + match[0].length;
    const boundary = text.charCodeAt(start);
    const continuesRun =
      (boundary === 0x20 || boundary === 0x2d) && start > 0 && isDigit(text.charCodeAt(start - 1));
    if (!continuesRun && luhnValidRun(text, start, end)) return true;
  }
  return false;
}

/** JSON numbers are only checked as cards: integers of 13-19 digits (`4111111111111111` is exact as a double). */
function numberLooksLikeCard(value: number): boolean {
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: a fast path; CARD needs 13-19 digits starting 2-6, and String(value) of a non-integer this large has a fraction or an exponent that CARD refuses.
  return Number.isInteger(value) && value >= 1e12 && value < 1e19 && looksLikeCard(String(value));
}

const LOOKS_LIKE: Readonly<Record<PiiDetector, (text: string) => boolean>> = {
  email: looksLikeEmail,
  phone: looksLikePhone,
  card: looksLikeCard,
};

/** The first of `detectors` that finds PII in `text` (a value or a key), or undefined. */
export function detectedBy(text: string, detectors: readonly PiiDetector[]): PiiDetector | undefined {
  return detectors.find((name) => LOOKS_LIKE[name](text));
}

/** The prefix of a key's own pseudonym, and of the values under a key that was itself masked. */
export const MASKED_KEY_NAME = "key";

/** One record's scan: the enabled detectors, the digest, the batch's counts, and whether the record must fail. */
interface Scan {
  readonly email: boolean;
  readonly phone: boolean;
  readonly card: boolean;
  readonly mask: boolean;
  readonly digest: (value: string) => string;
  readonly counts: PiiDetectedCounts;
  failed: boolean;
}

function detect(scan: Scan, text: string): PiiDetector | undefined {
  if (scan.email && looksLikeEmail(text)) return "email";
  if (scan.phone && looksLikePhone(text)) return "phone";
  if (scan.card && looksLikeCard(text)) return "card";
  return undefined;
}

/** Counts a detection; returns the pseudonym that replaces `text` (`key` names it) or marks the record failed. */
function found(scan: Scan, detector: PiiDetector, key: string, value: JsonValue): string | undefined {
  scan.counts[detector] = (scan.counts[detector] ?? 0) + 1;
  if (scan.mask) return pseudonymOf(foldKey(key), value, scan.digest);
  scan.failed = true;
  return undefined;
}

/** The value with what the detectors match masked; `key` is its member's key, for the pseudonym's prefix. */
function scanValue(scan: Scan, value: JsonValue, key: string): JsonValue {
  if (typeof value === "string") {
    const detector = detect(scan, value);
    return detector === undefined ? value : (found(scan, detector, key, value) ?? value);
  }
  if (typeof value === "number") {
    return scan.card && numberLooksLikeCard(value) ? (found(scan, "card", key, value) ?? value) : value;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && !scan.failed; i++) value[i] = scanValue(scan, value[i], key);
    // Stryker disable next-line ConditionalExpression,LogicalOperator: for-in over null or a boolean visits nothing.
  } else if (typeof value === "object" && value !== null) {
    scanObject(scan, value);
  }
  return value;
}

function scanObject(scan: Scan, object: JsonObject): void {
  let maskedKeys: Map<string, string> | undefined;
  for (const key in object) {
    let name = key;
    const keyDetector = detect(scan, key);
    if (keyDetector !== undefined) {
      const pseudonym = found(scan, keyDetector, MASKED_KEY_NAME, key);
      if (pseudonym === undefined) return;
      (maskedKeys ??= new Map()).set(key, pseudonym);
      name = MASKED_KEY_NAME;
    }
    const value = object[key];
    const scanned = scanValue(scan, value, name);
    if (scan.failed) return;
    // Stryker disable next-line ConditionalExpression: setting the same value again changes nothing.
    if (scanned !== value) setOwn(object, key, scanned);
  }
  if (maskedKeys !== undefined) renameKeys(object, maskedKeys);
}

/** Renames keys in place, keeping their order. */
function renameKeys(object: JsonObject, renamed: ReadonlyMap<string, string>): void {
  const entries = Object.entries(object);
  for (const [key] of entries) delete object[key];
  for (const [key, value] of entries) setOwn(object, renamed.get(key) ?? key, value);
}

/**
 * The last line of defence, run after masking: every key and every string value at any depth (arrays included)
 * is tried by each enabled detector, and every integer JSON number by `card`. Configured PII fields hold
 * pseudonyms by then, which no detector matches. With `mask`, a matching value becomes `<key>_hash_<hex>` (its
 * member's key, lower-cased; for array elements the key holding the array) and a matching key `key_hash_<hex>`
 * (the values under it are then prefixed `key`, so the raw key appears nowhere). Returns true when the record
 * must fail (`fail`, at the first detection). `counts` gets one per detected value or key.
 */
export function detectPii(
  record: JsonObject,
  settings: PiiDetectSettings,
  digest: (value: string) => string,
  counts: PiiDetectedCounts,
): boolean {
  const { detectors } = settings;
  const scan: Scan = {
    email: detectors.includes("email"),
    phone: detectors.includes("phone"),
    card: detectors.includes("card"),
    mask: settings.action === "mask",
    digest,
    counts,
    failed: false,
  };
  scanObject(scan, record);
  return scan.failed;
}
