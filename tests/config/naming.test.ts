import { strict as assert } from "assert";
import * as fc from "fast-check";
import { AWS_TEXT, textProblem } from "../../config/aws-text";
import { openSearchDomainNameOf } from "../../config/naming";
import { parseStackConfig } from "../../config/parse";
import { rawConfigOf, RawConfig } from "../support/stacks";

/** The problems of a committed stack's config under another stack name (and an edit). */
function problemsUnder(
  stack: string,
  base: "dev" | "prod",
  edit: (raw: RawConfig) => void = () => undefined,
) {
  const raw = rawConfigOf(base);
  edit(raw);
  try {
    parseStackConfig(raw, { project: "firehose-etl", stack, region: "eu-west-1", source: "test" });
    return [];
  } catch (err) {
    return (err as { problems: string[] }).problems;
  }
}

describe("derived names fit AWS's rules", () => {
  it("refuses a stack and pipeline whose stream name is over Firehose's 64 characters, naming it", () => {
    const stack = "s".repeat(22);
    const pipeline = `p${"x".repeat(30)}`;
    const problems = problemsUnder(stack, "dev", (raw) => {
      (raw.pipelines as { name: string }[])[0].name = pipeline;
    });
    const name = `firehose-etl-${stack}-${pipeline}`;
    assert.equal(name.length, 67);
    assert.deepEqual(problems, [
      `Firehose delivery stream name "${name}" has 67 characters; AWS allows 1-64 (Firehose API Reference, ` +
        `CreateDeliveryStream DeliveryStreamName); it is derived from project "firehose-etl" and stack "${stack}": ` +
        "choose shorter or plainer stack or pipeline names",
    ]);
  });

  it("refuses a stack name Redshift Serverless cannot take (upper case), and one Lambda cannot (a dot)", () => {
    const upper = problemsUnder("Prod", "prod");
    assert.ok(
      upper.some((p) =>
        p.startsWith('Redshift Serverless namespace or workgroup name "firehose-etl-Prod-warehouse"'),
      ),
      upper.join("\n"),
    );
    const dotted = problemsUnder("eu.prod", "dev");
    assert.ok(
      dotted.some((p) =>
        p.startsWith('Lambda function name "firehose-etl-eu.prod-transform" may contain only'),
      ),
      dotted.join("\n"),
    );
  });

  it("accepts the committed stacks under their own names", () => {
    assert.deepEqual(problemsUnder("dev", "dev"), []);
    assert.deepEqual(problemsUnder("prod", "prod"), []);
  });

  it("names an OpenSearch domain after its stream while that fits, and shortens it with a hash otherwise", () => {
    assert.equal(openSearchDomainNameOf("firehose-etl-prod-search"), "firehose-etl-prod-search");
    const long = openSearchDomainNameOf("firehose-etl-staging-search-east");
    assert.match(long, /^firehose-etl-stagin-[0-9a-f]{8}$/);
    assert.equal(long.length, 28);
    assert.equal(openSearchDomainNameOf("firehose-etl-staging-search-east"), long, "deterministic");
    assert.notEqual(openSearchDomainNameOf("firehose-etl-staging-search-west"), long);
  });

  it("gives every stream name Firehose accepts a domain name OpenSearch accepts", () => {
    const streamName = fc.stringMatching(/^[a-zA-Z0-9_.-]{1,64}$/);
    fc.assert(
      fc.property(streamName, (name) => {
        const domain = openSearchDomainNameOf(name);
        assert.equal(textProblem(AWS_TEXT.openSearchDomainName, domain), undefined, `${name} -> ${domain}`);
      }),
    );
  });

  it("knows EC2's description character sets: an apostrophe is refused in a rule description", () => {
    assert.equal(
      textProblem(AWS_TEXT.securityGroupRuleDescription, "HTTPS from Firehose's delivery ENIs"),
      `security group rule description "HTTPS from Firehose's delivery ENIs" may contain only letters, digits, ` +
        "spaces and ._-:/()#,@[]+=;{}!$* (EC2 API Reference, UserIdGroupPair Description)",
    );
    assert.equal(textProblem(AWS_TEXT.securityGroupDescription, "A & B: (x) [y] {z}"), undefined);
    assert.notEqual(textProblem(AWS_TEXT.securityGroupRuleDescription, "A & B"), undefined);
    assert.equal(textProblem(AWS_TEXT.ipRangeRuleDescription, "A & B"), undefined);
  });
});
