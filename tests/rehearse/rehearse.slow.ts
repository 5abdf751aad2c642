// The rehearsal end to end: terraform and the upstream provider against moto behind the validation layer.
// Minutes, not seconds: run by `npm run test:slow`, not `npm test`.
import * as assert from "assert";
import { RehearsalResult, formatRehearsal, rehearseStack } from "../../rehearse/rehearse";
import { closureOf, evaluate, toolsOrSkip, withEdited } from "./helpers";

const REGION = "eu-west-1";

function errorLines(stack: string, result: RehearsalResult): string[] {
  return formatRehearsal(stack, result)
    .split("\n")
    .filter((l) => l.startsWith("ERROR "));
}

describe("rehearsal against moto (slow)", function () {
  this.timeout(20 * 60_000);

  it("creates every dev resource and plans none only", async function () {
    const tools = toolsOrSkip(this);
    const result = await rehearseStack(await evaluate("dev"), REGION, tools, { fast: false });
    assert.deepStrictEqual(errorLines("dev", result), []);
    assert.deepStrictEqual(result.planOnly, []);
    assert.strictEqual(result.created.length + result.untranslated.length, result.resources);
    assert.match(formatRehearsal("dev", result), /^dev: \d+ resources, \d+ created, 0 plan-only, 0 errors$/m);
  });

  it("rehearses prod in fast mode, planning only what moto cannot create", async function () {
    const tools = toolsOrSkip(this);
    const result = await rehearseStack(await evaluate("prod"), REGION, tools, { fast: true });
    assert.deepStrictEqual(errorLines("prod", result), []);
    const planOnly = result.planOnly.map((p) => p.resource);
    for (const expected of [
      "aws:redshiftserverless/workgroup:Workgroup warehouse-workgroup",
      "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream search-stream",
      "aws:opensearch/domain:Domain search-domain",
    ]) {
      assert.ok(planOnly.includes(expected), `${expected} should be plan-only, got ${planOnly.join(", ")}`);
    }
    assert.strictEqual(
      result.created.length + result.planOnly.length + result.untranslated.length,
      result.resources,
    );
  });

  /** The error lines of rehearsing dev's events stream (and what it needs) after `edit`. */
  async function streamErrors(
    ctx: Mocha.Context,
    edit: (s3: Record<string, unknown>) => void,
  ): Promise<string[]> {
    const tools = toolsOrSkip(ctx);
    const dev = await evaluate("dev");
    const resources = withEdited(closureOf(dev, "events-stream"), "events-stream", (inputs) =>
      edit(inputs.extendedS3Configuration),
    );
    return errorLines("dev", await rehearseStack({ resources }, REGION, tools, { fast: true }));
  }

  it("fails a 200 MiB buffer in the validation layer (the provider checks only 'at least 1')", async function () {
    const lines = await streamErrors(this, (s3) => (s3.bufferingSize = 200));
    assert.strictEqual(lines.length, 1, lines.join("\n"));
    assert.match(
      lines[0],
      /^ERROR aws:kinesis\/firehoseDeliveryStream:FirehoseDeliveryStream events-stream .*\[apply\]/,
    );
    assert.match(
      lines[0],
      /Value '200' at 'ExtendedS3DestinationConfiguration\.BufferingHints\.SizeInMBs' failed to satisfy constraint: Member must have value less than or equal to 128/,
    );
  });

  it("fails an unknown compression format at apply, after validate and plan passed", async function () {
    const lines = await streamErrors(this, (s3) => (s3.compressionFormat = "LZ4"));
    assert.strictEqual(lines.length, 1, lines.join("\n"));
    assert.match(
      lines[0],
      /^ERROR aws:kinesis\/firehoseDeliveryStream:FirehoseDeliveryStream events-stream \(aws_kinesis_firehose_delivery_stream\.events-stream\) \[apply\]: expected compression_format to be one of .*got LZ4/,
    );
  });

  it("fails a security group rule description with an apostrophe, as EC2 does", async function () {
    const tools = toolsOrSkip(this);
    const prod = await evaluate("prod");
    const rule = "search-domain-from-firehose";
    const resources = withEdited(closureOf(prod, rule), rule, (inputs) => {
      inputs.description = "HTTPS from Firehose's delivery ENIs";
    });
    const result = await rehearseStack({ resources }, REGION, tools, { fast: true });
    const lines = errorLines("prod", result);
    assert.strictEqual(lines.length, 1, lines.join("\n"));
    assert.match(
      lines[0],
      /^ERROR aws:vpc\/securityGroupIngressRule:SecurityGroupIngressRule search-domain-from-firehose /,
    );
    assert.match(
      lines[0],
      /Value 'HTTPS from Firehose's delivery ENIs' at '.*Description' failed to satisfy constraint: Member must contain only letters, digits, spaces/,
    );
  });
});
