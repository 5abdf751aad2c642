// Every role of both stacks is assumable by its one service only, with the confused-deputy condition the
// service supports: checked on the policy's shape, then simulated with what the service sends.
import { strict as assert } from "assert";
import { accessFailures } from "../../iam/access-table";
import { trustProblems } from "../../iam/trust-policy";
import { STACKS, StackUnderTest, stackUnderTest } from "./support/stack-under-test";
import { FIREHOSE, GLUE, LAMBDA, STEP_FUNCTIONS, trustTable } from "./tables/trust";

for (const stack of STACKS) {
  describe(`trust policies: every role of the ${stack} stack`, () => {
    let under: StackUnderTest;
    before(async () => {
      under = await stackUnderTest(stack);
    });

    /** Each role with the service that must be the only one to assume it. */
    const rolesWithTrust = () => [
      { role: under.facts.transformRole, trust: LAMBDA },
      ...under.pipelines.map((p) => ({ role: p.role, trust: FIREHOSE })),
      ...under.pipelines.flatMap((p) => (p.iceberg ? [{ role: p.iceberg.optimizerRole, trust: GLUE }] : [])),
      ...(under.facts.replay
        ? [
            { role: under.facts.replay.workerRole, trust: LAMBDA },
            { role: under.facts.replay.stateMachineRole, trust: STEP_FUNCTIONS },
          ]
        : []),
    ];

    it("names only the role's service, only sts:AssumeRole, with its confused-deputy conditions", () => {
      assert.deepEqual(
        rolesWithTrust().flatMap(({ role, trust }) => trustProblems(role, trust)),
        [],
      );
    });

    it("lets the service assume the role with what it sends, and nobody else", async () => {
      const failures = await Promise.all(
        rolesWithTrust().map(({ role, trust }) =>
          accessFailures(under.iam, trustTable(under.facts, role, trust)),
        ),
      );
      assert.deepEqual(failures.flat(), []);
    });
  });
}
