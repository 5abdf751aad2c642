// What a role must be able to do and what it must not, and the checker that runs both lists through the
// simulator. A failure names the role, the action, the resource, the decision and why it was expected.
import { ContextValues, decide } from "./simulate";
import { StackIam, StackRole } from "./stack-iam";

export interface AccessExpectation {
  readonly action: string;
  readonly resource: string;
  readonly context?: ContextValues;
  /** Who asks, when it is not the role itself (for a trust policy: the service principal or another account). */
  readonly principal?: string;
  /** Why the service needs it, or why it must be refused; quoted in failures. */
  readonly because: string;
}

export interface AccessTable {
  readonly role: StackRole;
  readonly mustAllow: readonly AccessExpectation[];
  readonly mustDeny: readonly AccessExpectation[];
}

/** Every expectation of `table` the stack's policies break, as a message; none when the role is exactly right. */
export async function accessFailures(stack: StackIam, table: AccessTable): Promise<string[]> {
  const expectations = [
    ...table.mustAllow.map((e) => ({ ...e, allow: true })),
    ...table.mustDeny.map((e) => ({ ...e, allow: false })),
  ];
  const failures = await Promise.all(
    expectations.map(async (e) => {
      const principal = e.principal ?? table.role.arn;
      const decision = await decide(stack, { ...e, principal });
      const allowed = decision.result === "Allowed";
      if (decision.result !== "InvalidRequest" && allowed === e.allow) return undefined;
      const asker = e.principal ? ` asked by ${e.principal}` : "";
      const context = e.context ? ` with ${JSON.stringify(e.context)}` : "";
      return (
        `role '${table.role.resourceName}': ${e.action} on ${e.resource}${asker}${context} must be ` +
        `${e.allow ? "allowed" : "denied"} (${e.because}), but is ${decision.result}: ${decision.reason}`
      );
    }),
  );
  return failures.filter((f): f is string => f !== undefined);
}
