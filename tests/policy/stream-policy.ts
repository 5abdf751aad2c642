// A Firehose stream policy under test: every valid stream fixture passes it, and each test reads the messages
// it reports for one changed stream named 'events'.
import * as assert from "assert";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { PackConfig } from "../../policy/lib/pack-config";
import {
  directPutS3Stream,
  httpEndpointStream,
  icebergStream,
  openSearchStream,
  partitionedParquetStream,
  redshiftStream,
} from "./fixtures";
import { evaluate, messagesOf, resource, TYPES } from "./helpers";

/** One valid stream per destination type and source. */
export const VALID_STREAMS = {
  directPutS3Stream,
  partitionedParquetStream,
  redshiftStream,
  openSearchStream,
  httpEndpointStream,
  icebergStream,
};

export function itPassesEveryValidStream(policy: ResourceValidationPolicy): void {
  for (const [name, stream] of Object.entries(VALID_STREAMS)) {
    it(`passes ${name}`, async () => {
      assert.deepEqual(await evaluate(policy, resource(TYPES.stream, stream())), []);
    });
  }
}

/** The messages `policy` reports at `level` for the stream `props`, named 'events'. */
export function streamViolations(
  policy: ResourceValidationPolicy,
  props: Record<string, unknown>,
  config: PackConfig = {},
  level: "mandatory" | "advisory" = "mandatory",
): Promise<string[]> {
  return messagesOf(evaluate(policy, resource(TYPES.stream, props, "events"), config), level);
}
