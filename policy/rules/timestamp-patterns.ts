// Suspicious runs in `!{timestamp:PATTERN}`: letters Java accepts that are rarely what a prefix means (`YYYY`, the
// week-based year, for `yyyy`). What Java rejects is the pattern grammar's job (policy/lib/java-date-format.ts).
import { PatternRun, patternRuns } from "../lib/java-date-format";

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
