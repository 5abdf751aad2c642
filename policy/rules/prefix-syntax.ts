// Syntax of one prefix as AWS validates it at create time: expressions, timestamp pattern letters, length.
import { Finding, violation } from "../lib/findings";
import { parsePrefix, ParsedPrefix } from "./prefix-expressions";
import { javaPatternProblem } from "../lib/java-date-format";

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
    const problem = javaPatternProblem(expression.value);
    if (problem !== undefined) {
      findings.push(
        violation(
          `${field} "${prefix}": ${expression.text} is not a Java DateTimeFormatter pattern, ${problem}: ` +
            "quote literal text ('T') or use yyyy, MM, dd, HH",
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
