// Each key of the stack config schema: its default, the values it accepts and where its bounds are, each checked
// at the bound and one past it, on the smallest config that validates.
import { strict as assert } from "assert";
import { PII_DETECTORS } from "../../lambda/transform/pii-detect";
import { BUFFER_LIMITS, ConfigError, ERROR_RETENTION_DAYS, stackConfigSchema } from "../../config/settings";
import { DESTINATION_BUFFER_LIMITS } from "../../policy/rules/firehose-limits";
import { RawConfig, problemsOf, rawConfigOf } from "../support/stacks";
import { parseStackConfig } from "../../config/parse";

/** The smallest config that validates: one S3 pipeline of a one-column table, everything else left out. */
function minimal(): RawConfig {
  return {
    environment: "dev",
    table: { database: "db", name: "events", columns: [{ name: "event_id", type: "string" }] },
    pipelines: [{ name: "events", destination: { type: "s3", buffer: { sizeMiB: 5, intervalSeconds: 60 } } }],
  };
}

/** `raw` with the value at the dotted `key` set, creating the objects on the way. */
function put(raw: RawConfig, key: string, value: unknown): RawConfig {
  const parts = key.split(".");
  let node = raw;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as RawConfig;
  node[parts[parts.length - 1]] = value;
  return raw;
}

/** The problems of the minimal config with each [key, value] set. */
function problemsWith(...entries: [string, unknown][]): string[] {
  const raw = minimal();
  for (const [key, value] of entries) put(raw, key, structuredClone(value));
  return problemsOf(raw);
}

const settingsOfMinimal = (raw: RawConfig = minimal()) =>
  parseStackConfig(raw, { project: "firehose-etl", stack: "test", region: "eu-west-1", source: "test" });

describe("stack config schema, key by key", () => {
  it("fills every default of the optional sections", () => {
    const settings = settingsOfMinimal();
    assert.equal(settings.protect, false);
    assert.deepEqual(settings.tags, {});
    assert.deepEqual(settings.lake, {
      errorRetentionDays: 14,
      transitionStorageClass: "STANDARD_IA",
      noncurrentVersionDays: 30,
      forceDestroy: false,
      athenaBytesScannedCutoff: 10_737_418_240,
    });
    assert.equal(settings.table.allowBreakingSchemaChange, false);
    assert.deepEqual(settings.transform, {
      memoryMiB: 256,
      timeoutSeconds: 60,
      logRetentionDays: 30,
      runtime: "nodejs22.x",
      piiFields: [],
      hashMode: "hmac-sha256",
      hashLength: 32,
      dropRules: [],
      fieldDefaults: {},
      maskedPaths: [],
    });
    assert.deepEqual(settings.source, { type: "direct-put" });
    assert.deepEqual(settings.network, {
      cidrBlock: "10.40.0.0/16",
      availabilityZones: 2,
      natGateways: "None",
      createOpenSearchServiceLinkedRole: false,
    });
    assert.deepEqual(settings.monitoring, {
      alarms: true,
      emails: [],
      freshnessSeconds: 900,
      dashboard: true,
    });
    assert.deepEqual(settings.replay, { stateMachine: false, maxConcurrency: 10 });
  });

  it("fills the defaults inside a section given in part", () => {
    const settings = settingsOfMinimal(
      put(put(put(minimal(), "source", { type: "kinesis" }), "transform.piiDetect", {}), "lake", {}),
    );
    assert.deepEqual(settings.source, { type: "kinesis", retentionHours: 24 });
    assert.deepEqual(settings.transform.piiDetect, { detectors: [...PII_DETECTORS], action: "mask" });
    assert.equal(settings.lake.errorRetentionDays, ERROR_RETENTION_DAYS.default);
  });

  describe("numbers: accepted at each bound, refused one past it", () => {
    interface Bounded {
      readonly key: string;
      readonly min: number;
      readonly max?: number;
      /** What the key needs beside it to validate. */
      readonly with?: [string, unknown][];
    }
    const processorBuffer: [string, unknown] = [
      "transform.processorBuffer",
      { sizeMiB: 1, intervalSeconds: 60 },
    ];
    const kinesis: [string, unknown] = ["source", { type: "kinesis" }];
    const BOUNDED: Bounded[] = [
      { key: "lake.errorRetentionDays", min: 3, max: 90 },
      { key: "lake.transitionDays", min: 30 },
      { key: "lake.noncurrentVersionDays", min: 1 },
      { key: "lake.athenaBytesScannedCutoff", min: 10_485_760 },
      { key: "transform.memoryMiB", min: 128, max: 10240 },
      { key: "transform.timeoutSeconds", min: 1, max: 900 },
      { key: "transform.reservedConcurrency", min: 1 },
      { key: "transform.hashLength", min: 8, max: 64 },
      { key: "transform.processorBuffer.intervalSeconds", min: 60, max: 900, with: [processorBuffer] },
      { key: "transform.retries", min: 0, max: 300 },
      { key: "source.shardCount", min: 1, with: [kinesis] },
      { key: "source.retentionHours", min: 24, max: 8760, with: [kinesis] },
      { key: "monitoring.freshnessSeconds", min: 60 },
      { key: "network.availabilityZones", min: 2, max: 3 },
      { key: "replay.maxConcurrency", min: 1, max: 10000 },
    ];
    for (const b of BOUNDED) {
      it(`${b.key}: ${b.min}${b.max === undefined ? " or more" : `-${b.max}`}, whole`, () => {
        const at = (value: unknown) => problemsWith(...(b.with ?? []), [b.key, value]);
        // The even pseudonym length refuses an odd bound's neighbour for a second reason: step by two there.
        const step = b.key === "transform.hashLength" ? 2 : 1;
        assert.deepEqual(at(b.min), []);
        assert.deepEqual(at(b.min - step), [
          `firehose-etl:${b.key}: Too small: expected number to be >=${b.min}, got ${b.min - step}`,
        ]);
        if (b.max !== undefined) {
          assert.deepEqual(at(b.max), []);
          assert.deepEqual(at(b.max + step), [
            `firehose-etl:${b.key}: Too big: expected number to be <=${b.max}, got ${b.max + step}`,
          ]);
        }
        assert.deepEqual(at(b.min + 10.5), [
          `firehose-etl:${b.key}: Invalid input: expected int, received number, got ${b.min + 10.5}`,
        ]);
      });
    }

    it("transform.processorBuffer.sizeMiB: 0.2-3, fractions allowed", () => {
      const at = (sizeMiB: number) =>
        problemsWith(["transform.processorBuffer", { sizeMiB, intervalSeconds: 60 }]);
      const key = "firehose-etl:transform.processorBuffer.sizeMiB";
      assert.deepEqual(at(0.2), []);
      assert.deepEqual(at(1.5), []);
      assert.deepEqual(at(3), []);
      assert.deepEqual(at(0.1), [`${key}: Too small: expected number to be >=0.2, got 0.1`]);
      assert.deepEqual(at(3.1), [`${key}: Too big: expected number to be <=3, got 3.1`]);
    });

    it("transform.hashLength: even", () => {
      assert.deepEqual(problemsWith(["transform.hashLength", 10]), []);
      assert.deepEqual(problemsWith(["transform.hashLength", 9]), [
        "firehose-etl:transform.hashLength: must be even, got 9",
      ]);
    });

    it("pipelines: 1-20", () => {
      const pipeline = (i: number) => ({
        name: `hook${i}`,
        destination: {
          type: "http",
          url: "https://example.com",
          buffer: { sizeMiB: 1, intervalSeconds: 60 },
        },
      });
      const withHooks = (n: number) => {
        const raw = minimal();
        (raw.pipelines as unknown[]).push(...Array.from({ length: n }, (_, i) => pipeline(i)));
        return problemsOf(raw);
      };
      assert.deepEqual(withHooks(19), []);
      assert.deepEqual(
        withHooks(20).map((p) => p.split(", got")[0]),
        ["firehose-etl:pipelines: Too big: expected array to have <=20 items"],
      );
    });

    it("table.columns: at least one", () => {
      assert.deepEqual(problemsWith(["table.columns", []]), [
        "firehose-etl:table.columns: Too small: expected array to have >=1 items, got []",
      ]);
    });
  });

  describe("choices: each accepted, anything else refused", () => {
    const CHOICES: { key: string; values: readonly string[]; with?: [string, unknown][] }[] = [
      { key: "environment", values: ["dev", "prod"] },
      { key: "lake.transitionStorageClass", values: ["STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER_IR"] },
      { key: "transform.runtime", values: ["nodejs20.x", "nodejs22.x"] },
      { key: "transform.hashMode", values: ["hmac-sha256", "sha256-salt"] },
      { key: "transform.piiDetect.action", values: ["mask", "fail"] },
      { key: "network.natGateways", values: ["None", "Single", "OnePerAz"] },
    ];
    for (const c of CHOICES) {
      it(`${c.key}: ${c.values.join(", ")}`, () => {
        for (const value of c.values) assert.deepEqual(problemsWith([c.key, value]), [], value);
        assert.deepEqual(problemsWith([c.key, "other"]), [
          `firehose-etl:${c.key}: Invalid option: expected one of ${c.values.map((v) => `"${v}"`).join("|")}, got "other"`,
        ]);
      });
    }

    it("source.type: direct-put, or kinesis", () => {
      assert.deepEqual(problemsWith(["source", { type: "direct-put" }]), []);
      assert.deepEqual(problemsWith(["source", { type: "kinesis", shardCount: 2 }]), []);
      assert.deepEqual(problemsWith(["source", { type: "direct-put", shardCount: 2 }]), [
        "firehose-etl:source.shardCount: is not a known key",
      ]);
    });

    it("transform.piiDetect.detectors: each detector, at least one, none repeated", () => {
      for (const detector of PII_DETECTORS) {
        assert.deepEqual(problemsWith(["transform.piiDetect", { detectors: [detector] }]), [], detector);
      }
      assert.deepEqual(problemsWith(["transform.piiDetect", { detectors: [] }]), [
        "firehose-etl:transform.piiDetect.detectors: Too small: expected array to have >=1 items, got []",
      ]);
    });

    it("transform.logRetentionDays: each period CloudWatch Logs offers", () => {
      const periods = [
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
        3653,
      ];
      for (const days of periods)
        assert.deepEqual(problemsWith(["transform.logRetentionDays", days]), [], `${days}`);
      assert.equal(problemsWith(["transform.logRetentionDays", 2]).length, 1);
    });
  });

  describe("names and types", () => {
    it("a pipeline name: 1-31 lower-case letters, digits and '-', starting with a letter", () => {
      const at = (name: string) =>
        problemsWith(["pipelines", [{ ...(minimal().pipelines as RawConfig[])[0], name }]]);
      for (const name of ["a", "lake-2", `a${"b".repeat(30)}`]) assert.deepEqual(at(name), [], name);
      for (const name of ["", "2lake", "-lake", "la_ke", "Lake", " lake", "lake ", `a${"b".repeat(31)}`]) {
        assert.deepEqual(
          at(name),
          [
            `firehose-etl:pipelines[0].name: must be 1-31 characters: lower-case letters, digits and '-', starting with a letter, got ${JSON.stringify(name)}`,
          ],
          name,
        );
      }
    });

    it("a column type: a Glue/Hive type", () => {
      const at = (type: string) => problemsWith(["table.columns", [{ name: "event_id", type }]]);
      const accepted = [
        "string",
        "int",
        "bigint",
        "smallint",
        "tinyint",
        "double",
        "float",
        "boolean",
        "date",
        "timestamp",
        "binary",
        "decimal(10,2)",
        "decimal(38, 18)",
        "array<string>",
        "map<string,int>",
        "struct<a:int,b:string>",
        "struct<a:int , b:array< string > >",
        "map<string,struct<a:decimal(10,2)>>",
      ];
      for (const type of accepted) assert.deepEqual(at(type), [], type);
      const lowerCase = "write it in lower case, without spaces around it";
      const refused: [string, string][] = [
        ["varchar", "unknown type 'varchar'"],
        ["String", lowerCase],
        [" string", lowerCase],
        ["string ", lowerCase],
        ["array<String>", lowerCase],
        ["stringy", "unknown type 'stringy'"],
        ["xint", "unknown type 'xint'"],
        ["decimal(10)", "decimal needs (precision,scale)"],
        ["decimal(a,b)", "decimal needs (precision,scale)"],
        ["decimal(10,2", "decimal needs (precision,scale)"],
        ["array<>", "unknown type ''"],
        ["array<string", "expected '>' at 12"],
        ["list<string>", "unknown type 'list'"],
        // The old check read anything between a complex type's brackets as valid.
        ["array<varchar>", "unknown type 'varchar'"],
        ["struct<a int>", "expected ':' at 9"],
        ["struct<a:int b:int>", "expected '>' at 13"],
        ["struct<a:int,>", "expected a field name at 13"],
        ["map<string>", "expected ',' at 10"],
      ];
      for (const [type, problem] of refused) {
        assert.deepEqual(
          at(type),
          [
            `firehose-etl:table.columns[0].type: must be a Glue/Hive type such as string, bigint, double, boolean, timestamp, decimal(10,2), array<string> (${problem}), got ${JSON.stringify(type)}`,
          ],
          type,
        );
      }
    });

    it("a piiFields entry: a dotted path of letters, digits and '_'", () => {
      const columns = [
        { name: "event_id", type: "string" },
        { name: "detail_2", type: "struct<a:string>" },
      ];
      const at = (path: string) => problemsWith(["table.columns", columns], ["transform.piiFields", [path]]);
      for (const path of ["detail_2", "Detail_2.A", "detail_2.a.B_9"]) assert.deepEqual(at(path), [], path);
      for (const path of [
        "",
        ".detail_2",
        "detail_2.",
        "detail_2..a",
        "detail_2.a-b",
        " detail_2",
        "detail_2 ",
      ]) {
        // Only that problem: not also "masks nothing the stack declares" about a field it never named.
        assert.deepEqual(
          at(path),
          [`firehose-etl:transform.piiFields[0]: must be a dotted field path, got ${JSON.stringify(path)}`],
          path,
        );
      }
    });

    it("a network CIDR block: four numbers and a prefix length", () => {
      assert.deepEqual(problemsWith(["network.cidrBlock", "10.1.0.0/16"]), []);
      assert.deepEqual(problemsWith(["network.cidrBlock", "10.123.200.100/24"]), []);
      for (const cidr of ["10.1.0.0", "10.1.0/16", "x10.1.0.0/16", "10.1.0.0/16x", "a.b.c.d/e"]) {
        assert.deepEqual(
          problemsWith(["network.cidrBlock", cidr]),
          [
            `firehose-etl:network.cidrBlock: Invalid string: must match pattern /^\\d+\\.\\d+\\.\\d+\\.\\d+\\/\\d+$/, got ${JSON.stringify(cidr)}`,
          ],
          cidr,
        );
      }
    });
  });

  describe("drop rules", () => {
    it("match a field against a string, a number or a boolean", () => {
      const rules = [
        { field: "action", equals: "healthcheck" },
        { field: "event_version", equals: 0 },
        { field: "test", equals: false },
      ];
      assert.deepEqual(
        settingsOfMinimal(put(minimal(), "transform.dropRules", rules)).transform.dropRules,
        rules,
      );
    });

    it("need a field name and a scalar", () => {
      assert.deepEqual(problemsWith(["transform.dropRules", [{ field: "", equals: "x" }]]), [
        'firehose-etl:transform.dropRules[0].field: Too small: expected string to have >=1 characters, got ""',
      ]);
      assert.deepEqual(problemsWith(["transform.dropRules", [{ field: "a", equals: null }]]), [
        "firehose-etl:transform.dropRules[0].equals: Invalid input, got null",
      ]);
    });
  });

  describe("cross-field checks", () => {
    it("refuse a repeated pipeline name at each repeat", () => {
      const raw = minimal();
      const hook = (name: string) => ({
        name,
        destination: {
          type: "http",
          url: "https://example.com",
          buffer: { sizeMiB: 1, intervalSeconds: 60 },
        },
      });
      (raw.pipelines as unknown[]).push(hook("hook"), hook("other"), hook("hook"));
      assert.deepEqual(problemsOf(raw), [
        'firehose-etl:pipelines[3].name: duplicate pipeline name, got "hook"',
      ]);
    });

    it("name the declared columns once each when a field default lands in none", () => {
      const raw = put(minimal(), "transform.fieldDefaults", { Channel: "web" });
      assert.deepEqual(problemsOf(raw), [
        "firehose-etl:transform.fieldDefaults.Channel: 'Channel' is not a column of table 'events' or a Redshift " +
          'table (event_id), so the default never reaches a query: add the column, or remove the default, got "web"',
      ]);
      assert.deepEqual(problemsOf(put(minimal(), "transform.fieldDefaults", { EVENT_ID: "x" })), []);
    });

    it("name each declared field once, though the lake and Redshift tables share columns", () => {
      const raw = rawConfigOf("prod");
      Object.assign(raw.transform as RawConfig, { piiFields: ["emial"], fieldDefaults: { channel: "x" } });
      const declared = "event_id, user_id, email, action, amount, ts, event_version, country";
      assert.deepEqual(problemsOf(raw), [
        `firehose-etl:transform.piiFields[0]: 'emial' masks nothing the stack declares: 'emial' is not a table or ` +
          `Redshift column or a partition field (${declared}); fix the spelling, or declare the column and mark ` +
          `it pii: true, got "emial"`,
        `firehose-etl:transform.fieldDefaults.channel: 'channel' is not a column of table 'events' or a Redshift ` +
          `table (${declared}), so the default never reaches a query: add the column, or remove the default, got "x"`,
      ]);
    });

    it("mask the marked columns and piiFields once each, whatever their case", () => {
      const raw = minimal();
      put(raw, "table.columns", [
        { name: "event_id", type: "string" },
        { name: "email", type: "string", pii: true },
        { name: "user_name", type: "string", pii: false },
      ]);
      put(raw, "transform.piiFields", ["EMAIL", "event_id"]);
      assert.deepEqual(settingsOfMinimal(raw).transform.maskedPaths, ["EMAIL", "event_id"]);
    });
  });

  it("reports each cross-field problem as a custom issue at the key it is about", () => {
    const raw = minimal();
    const pipeline = (raw.pipelines as RawConfig[])[0];
    (raw.pipelines as unknown[]).push(structuredClone(pipeline), structuredClone(pipeline));
    put(raw, "table.columns", [
      { name: "event_id", type: "string", pii: false },
      { name: "email", type: "string" },
    ]);
    put(raw, "transform", { piiFields: ["event_id", "emial"], fieldDefaults: { channel: "web" } });
    const issues = stackConfigSchema.safeParse(raw).error!.issues;
    assert.deepEqual(
      issues.map((i) => [i.code, i.path.join(".")]),
      [
        ["custom", "pipelines.1.name"],
        ["custom", "pipelines.2.name"],
        ["custom", "pipelines"],
        ["custom", "transform.piiFields.1"],
        ["custom", "table.columns.0.name"],
        ["custom", "table.columns.1.name"],
        ["custom", "transform.fieldDefaults.channel"],
      ],
    );
  });

  describe("exported limits", () => {
    it("give each destination's buffer bounds as [min, max] from the policy pack's table", () => {
      const tuples = (l: (typeof DESTINATION_BUFFER_LIMITS)["extended_s3"]) => ({
        sizeMiB: [l.sizeMiB.min, l.sizeMiB.max],
        intervalSeconds: [l.intervalSeconds.min, l.intervalSeconds.max],
      });
      assert.deepEqual(BUFFER_LIMITS, {
        s3: tuples(DESTINATION_BUFFER_LIMITS.extended_s3),
        opensearch: tuples(DESTINATION_BUFFER_LIMITS.opensearch),
        http: tuples(DESTINATION_BUFFER_LIMITS.http_endpoint),
      });
      assert.deepEqual(BUFFER_LIMITS.s3, { sizeMiB: [1, 128], intervalSeconds: [0, 900] });
    });

    it("a ConfigError is named so, and lists one problem a line", () => {
      const err = new ConfigError(["a: is wrong", "b: too"], "Pulumi.x.yaml");
      assert.equal(err.name, "ConfigError");
      assert.equal(err.message, "Invalid stack config in Pulumi.x.yaml:\n  - a: is wrong\n  - b: too");
      assert.deepEqual(err.problems, ["a: is wrong", "b: too"]);
    });
  });
});
