// Java's DateTimeFormatter.ofPattern(...) as Firehose applies it to `!{timestamp:PATTERN}`: the one grammar of
// timestamp patterns, used by the policy pack (what Java rejects), config and the local run (formatting). The
// pattern letters, their counts and padding rules, quoted literals, evaluated in UTC. Text fields use English
// names and the week fields use en_US rules (weeks start on Sunday, week 1 is the week holding 1 January), the
// JVM default we assume Firehose runs with. So `YYYY` (week-based year) gives 2026 for every day from Sunday
// 2025-12-28. It lives in the policy pack because the pack must stay self-contained for `pulumi policy publish`.

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const QUARTER_NAMES = ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"];
const DAY_MS = 86_400_000;

/** The calendar fields of one UTC instant that the pattern letters read. */
interface Fields {
  readonly year: number;
  readonly month: number; // 1-12
  readonly dayOfMonth: number;
  readonly dayOfYear: number;
  readonly dayOfWeek: number; // 0 = Sunday
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly milli: number;
  readonly weekBasedYear: number;
  readonly weekOfWeekBasedYear: number;
  readonly weekOfMonth: number;
}

type Printer = (fields: Fields) => string;

export type DateFormatter = (epochMs: number) => string;

/**
 * The most letters of each kind Java's DateTimeFormatterBuilder.appendPattern accepts (more throw "Too many
 * pattern letters" or "The minimum width must be from 1 to 19"); letters it does not define throw "Unknown
 * pattern letter". `Y` has no maximum: its week-based printer skips appendValue's width check.
 */
// prettier-ignore
const MAX_LETTERS: Readonly<Record<string, number>> = {
  G: 5, u: 19, y: 19, Y: Infinity, Q: 5, q: 5, M: 5, L: 5, w: 2, W: 1, d: 2, D: 3, F: 1, g: 19,
  E: 5, e: 5, c: 5, a: 1, B: 5, h: 2, K: 2, k: 2, H: 2, m: 2, s: 2, S: 9, A: 19, n: 19, N: 19,
  V: 2, v: 4, z: 4, O: 4, X: 5, x: 5, Z: 5, p: 19,
};
/** Counts Java refuses below the maximum: `cc`, `B`/`BB`... only 1, 4, 5, `V` only 2, `O`/`v` only 1 or 4. */
const REFUSED_COUNTS: Readonly<Record<string, readonly number[]>> = {
  c: [2],
  B: [2, 3],
  V: [1],
  O: [2, 3],
  v: [2, 3],
};

type Token =
  | { readonly kind: "letters"; readonly letter: string; readonly count: number }
  | { readonly kind: "literal"; readonly text: string };

/** A run of one repeated pattern letter, e.g. `YYYY`. */
export interface PatternRun {
  readonly letter: string;
  readonly text: string;
}

class PatternError extends Error {
  constructor(
    pattern: string,
    readonly why: string,
  ) {
    super(`timestamp pattern ${JSON.stringify(pattern)}: ${why}`);
    this.name = "PatternError";
  }
}

/** Splits a pattern into letter runs and literal text; throws PatternError where Java's parser throws. */
function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let optionalDepth = 0;
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (/[A-Za-z]/.test(ch)) {
      let count = 1;
      while (pattern[i + count] === ch) count++;
      const max = MAX_LETTERS[ch];
      if (max === undefined) throw new PatternError(pattern, `unknown pattern letter '${ch}'`);
      if (count > max || REFUSED_COUNTS[ch]?.includes(count)) {
        throw new PatternError(
          pattern,
          `too many pattern letters '${ch}' (${count}), or a count Java refuses`,
        );
      }
      // A pad run must be followed by the letters it pads ("Pad letter 'p' must be followed by valid pad pattern").
      if (ch === "p" && !/[A-Za-z]/.test(pattern[i + count] ?? "")) {
        throw new PatternError(pattern, `pad letter 'p' at ${i} must be followed by pattern letters`);
      }
      tokens.push({ kind: "letters", letter: ch, count });
      i += count;
    } else if (ch === "'") {
      // As Java reads it: after the opening quote, '' is one quote and any other ' closes the literal (so
      // `''''` is one quote), and the empty literal `''` is one quote.
      let end = i + 1;
      while (!(pattern[end] === "'" && pattern[end + 1] !== "'")) {
        // A '' pair never ends the pattern, so `end` steps onto its length exactly when no quote closes.
        if (end === pattern.length) throw new PatternError(pattern, `unterminated quote at ${i}`);
        end += pattern[end] === "'" ? 2 : 1;
      }
      const literal = pattern.slice(i + 1, end);
      tokens.push({ kind: "literal", text: literal === "" ? "'" : literal.replaceAll("''", "'") });
      i = end + 1;
    } else if ("#{}".includes(ch)) {
      throw new PatternError(pattern, `'${ch}' is reserved, got it at ${i}`);
    } else if (ch === "[" || ch === "]") {
      // Optional sections always print when formatting: every field is available.
      optionalDepth += ch === "[" ? 1 : -1;
      if (optionalDepth < 0) throw new PatternError(pattern, `']' at ${i} closes no '['`);
      i++;
    } else {
      tokens.push({ kind: "literal", text: ch });
      i++;
    }
  }
  return tokens;
}

/** Why Java's DateTimeFormatter.ofPattern rejects `pattern`, or undefined when Java accepts it. */
export function javaPatternProblem(pattern: string): string | undefined {
  try {
    tokenize(pattern);
    return undefined;
  } catch (err) {
    // Stryker disable next-line ConditionalExpression: tokenize throws nothing but PatternError for a string
    if (err instanceof PatternError) return err.why;
    throw err;
  }
}

/** The runs of pattern letters outside quoted literal text, for a pattern Java accepts ([] otherwise). */
export function patternRuns(pattern: string): PatternRun[] {
  if (javaPatternProblem(pattern) !== undefined) return [];
  return tokenize(pattern).flatMap((token) =>
    token.kind === "letters" ? [{ letter: token.letter, text: token.letter.repeat(token.count) }] : [],
  );
}

/**
 * Compiles a pattern into a UTC formatter; throws naming the pattern and the problem: what Java rejects, and the
 * few letters Java accepts that this formatter cannot print (zone names, day periods, padding).
 */
export function compileDateFormat(pattern: string): DateFormatter {
  const printers = tokenize(pattern).map((token): Printer => {
    if (token.kind === "literal") return () => token.text;
    return letterPrinter(token.letter, token.count, pattern);
  });
  return (epochMs) => {
    const fields = fieldsOf(epochMs);
    let out = "";
    for (const print of printers) out += print(fields);
    return out;
  };
}

/** The printer of a run Java accepts (tokenize has checked the count). */
function letterPrinter(letter: string, count: number, pattern: string): Printer {
  const number = (value: (f: Fields) => number, minWidth: number): Printer => {
    return (f) => String(value(f)).padStart(minWidth, "0");
  };
  switch (letter) {
    case "G": {
      const width = textWidth(count);
      return (f) => {
        const [abbreviation, name] = f.year > 0 ? ["AD", "Anno Domini"] : ["BC", "Before Christ"];
        return width === "narrow" ? name[0] : width === "full" ? name : abbreviation;
      };
    }
    case "u":
      return yearPrinter((f) => f.year, count);
    case "y":
      // The year of era: 1 BC is the proleptic year 0.
      return yearPrinter((f) => (f.year > 0 ? f.year : 1 - f.year), count);
    case "Y":
      return yearPrinter((f) => f.weekBasedYear, count);
    case "Q":
    case "q":
      return textOrNumber(
        count,
        (f) => Math.floor((f.month - 1) / 3) + 1,
        (q, width) => (width === "short" ? `Q${q}` : width === "full" ? QUARTER_NAMES[q - 1] : String(q)),
      );
    case "M":
    case "L":
      return textOrNumber(
        count,
        (f) => f.month,
        (m, width) => nameOf(MONTHS[m - 1], width),
      );
    case "w":
      return number((f) => f.weekOfWeekBasedYear, count);
    case "W":
      return number((f) => f.weekOfMonth, 1);
    case "d":
      return number((f) => f.dayOfMonth, count);
    case "D":
      return number((f) => f.dayOfYear, count);
    case "E":
      return (f) => nameOf(WEEKDAYS[f.dayOfWeek], textWidth(count));
    case "e":
    case "c":
      return count <= 2
        ? (f) => String(f.dayOfWeek + 1).padStart(count, "0")
        : (f) => nameOf(WEEKDAYS[f.dayOfWeek], textWidth(count));
    case "a":
      return (f) => (f.hour < 12 ? "AM" : "PM");
    case "H":
      return number((f) => f.hour, count);
    case "k":
      return number((f) => (f.hour === 0 ? 24 : f.hour), count);
    case "K":
      return number((f) => f.hour % 12, count);
    case "h":
      return number((f) => (f.hour % 12 === 0 ? 12 : f.hour % 12), count);
    case "m":
      return number((f) => f.minute, count);
    case "s":
      return number((f) => f.second, count);
    case "S":
      return (f) => String(f.milli).padStart(3, "0").padEnd(9, "0").slice(0, count);
    case "A":
      return number((f) => ((f.hour * 60 + f.minute) * 60 + f.second) * 1000 + f.milli, count);
    case "n":
      return number((f) => f.milli * 1_000_000, count);
    case "N":
      return (f) =>
        (BigInt(((f.hour * 60 + f.minute) * 60 + f.second) * 1000 + f.milli) * 1_000_000n)
          .toString()
          .padStart(count, "0");
    case "X":
      return () => "Z";
    case "x":
      return () => ["+00", "+0000", "+00:00", "+0000", "+00:00"][count - 1];
    case "Z":
      return () => (count <= 3 ? "+0000" : count === 4 ? "GMT" : "Z");
    default:
      throw new PatternError(
        pattern,
        `pattern letter '${letter}' is valid Java but not supported locally ` +
          `(supported: G u y Y Q q M L w W d D E e c a H k K h m s S A n N X x Z)`,
      );
  }
}

/** Java's year printing: `yy` is the two-digit reduced year; otherwise the count is the minimum width. */
function yearPrinter(value: (f: Fields) => number, count: number): Printer {
  if (count === 2) return (f) => String(((value(f) % 100) + 100) % 100).padStart(2, "0");
  return (f) => {
    const year = value(f);
    const digits = String(Math.abs(year)).padStart(count, "0");
    // SignStyle.EXCEEDS_PAD (four letters or more) prints '+' when the year is wider than the pattern.
    const sign = year < 0 ? "-" : count >= 4 && String(year).length > count ? "+" : "";
    return sign + digits;
  };
}

type TextWidth = "short" | "full" | "narrow";

function textOrNumber(
  count: number,
  value: (f: Fields) => number,
  text: (v: number, w: TextWidth) => string,
) {
  if (count <= 2) return (f: Fields) => String(value(f)).padStart(count, "0");
  const width = textWidth(count);
  return (f: Fields) => text(value(f), width);
}

/** The width of a text field by its letter count: four letters print it full, five narrow, fewer short. */
function textWidth(count: number): TextWidth {
  return count === 4 ? "full" : count === 5 ? "narrow" : "short";
}

function nameOf(full: string, width: TextWidth): string {
  return width === "full" ? full : width === "short" ? full.slice(0, 3) : full[0];
}

function fieldsOf(epochMs: number): Fields {
  const date = new Date(epochMs);
  if (Number.isNaN(date.getTime())) throw new Error(`timestamp: not a valid time, got ${epochMs}`);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + 1;
  const dayOfMonth = date.getUTCDate();
  const dayOfWeek = date.getUTCDay();
  const dayStart = Date.UTC(year, month - 1, dayOfMonth);
  const dayOfYear = Math.round((dayStart - Date.UTC(year, 0, 1)) / DAY_MS) + 1;
  const nextWeekOne = weekOneStart(year + 1);
  const weekBasedYear = dayStart >= nextWeekOne ? year + 1 : year;
  const firstOfMonthWeekday = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  return {
    year,
    month,
    dayOfMonth,
    dayOfYear,
    dayOfWeek,
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    milli: date.getUTCMilliseconds(),
    weekBasedYear,
    weekOfWeekBasedYear: Math.floor((dayStart - weekOneStart(weekBasedYear)) / (7 * DAY_MS)) + 1,
    weekOfMonth: Math.floor((dayOfMonth - 1 + firstOfMonthWeekday) / 7) + 1,
  };
}

/** en_US week 1 (minimal days 1): the Sunday-started week that holds 1 January. */
function weekOneStart(year: number): number {
  const januaryFirst = Date.UTC(year, 0, 1);
  return januaryFirst - new Date(januaryFirst).getUTCDay() * DAY_MS;
}
