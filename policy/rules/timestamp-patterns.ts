// `!{timestamp:PATTERN}` takes a Java DateTimeFormatter pattern. Text in single quotes is literal ('' is a
// quote). Letters outside quotes are pattern letters; Java rejects the ones it does not define.

/** Pattern letters of java.time.format.DateTimeFormatter (including `p`, the pad modifier). */
const JAVA_PATTERN_LETTERS = new Set("GuyDMLdQqYwWEecFaBhKkHmsSAnNVvzOXxZgp");

/** A run of one repeated pattern letter, e.g. `YYYY`. */
export interface PatternRun {
  readonly letter: string;
  readonly text: string;
}

/** The runs of pattern letters outside quoted literal text. */
export function patternRuns(pattern: string): PatternRun[] {
  const runs: PatternRun[] = [];
  let quoted = false;
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index];
    if (character === "'") {
      quoted = !quoted;
      continue;
    }
    if (quoted || !/[A-Za-z]/.test(character)) {
      continue;
    }
    const previous = runs[runs.length - 1];
    const continuesRun =
      previous !== undefined && previous.letter === character && pattern[index - 1] === character;
    if (continuesRun) {
      runs[runs.length - 1] = { letter: character, text: previous.text + character };
    } else {
      runs.push({ letter: character, text: character });
    }
  }
  return runs;
}

/** Letters Java's DateTimeFormatter rejects ("Unknown pattern letter"), in order of appearance. */
export function invalidPatternLetters(pattern: string): string[] {
  const invalid = patternRuns(pattern)
    .map((run) => run.letter)
    .filter((letter) => !JAVA_PATTERN_LETTERS.has(letter));
  return [...new Set(invalid)];
}

/** Runs whose letter is in `suspicious` (letter -> the letter probably meant), with the run to write instead. */
export function suspiciousRuns(
  pattern: string,
  suspicious: Readonly<Record<string, string>>,
): Array<PatternRun & { readonly suggestion: string }> {
  return patternRuns(pattern).flatMap((run) => {
    const meant = suspicious[run.letter];
    return meant === undefined ? [] : [{ ...run, suggestion: meant.repeat(run.text.length) }];
  });
}
