// The local run runs what the program declares: an edit to a declared resource's inputs (as a change to a
// component would make) changes the local run, with no change to the config.
import * as assert from "node:assert/strict";
import { DescribeDeliveryStreamCommand } from "@aws-sdk/client-firehose";
import { DECLARED_TYPES, DeclaredStack, declareStack } from "../../local/declared-stack";
import { startEndpoint } from "../../local/endpoint";
import { createLocalStack, localTableOf } from "../../local/local-stack";
import { localFirehoseClient, putAll } from "../../local/producer";
import { settingsOf } from "../support/stacks";
import { tempDir } from "../support/temp-dir";
import { linesOf, testBundle } from "./harness";

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A copy of the declared stack with `edit` applied to the inputs of each resource of `type`. */
function edited(stack: DeclaredStack, type: string, edit: (inputs: Inputs) => void): DeclaredStack {
  const resources = stack.resources.map((r) => {
    if (r.type !== type) return r;
    const inputs = JSON.parse(JSON.stringify(r.inputs)) as Inputs;
    edit(inputs);
    return { ...r, inputs };
  });
  return { settings: stack.settings, resources };
}

async function run(declared: DeclaredStack, records: string[]) {
  const stack = createLocalStack(declared, { lakeDir: tempDir("declared"), bundleFile: testBundle() });
  const endpoint = await startEndpoint(stack, { port: 0 });
  const client = localFirehoseClient(endpoint.url, declared.settings.region);
  const [stream] = stack.streams;
  await putAll(
    client,
    stream.name,
    records.map((r) => Buffer.from(`${r}\n`)),
  );
  const { DeliveryStreamDescription } = await client.send(
    new DescribeDeliveryStreamCommand({ DeliveryStreamName: stream.name }),
  );
  client.destroy();
  await endpoint.close();
  await stack.close();
  const objects = stream.written.map((o) => ({ ...o, lines: linesOf(stack.store.pathOf(o.key)) }));
  return { stack, description: DeliveryStreamDescription, objects };
}

const EVENT = JSON.stringify({
  event_id: "e1",
  action: "click",
  amount: 1,
  country: "de",
  email: "jane@example.com",
});

describe("local: the run takes its streams, transform and table from the declared resources", function () {
  this.timeout(60_000);
  let dev: DeclaredStack;
  before(async () => {
    dev = await declareStack(settingsOf("dev"));
  });

  it("writes under the declared prefix with the declared compression, and describes the stream as declared", async () => {
    const declared = edited(dev, DECLARED_TYPES.stream, (inputs) => {
      inputs.extendedS3Configuration.prefix = "custom/!{timestamp:yyyy}/";
      inputs.extendedS3Configuration.compressionFormat = "UNCOMPRESSED";
      inputs.extendedS3Configuration.bufferingInterval = 120;
    });
    const { objects, description } = await run(declared, [EVENT]);
    assert.deepEqual(
      objects.map((o) => [o.kind, o.key.split("/")[0], o.key.endsWith(".gz")]),
      [["data", "custom", false]],
    );
    const s3 = description?.Destinations?.[0].ExtendedS3DestinationDescription;
    assert.equal(s3?.Prefix, "custom/!{timestamp:yyyy}/");
    assert.deepEqual(s3?.BufferingHints, { SizeInMBs: 5, IntervalInSeconds: 120 });
    assert.deepEqual(s3?.ProcessingConfiguration?.Processors?.[0]?.Parameters?.[0], {
      ParameterName: "LambdaArn",
      ParameterValue: "arn:aws:lambda:eu-west-1:123456789012:function:firehose-etl-dev-transform",
    });
  });

  it("runs the transform with the declared function's environment", async () => {
    const declared = edited(dev, DECLARED_TYPES.function, (inputs) => {
      inputs.environment.variables.DROP_RULES = JSON.stringify([{ field: "action", equals: "click" }]);
    });
    const { objects, stack } = await run(declared, [EVENT, EVENT.replace('"click"', '"view"')]);
    assert.deepEqual(
      objects.flatMap((o) => o.lines.map((l) => (JSON.parse(l) as { action: string }).action)),
      ["view"],
    );
    assert.equal(stack.streams[0].counts().dropped, 1);
  });

  it("refuses processors declared in an order the local run would not apply, naming both orders", async () => {
    const prod = await declareStack(settingsOf("prod"));
    const declared = edited(prod, DECLARED_TYPES.stream, (inputs) => {
      inputs.extendedS3Configuration?.processingConfiguration?.processors.reverse();
    });
    assert.throws(
      () => createLocalStack(declared, { lakeDir: tempDir("declared"), bundleFile: testBundle() }),
      /stream firehose-etl-prod-lake: declares its processors in the order MetadataExtraction, Lambda; the local run applies them as Lambda, MetadataExtraction/,
    );
  });

  it("reads the lake table's columns and partition projection from the declared Glue table", async () => {
    const prod = await declareStack(settingsOf("prod"));
    const table = localTableOf(prod, tempDir("declared"));
    assert.deepEqual(
      table?.partitionColumns.map((c) => [c.name, c.projection.type]),
      [
        ["country", "enum"],
        ["year", "integer"],
        ["month", "integer"],
        ["day", "integer"],
        ["hour", "integer"],
      ],
    );
    const declared = edited(prod, DECLARED_TYPES.table, (inputs) => {
      inputs.storageDescriptor?.columns.push({ name: "added", type: "string" });
    });
    assert.deepEqual(localTableOf(declared, tempDir("declared"))?.columns.slice(-1), [
      { name: "added", type: "string" },
    ]);
  });
});
