// Syntax of one prefix as AWS validates it at create time: expressions, timestamp pattern letters, length.
import { Finding, violation } from "../lib/findings";
import { parsePrefix, ParsedPrefix } from "./prefix-expressions";
import { invalidPatternLetters } from "./timestamp-patterns";

/** Violations of `prefix` (the value of input `field`), and the parse for further checks. */
export function checkPrefixSyntax(
  field: string,
  prefix: string,
  maxLength: number,
): { parsed: ParsedPrefix; findings: Finding[] } {
  const parsed = parsePrefix(prefix);
  const findings: Finding[] = parsed.problems.map((problem) =>
    violation(`${field} "${prefix}": ${problem}; "!{" may only start a valid expression`),
  );
  for (const expression of parsed.expressions.filter((e) => e.namespace === "timestamp")) {
    const invalid = invalidPatternLetters(expression.value);
    if (invalid.length > 0) {
      findings.push(
        violation(
          `${field} "${prefix}": ${expression.text} uses ${invalid.map((l) => `'${l}'`).join(", ")}, not a ` +
            "Java DateTimeFormatter pattern letter: quote literal text ('T') or use yyyy, MM, dd, HH",
        ),
      );
    }
  }
  if (prefix.length > maxLength) {
    findings.push(
      violation(`${field} is ${prefix.length} characters long; the limit is ${maxLength}: shorten it`),
    );
  }
  return { parsed, findings };
}
