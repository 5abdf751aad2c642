// Every name derived from the project, stack and pipeline names, and which of AWS's rules each is checked
// against.
import { strict as assert } from "assert";
import {
  keyAliasOf,
  namePrefixOf,
  namingProblems,
  openSearchDomainNameOf,
  replayFunctionNameOf,
  sourceStreamNameOf,
  streamNameOf,
  transformFunctionNameOf,
} from "../../config/naming";

type NamingInput = Parameters<typeof namingProblems>[0];

/** A stack's naming inputs: direct-put, no state machine, one S3 pipeline `lake`, unless `over` says otherwise. */
function stackNamed(stack: string, over: Partial<Record<keyof NamingInput, unknown>> = {}): NamingInput {
  return {
    project: "firehose-etl",
    stack,
    source: { type: "direct-put" },
    replay: { stateMachine: false, maxConcurrency: 10 },
    pipelines: [{ name: "lake", destination: { type: "s3" } }],
    ...over,
  } as NamingInput;
}

const everything = {
  source: { type: "kinesis", retentionHours: 24 },
  replay: { stateMachine: true, maxConcurrency: 10 },
  pipelines: [
    { name: "lake", destination: { type: "s3" } },
    { name: "serverless", destination: { type: "redshift", warehouse: "serverless" } },
    { name: "cluster", destination: { type: "redshift", warehouse: "provisioned" } },
    { name: "existing", destination: { type: "redshift", warehouse: "existing" } },
  ],
};

/** `<what> "<name>"` of each problem, in order. */
const named = (problems: string[]) => problems.map((p) => /^[^"]+"[^"]*"/.exec(p)?.[0]);

describe("derived names", () => {
  it("builds every name from <project>-<stack>", () => {
    const settings = { project: "firehose-etl", stack: "prod" };
    assert.equal(namePrefixOf(settings), "firehose-etl-prod");
    assert.equal(streamNameOf(settings, "lake"), "firehose-etl-prod-lake");
    assert.equal(sourceStreamNameOf("firehose-etl-prod"), "firehose-etl-prod-source");
    assert.equal(transformFunctionNameOf("firehose-etl-prod"), "firehose-etl-prod-transform");
    assert.equal(replayFunctionNameOf("firehose-etl-prod"), "firehose-etl-prod-replay");
    assert.equal(keyAliasOf("firehose-etl-prod"), "alias/firehose-etl-prod");
  });

  describe("OpenSearch domain names", () => {
    it("lower-cases a stream name that then fits, up to exactly 28 characters", () => {
      assert.equal(openSearchDomainNameOf("Firehose-ETL-Prod"), "firehose-etl-prod");
      assert.equal(openSearchDomainNameOf("a".repeat(28)), "a".repeat(28));
    });

    it("shortens a 29-character name to 19 characters, '-' and the first 8 hex digits of its SHA-256", () => {
      assert.equal(openSearchDomainNameOf("a".repeat(29)), `${"a".repeat(19)}-6913c9c7`);
    });

    it("replaces each character a domain cannot hold with '-'", () => {
      assert.equal(openSearchDomainNameOf("Firehose_ETL.prod-Search_x"), "firehose-etl-prod-s-0a5a64a6");
    });

    it("drops the leading characters that are not letters, and the '-'s the cut leaves at the end", () => {
      assert.equal(openSearchDomainNameOf("1-2_Stream.Name"), "stream-name-c15d4c2d");
      assert.equal(
        openSearchDomainNameOf("abcdefghijklmnopq--rest-of-long-name"),
        "abcdefghijklmnopq-04e4d5f0",
      );
    });

    it("starts a name with no letter with 'd', and lengthens one too short with the hash", () => {
      assert.equal(openSearchDomainNameOf("123_456"), "d-c16acc84");
      assert.equal(openSearchDomainNameOf("a"), "a-ca978112");
      assert.equal(openSearchDomainNameOf("ab"), "ab-fb8e20fc");
    });
  });

  describe("naming problems", () => {
    it("finds none in valid names, whatever the source, replay and destinations", () => {
      assert.deepEqual(namingProblems(stackNamed("prod", everything)), []);
    });

    it("checks the names every stack has: function, key alias, workgroup, dashboard and each stream", () => {
      const problems = namingProblems(stackNamed("Bad!"));
      assert.deepEqual(named(problems), [
        'Lambda function name "firehose-etl-Bad!-transform"',
        'KMS alias name "alias/firehose-etl-Bad!"',
        'Athena workgroup name "firehose-etl-Bad!"',
        'CloudWatch dashboard name "firehose-etl-Bad!"',
        'Firehose delivery stream name "firehose-etl-Bad!-lake"',
      ]);
      assert.equal(
        problems[0],
        `Lambda function name "firehose-etl-Bad!-transform" may contain only letters, digits, '_', '-' ` +
          "(Lambda API Reference, CreateFunction FunctionName (a name, not an ARN: 64 characters)); it is derived " +
          'from project "firehose-etl" and stack "Bad!": choose shorter or plainer stack or pipeline names',
      );
    });

    it("checks the source stream, the replay function and the warehouses the stack creates, when it has them", () => {
      assert.deepEqual(named(namingProblems(stackNamed("Bad!", everything))), [
        'Lambda function name "firehose-etl-Bad!-transform"',
        'KMS alias name "alias/firehose-etl-Bad!"',
        'Athena workgroup name "firehose-etl-Bad!"',
        'CloudWatch dashboard name "firehose-etl-Bad!"',
        'Kinesis data stream name "firehose-etl-Bad!-source"',
        'Lambda function name "firehose-etl-Bad!-replay"',
        'Firehose delivery stream name "firehose-etl-Bad!-lake"',
        'Firehose delivery stream name "firehose-etl-Bad!-serverless"',
        'Redshift Serverless namespace or workgroup name "firehose-etl-Bad!-serverless"',
        'Firehose delivery stream name "firehose-etl-Bad!-cluster"',
        'Redshift cluster identifier "firehose-etl-Bad!-cluster"',
        'Firehose delivery stream name "firehose-etl-Bad!-existing"',
      ]);
    });

    it("holds a Redshift name to its own rules: lower case for a workgroup, no '--' for a cluster", () => {
      const problems = (stack: string) => named(namingProblems(stackNamed(stack, everything)));
      assert.deepEqual(problems("Prod"), [
        'Redshift Serverless namespace or workgroup name "firehose-etl-Prod-serverless"',
        'Redshift cluster identifier "firehose-etl-Prod-cluster"',
      ]);
      assert.deepEqual(problems("prod-"), ['Redshift cluster identifier "firehose-etl-prod--cluster"']);
    });

    it("holds only Redshift destinations to Redshift's rules, whatever else names a warehouse", () => {
      const pipelines = ["serverless", "provisioned"].map((warehouse) => ({
        name: warehouse,
        destination: { type: "snowflake", warehouse },
      }));
      assert.deepEqual(namingProblems(stackNamed("Prod", { pipelines })), []);
    });

    it("refuses a transform function name of 65 characters and accepts one of 64", () => {
      const fits = "s".repeat(64 - "firehose-etl--transform".length);
      assert.deepEqual(namingProblems(stackNamed(fits)), []);
      assert.deepEqual(named(namingProblems(stackNamed(`${fits}s`))), [
        `Lambda function name "firehose-etl-${fits}s-transform"`,
      ]);
    });
  });
});
