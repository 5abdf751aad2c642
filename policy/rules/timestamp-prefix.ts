// Timestamp patterns that are valid Java but almost always mistakes: `YYYY` (week-based year: 2025-12-29 is in
// 2026), `DD` (day of the year), `hh` (12-hour clock without AM/PM), where `yyyy`, `dd`, `HH` were meant.
import { stringAt } from "../lib/fields";
import { Finding, skipped, violation } from "../lib/findings";
import { InputObject, isUnknown } from "../lib/unknown-values";
import { s3Configurations } from "./firehose-destinations";
import { parsePrefix } from "./prefix-expressions";
import { suspiciousRuns } from "./timestamp-patterns";

export interface TimestampPatternConfig {
  /** Pattern letter -> the letter probably meant. */
  readonly suspiciousLetters: Readonly<Record<string, string>>;
}

const WHY: Readonly<Record<string, string>> = {
  Y: "the week-based year, wrong around New Year (2025-12-29 gives 2026)",
  D: "the day of the year (001-366)",
  h: "the 12-hour clock hour (01-12, no AM/PM)",
};

export function checkTimestampPatterns(inputs: InputObject, config: TimestampPatternConfig): Finding[] {
  return s3Configurations(inputs).flatMap((s3) =>
    ["prefix", "errorOutputPrefix"].flatMap((key): Finding[] => {
      const value = stringAt(s3.config, key);
      if (isUnknown(value)) {
        return [skipped(value, "timestamp patterns")];
      }
      if (value === undefined) {
        return [];
      }
      return parsePrefix(value)
        .expressions.filter((expression) => expression.namespace === "timestamp")
        .flatMap((expression) =>
          suspiciousRuns(expression.value, config.suspiciousLetters).map((run) =>
            violation(
              `${s3.path}.${key} "${value}": ${expression.text} uses ${run.text}, ` +
                `${WHY[run.letter] ?? `probably not what was meant`}: write ${run.suggestion}`,
            ),
          ),
        );
    }),
  );
}
