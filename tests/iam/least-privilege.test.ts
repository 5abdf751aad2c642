// Every role of both committed stacks against its must-allow and must-deny table (tests/iam/tables/), decided
// by an IAM policy simulator over the policies the stack would create.
import { strict as assert } from "assert";
import { AccessTable, accessFailures } from "../../iam/access-table";
import {
  PipelineFacts,
  STACKS,
  StackUnderTest,
  settingsFor,
  stackUnderTest,
} from "./support/stack-under-test";
import { analystTable, breakGlassTable, peopleOf, withPeople } from "./tables/break-glass";
import { httpEndpointDeliveryTable } from "./tables/http-endpoint";
import { icebergDeliveryTable, icebergOptimizerTable } from "./tables/iceberg";
import { openSearchDeliveryTable } from "./tables/opensearch";
import { redshiftDeliveryTable } from "./tables/redshift";
import { replayStateMachineTable, replayWorkerTable } from "./tables/replay-state-machine";
import { s3DeliveryTable } from "./tables/s3";
import { transformRoleTable } from "./tables/transform";

/** The table of a delivery role, by destination type: one file per type under tables/. */
function deliveryTable(under: StackUnderTest, pipeline: PipelineFacts): AccessTable {
  const type = pipeline.pipeline.destination.type;
  const args = [under.facts, pipeline, under.pipelines] as const;
  switch (type) {
    case "s3":
      return s3DeliveryTable(...args);
    case "opensearch":
      return openSearchDeliveryTable(...args);
    case "redshift":
      return redshiftDeliveryTable(...args);
    case "http":
      return httpEndpointDeliveryTable(...args);
    case "iceberg":
      return icebergDeliveryTable(...args);
    default: {
      const unknown: never = type;
      throw new Error(`no must-allow / must-deny table for '${unknown}' delivery roles`);
    }
  }
}

for (const stack of STACKS) {
  describe(`least privilege: every role of the ${stack} stack, simulated`, () => {
    let under: StackUnderTest;
    before(async () => {
      under = await stackUnderTest(stack);
    });

    it("has a table for every role it creates", () => {
      const covered = [
        under.facts.transformRole,
        under.facts.rawRecordReader,
        ...under.pipelines.map((p) => p.role),
        ...under.pipelines.flatMap((p) => (p.iceberg ? [p.iceberg.optimizerRole] : [])),
        ...(under.facts.replay ? [under.facts.replay.workerRole, under.facts.replay.stateMachineRole] : []),
      ].map((r) => r.resourceName);
      assert.deepEqual(under.iam.roles.map((r) => r.resourceName).sort(), covered.sort());
    });

    it("the transform's Lambda role", async () => {
      assert.deepEqual(await accessFailures(under.iam, transformRoleTable(under.facts, under.pipelines)), []);
    });

    it("the break-glass role reads raw records and replays them, assumed with MFA; an analyst who may read the lake cannot", async () => {
      const people = peopleOf(under.facts);
      const iam = withPeople(under.iam, people);
      assert.deepEqual(await accessFailures(iam, breakGlassTable(under.facts, people, under.pipelines)), []);
      assert.deepEqual(await accessFailures(iam, analystTable(under.facts, people)), []);
    });

    if (settingsFor(stack).replay.stateMachine) {
      it("the replay state machine's worker reads raw records and replays them like the break-glass role; an analyst still cannot read them", async () => {
        const people = peopleOf(under.facts);
        const iam = withPeople(under.iam, people);
        assert.deepEqual(await accessFailures(iam, replayWorkerTable(under.facts, under.pipelines)), []);
        assert.deepEqual(await accessFailures(iam, analystTable(under.facts, people)), []);
      });

      it("the replay state machine lists the error prefixes, invokes its worker and runs its child executions, and reads no record", async () => {
        assert.deepEqual(await accessFailures(under.iam, replayStateMachineTable(under.facts)), []);
      });
    }

    for (const { name, destination } of settingsFor(stack).pipelines) {
      if (destination.type === "iceberg") {
        it(`the '${name}' Glue table optimizers' role`, async () => {
          const pipeline = under.pipelines.find((p) => p.pipeline.name === name);
          assert.ok(pipeline, `pipeline ${name} was not evaluated`);
          assert.deepEqual(await accessFailures(under.iam, icebergOptimizerTable(under.facts, pipeline)), []);
        });
      }
      it(`the '${name}' delivery role (${destination.type})`, async () => {
        const pipeline = under.pipelines.find((p) => p.pipeline.name === name);
        assert.ok(pipeline, `pipeline ${name} was not evaluated`);
        assert.deepEqual(await accessFailures(under.iam, deliveryTable(under, pipeline)), []);
      });
    }
  });
}
