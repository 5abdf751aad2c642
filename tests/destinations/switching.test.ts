// Switching a destination is a config edit and nothing else: the dev stack's one pipeline, with only its
// `destination` replaced, builds the same stream delivering somewhere else.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { readStackFile, stackFilePath } from "../../config/stack-file";
import { EvaluatedStack, evaluateStack } from "../../offline/evaluate-stack";
import { RawConfig, TYPES, ofType, only, rawConfigOf, settingsOf } from "../support/stacks";
import { DESTINATION_TYPES as T } from "./helpers";

const CONFIG_KEYS = [
  "extendedS3Configuration",
  "redshiftConfiguration",
  "opensearchConfiguration",
  "httpEndpointConfiguration",
  "icebergConfiguration",
];

/** Each destination type as a committed stack configures it (dev's S3, prod's others, iceberg's), or a plain endpoint. */
function destinationsByType(): Record<string, RawConfig> {
  const destinations = (stack: "dev" | "prod") =>
    (rawConfigOf(stack).pipelines as { destination: RawConfig }[]).map((p) => p.destination);
  return {
    ...Object.fromEntries(destinations("prod").map((d) => [d.type, d])),
    s3: destinations("dev")[0],
    http: { type: "http", url: "https://intake.example.com", buffer: { sizeMiB: 1, intervalSeconds: 60 } },
    iceberg: (readStackFile(stackFilePath("iceberg")).raw.pipelines as { destination: RawConfig }[])[0]
      .destination,
  };
}

/** Each type, what the stream gets, and a resource only that destination builds (its type and name). */
const cases = [
  {
    type: "s3",
    destination: "extended_s3",
    config: "extendedS3Configuration",
    marker: [TYPES.glueTable, "lake-table"],
  },
  {
    type: "redshift",
    destination: "redshift",
    config: "redshiftConfiguration",
    marker: [T.namespace, "events-namespace"],
  },
  {
    type: "opensearch",
    destination: "opensearch",
    config: "opensearchConfiguration",
    marker: [T.domain, "events-domain"],
  },
  {
    type: "http",
    destination: "http_endpoint",
    config: "httpEndpointConfiguration",
    marker: [T.secretVersion, "events-access-key-version"],
  },
  {
    type: "iceberg",
    destination: "iceberg",
    config: "icebergConfiguration",
    marker: ["aws:glue/catalogTableOptimizer:CatalogTableOptimizer", "events-events-compaction"],
  },
];

describe("destination switching (dev's events pipeline, only its destination changed)", () => {
  const built = new Map<string, EvaluatedStack>();
  before(async () => {
    const destinations = destinationsByType();
    for (const c of cases) {
      const settings = settingsOf("dev", (raw) => {
        (raw.pipelines as { destination: RawConfig }[])[0].destination = structuredClone(
          destinations[c.type],
        );
      });
      const secrets = { byKey: new Map([["httpEndpointAccessKey", pulumi.secret("ak-switch")]]) };
      built.set(c.type, await evaluateStack(settings, secrets));
    }
  });

  for (const c of cases) {
    it(`${c.type}: the same stream delivers to ${c.destination}, and only that destination is built`, () => {
      const stack = built.get(c.type)!;
      const stream = only(stack.resources, TYPES.stream).inputs;
      assert.equal(stream.name, "firehose-etl-dev-events");
      assert.equal(stream.destination, c.destination);
      assert.deepEqual(
        CONFIG_KEYS.filter((key) => stream[key] !== undefined),
        [c.config],
      );
      for (const other of cases) {
        const [type, name] = other.marker;
        const count = ofType(stack.resources, type).filter((r) => r.name === name).length;
        assert.equal(count, other.type === c.type ? 1 : 0, `${name} when delivering to ${c.type}`);
      }
    });
  }

  it("builds the VPC only for destinations that need one", () => {
    assert.deepEqual(
      cases.map((c) => ofType(built.get(c.type)!.resources, T.vpc).length),
      [0, 1, 1, 0, 0],
    );
  });
});
