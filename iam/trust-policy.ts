// The shape a service role's trust policy must have: only its service may assume it, only with sts:AssumeRole,
// and only under the confused-deputy conditions that service sends. The simulator then shows that the service
// really can assume the role with what it sends, and cannot without it.
import { ConditionBlock, listOf, statementsOf } from "./policy-document";
import { StackRole } from "./stack-iam";

export interface ExpectedTrust {
  /** The one service principal that may assume the role, e.g. `firehose.amazonaws.com`. */
  readonly service: string;
  /** Condition keys the service sets and the trust policy must require (e.g. `sts:ExternalId`); may be empty. */
  readonly conditionKeys: readonly string[];
}

/** Operators that require the key to be present and to match; `...IfExists` and negations would let its absence through. */
const REQUIRING_OPERATORS = ["StringEquals", "StringLike", "ArnEquals", "ArnLike"];

export function trustProblems(role: StackRole, expected: ExpectedTrust): string[] {
  const problems: string[] = [];
  statementsOf(role.trustPolicy).forEach((statement, index) => {
    const where = `role '${role.resourceName}': trust statement ${statement.Sid ?? `#${index + 1}`}`;
    if (statement.Effect !== "Allow") return;
    if (statement.NotPrincipal || statement.NotAction) {
      problems.push(`${where} uses NotPrincipal or NotAction; name the principal and the action`);
    }
    const principal = statement.Principal;
    const services = typeof principal === "object" ? listOf(principal.Service) : [];
    const others =
      typeof principal === "object" ? Object.keys(principal).filter((k) => k !== "Service") : ["*"];
    if (others.length > 0 || services.length !== 1 || services[0] !== expected.service) {
      problems.push(`${where} lets ${JSON.stringify(principal)} assume it; only ${expected.service} may`);
    }
    const actions = listOf(statement.Action);
    if (actions.length !== 1 || actions[0] !== "sts:AssumeRole") {
      problems.push(
        `${where} allows ${JSON.stringify(statement.Action)}; a service role needs sts:AssumeRole only`,
      );
    }
    for (const key of expected.conditionKeys) {
      if (!requires(statement.Condition, key)) {
        problems.push(
          `${where} does not require ${key} (${REQUIRING_OPERATORS.join("/")}): ${expected.service} sends it, ` +
            "and without it any account's resource could make the service act with this role (confused deputy)",
        );
      }
    }
  });
  return problems;
}

function requires(condition: ConditionBlock | undefined, key: string): boolean {
  return REQUIRING_OPERATORS.some((operator) =>
    Object.keys(condition?.[operator] ?? {}).some((k) => k.toLowerCase() === key.toLowerCase()),
  );
}
