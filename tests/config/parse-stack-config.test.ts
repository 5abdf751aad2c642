// How raw config values become settings: which keys are secret, how each problem is worded (key path, value,
// what is allowed), and strings read as booleans and numbers wherever the schema wants those.
import { strict as assert } from "assert";
import { ConfigError } from "../../config/settings";
import { z } from "zod";
import { coercionsFor, parseStackConfig, secretConfigKeys } from "../../config/parse";
import { RawConfig, problemsOf, rawConfigOf } from "../support/stacks";

const hook = (destination: Record<string, unknown> = {}) => ({
  name: "hook",
  destination: {
    type: "http",
    url: "https://example.com",
    buffer: { sizeMiB: 1, intervalSeconds: 60 },
    ...destination,
  },
});
const withPipeline = (raw: RawConfig, pipeline: unknown) => (raw.pipelines as unknown[]).push(pipeline);

describe("parsing a stack's raw config", () => {
  describe("secret config keys", () => {
    it("are the pseudonym key alone without HTTP pipelines", () => {
      assert.deepEqual([...secretConfigKeys({})], ["piiHashKey"]);
      assert.deepEqual([...secretConfigKeys(rawConfigOf("dev"))], ["piiHashKey"]);
    });

    it("add each HTTP pipeline's access key, under its default name or the one it gives", () => {
      const keys = secretConfigKeys({
        pipelines: [hook(), hook({ accessKeyConfigKey: "partnerKey" }), { name: "lake", destination: {} }],
      });
      assert.deepEqual([...keys], ["piiHashKey", "httpEndpointAccessKey", "partnerKey"]);
    });

    it("take the default name when the given one is not a string", () => {
      assert.deepEqual(
        [...secretConfigKeys({ pipelines: [hook({ accessKeyConfigKey: 7 })] })],
        ["piiHashKey", "httpEndpointAccessKey"],
      );
    });

    it("ignore an access key named by a pipeline that is not HTTP", () => {
      const s3 = { name: "lake", destination: { type: "s3", accessKeyConfigKey: "lakeKey" } };
      assert.deepEqual([...secretConfigKeys({ pipelines: [s3] })], ["piiHashKey"]);
    });

    it("survive pipelines that are not a list, or entries without a destination", () => {
      assert.deepEqual(
        [...secretConfigKeys({ pipelines: { destination: { type: "http" } } })],
        ["piiHashKey"],
      );
      assert.deepEqual([...secretConfigKeys({ pipelines: [null, 3, {}] })], ["piiHashKey"]);
    });

    it("are left out of validation, so an HTTP stack may hold its key's value", () => {
      const raw = rawConfigOf("dev");
      withPipeline(raw, hook({ accessKeyConfigKey: "partnerKey" }));
      Object.assign(raw, { piiHashKey: "[secret]", partnerKey: "[secret]" });
      assert.deepEqual(problemsOf(raw), []);
      raw.httpEndpointAccessKey = "[secret]";
      assert.deepEqual(problemsOf(raw), ["firehose-etl:httpEndpointAccessKey: is not a known key"]);
    });
  });

  describe("the settings", () => {
    it("are the validated config plus the project, stack and region", () => {
      const settings = parseStackConfig(rawConfigOf("dev"), {
        project: "firehose-etl",
        stack: "dev",
        region: "eu-central-1",
        source: "test",
      });
      assert.deepEqual(
        [settings.project, settings.stack, settings.region, settings.environment],
        ["firehose-etl", "dev", "eu-central-1", "dev"],
      );
    });

    it("are refused when a derived name breaks AWS's rules, though the config itself is valid", () => {
      const where = { project: "firehose-etl", stack: "x".repeat(60), region: "eu-west-1", source: "s" };
      assert.throws(
        () => parseStackConfig(rawConfigOf("dev"), where),
        (err: unknown) =>
          err instanceof ConfigError &&
          assert.deepEqual(
            err.problems.map((p) => p.slice(0, p.indexOf(" has "))),
            [
              `Lambda function name "firehose-etl-${where.stack}-transform"`,
              `Firehose delivery stream name "firehose-etl-${where.stack}-events"`,
            ],
          ) === undefined,
      );
    });

    it("are refused without a region though the config is valid, naming the source", () => {
      const where = { project: "firehose-etl", stack: "dev", region: undefined, source: "stack dev" };
      assert.throws(
        () => parseStackConfig(rawConfigOf("dev"), where),
        (err: unknown) =>
          err instanceof ConfigError &&
          err.message ===
            "Invalid stack config in stack dev:\n  - aws:region: is required (pulumi config set aws:region <region>)",
      );
    });

    it("list the region first, then every config problem", () => {
      const raw = rawConfigOf("dev");
      raw.environment = "qa";
      assert.deepEqual(problemsOf(raw, { region: "" }), [
        "aws:region: is required (pulumi config set aws:region <region>)",
        'firehose-etl:environment: Invalid option: expected one of "dev"|"prod", got "qa"',
      ]);
    });
  });

  describe("problem messages", () => {
    it("name every unknown key of an object in one line", () => {
      const raw = rawConfigOf("dev");
      Object.assign(raw, { retention: 3, owner: "me" });
      assert.deepEqual(problemsOf(raw), [
        "firehose-etl:retention: is not a known key; firehose-etl:owner: is not a known key",
      ]);
    });

    it("name an unknown key inside a list by its index", () => {
      const raw = rawConfigOf("dev");
      ((raw.pipelines as RawConfig[])[0].destination as RawConfig).colour = "blue";
      assert.deepEqual(problemsOf(raw), ["firehose-etl:pipelines[0].destination.colour: is not a known key"]);
    });

    it("show the value as JSON, or say it is missing", () => {
      const raw = rawConfigOf("dev");
      raw.tags = { team: 7 };
      delete (raw.table as RawConfig).database;
      assert.deepEqual(problemsOf(raw), [
        "firehose-etl:tags.team: Invalid input: expected string, received number, got 7",
        "firehose-etl:table.database: Invalid input: expected string, received undefined, it is missing",
      ]);
    });

    it("show a null value as null", () => {
      const raw = rawConfigOf("dev");
      raw.lake = null;
      assert.deepEqual(problemsOf(raw), [
        "firehose-etl:lake: Invalid input: expected object, received null, got null",
      ]);
    });

    it("say a value is missing when the config left out the section that holds it", () => {
      const raw = rawConfigOf("dev");
      delete raw.network;
      withPipeline(raw, {
        name: "warehouse",
        destination: {
          type: "redshift",
          warehouse: "serverless",
          columns: [{ name: "event_id", type: "VARCHAR(64)" }],
          buffer: { sizeMiB: 64, intervalSeconds: 300 },
        },
      });
      assert.deepEqual(problemsOf(raw), [
        "firehose-etl:network.availabilityZones: Redshift Serverless (pipeline 'warehouse') needs subnets in 3 " +
          "availability zones; set it to 3, it is missing",
      ]);
    });

    it("hide credentials written into a URL", () => {
      const raw = rawConfigOf("dev");
      withPipeline(raw, hook({ url: "http://user:s3cret@example.com/in" }));
      assert.deepEqual(problemsOf(raw), [
        'firehose-etl:pipelines[1].destination.url: must be an https:// URL, got "http://***@example.com/in"',
      ]);
    });
  });

  describe("strings where the schema wants a boolean or a number", () => {
    it("are read as such at any depth, in lists and in the chosen destination", () => {
      const raw = rawConfigOf("dev");
      raw.protect = "true";
      raw.lake = { errorRetentionDays: "30", forceDestroy: "false" };
      (raw.transform as RawConfig).dropRules = [{ field: "n", equals: "5" }];
      withPipeline(raw, hook({ buffer: { sizeMiB: "2", intervalSeconds: "120" } }));
      raw.source = { type: "kinesis", shardCount: "2" };
      const settings = parseStackConfig(raw, {
        project: "firehose-etl",
        stack: "dev",
        region: "eu-west-1",
        source: "test",
      });
      assert.equal(settings.protect, true);
      assert.equal(settings.lake.errorRetentionDays, 30);
      assert.equal(settings.lake.forceDestroy, false);
      assert.deepEqual(settings.source, { type: "kinesis", shardCount: 2, retentionHours: 24 });
      assert.deepEqual(settings.pipelines[1].destination.buffer, { sizeMiB: 2, intervalSeconds: 120 });
      // `equals` takes a string, so a string stays one.
      assert.deepEqual(settings.transform.dropRules, [{ field: "n", equals: "5" }]);
    });

    it("leave the raw config as it was", () => {
      const raw = rawConfigOf("dev");
      raw.protect = "true";
      raw.lake = { errorRetentionDays: "30" };
      problemsOf(raw);
      assert.equal(raw.protect, "true");
      assert.deepEqual(raw.lake, { errorRetentionDays: "30" });
    });

    it("are reported with the value as written when they spell neither", () => {
      const raw = rawConfigOf("dev");
      raw.protect = "yes";
      raw.lake = { errorRetentionDays: "30", forceDestroy: "no" };
      assert.deepEqual(problemsOf(raw), [
        'firehose-etl:protect: Invalid input: expected boolean, received string, got "yes"',
        'firehose-etl:lake.forceDestroy: Invalid input: expected boolean, received string, got "no"',
      ]);
    });

    it("are reported with the value read when it breaks a bound", () => {
      const raw = rawConfigOf("dev");
      raw.lake = { errorRetentionDays: "2" };
      assert.deepEqual(problemsOf(raw), [
        "firehose-etl:lake.errorRetentionDays: Too small: expected number to be >=3, got 2",
      ]);
    });

    it("are read inside a union whose members want a number or a boolean, at the member's path", () => {
      // No union of the stack schema lacks a string member yet: a schema of its own shows the rule holds there.
      const schema = z.object({
        limits: z.union([z.object({ n: z.number() }), z.object({ on: z.boolean() })]),
      });
      const values = { limits: { n: "5", on: "true" } };
      const issues = schema.safeParse(values).error!.issues;
      assert.deepEqual(
        issues.map((i) => i.code),
        ["invalid_union"],
      );
      assert.deepEqual(coercionsFor(issues[0], values), [
        { path: ["limits", "n"], value: 5 },
        { path: ["limits", "on"], value: true },
      ]);
    });

    it("are not read where the schema wants anything else, nor is a list holding a number", () => {
      const raw = rawConfigOf("dev");
      raw.tags = "5";
      raw.lake = { errorRetentionDays: [5] };
      assert.deepEqual(problemsOf(raw), [
        'firehose-etl:tags: Invalid input: expected record, received string, got "5"',
        "firehose-etl:lake.errorRetentionDays: Invalid input: expected number, received array, got [5]",
      ]);
    });

    it("are not read as numbers where the schema wants text", () => {
      const raw = rawConfigOf("dev");
      raw.tags = { costCenter: "1234" };
      assert.deepEqual(problemsOf(raw), []);
    });
  });
});
