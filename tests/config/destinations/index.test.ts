// The registry of destination types: the union the stack's schema takes, what each destination needs of the
// stack, and each destination's stack checks run once with its own pipelines.
import { strict as assert } from "assert";
import {
  DestinationSettings,
  checkDestinationsInStack,
  destinationSchema,
  needsOf,
} from "../../../config/destinations";
import { ConfigPath, StackView } from "../../../config/destinations/spec";

const buffer = { sizeMiB: 5, intervalSeconds: 60 };
const parse = (dest: Record<string, unknown>): DestinationSettings =>
  destinationSchema.parse({ buffer, ...dest });

function stackOf(
  pipelines: { name: string; destination: DestinationSettings }[],
  network: Partial<StackView["network"]> = {},
): StackView {
  return {
    table: { database: "db", name: "events", columns: [{ name: "id", type: "string" }] },
    network: { availabilityZones: 3, createOpenSearchServiceLinkedRole: false, ...network },
    pipelines,
  };
}

function issuesOf(stack: StackView): [ConfigPath, string][] {
  const issues: [ConfigPath, string][] = [];
  checkDestinationsInStack(stack.pipelines as never, stack, (path, message) => issues.push([path, message]));
  return issues;
}

describe("config: the registry of destinations", () => {
  it("tells the destinations apart by type", () => {
    assert.deepEqual(
      ["s3", "redshift", "opensearch", "http", "iceberg"].map(
        (type) => destinationSchema.safeParse({ type }).error?.issues[0]?.path,
      ),
      [["buffer"], ["warehouse"], ["indexName"], ["url"], ["tables"]],
    );
  });

  it("refuses a type it has no spec for", () => {
    assert.throws(() => needsOf({ type: "splunk" } as never), {
      message: "no destination spec for type 'splunk'",
    });
  });

  it("runs each destination's checks with only its own pipelines, where they sit", () => {
    const lake = parse({ type: "s3", partitioning: { extractor: "inline", fields: [{ name: "id" }] } });
    const hook = parse({ type: "http", url: "https://x" });
    const warehouse = parse({
      type: "redshift",
      warehouse: "serverless",
      columns: [{ name: "id", type: "BIGINT" }],
    });
    const issues = issuesOf(
      stackOf(
        [
          { name: "hook", destination: hook },
          { name: "warehouse", destination: warehouse },
          { name: "lake", destination: lake },
        ],
        { availabilityZones: 2 },
      ),
    );
    assert.deepEqual(issues, [
      [
        ["pipelines", 2, "destination", "partitioning", "fields", 0, "name"],
        "'id' is also a table column; a partition column must not repeat a data column",
      ],
      [
        ["network", "availabilityZones"],
        "Redshift Serverless (pipeline 'warehouse') needs subnets in 3 availability zones; set it to 3",
      ],
    ]);
  });

  it("runs the checks of a type without pipelines too", () => {
    const issues = issuesOf(stackOf([], { createOpenSearchServiceLinkedRole: true }));
    assert.deepEqual(issues, [
      [
        ["network", "createOpenSearchServiceLinkedRole"],
        "only an OpenSearch domain in a VPC needs the service-linked role, and no pipeline has one: remove this",
      ],
    ]);
  });
});
