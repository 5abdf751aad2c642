// The Redshift destination's config: defaults, what a bad setting is refused with, its cross-field checks, the
// check against the stack's network, and what it needs of the stack.
import { strict as assert } from "assert";
import { destinationSchema, needsOf } from "../../../config/destinations";
import { REDSHIFT_SERVERLESS_MIN_ZONES, redshiftDestination } from "../../../config/destinations/redshift";
import { RawConfig } from "../../support/stacks";
import { AT, problemsWith } from "./stack";

const columns = [
  { name: "event_id", type: "VARCHAR(64)" },
  { name: "ts", type: "TIMESTAMPTZ" },
];
const serverless = {
  type: "redshift",
  warehouse: "serverless",
  columns,
  buffer: { sizeMiB: 64, intervalSeconds: 300 },
};
const JDBC_URL = "jdbc:redshift://wh.example.com:5439/dev";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:warehouse-AbCdEf";
const existing = { ...serverless, warehouse: "existing", jdbcUrl: JDBC_URL, secretArn: SECRET_ARN };

const problemsOfRedshift = (edit: RawConfig) => problemsWith({ ...serverless, ...edit });
const twoZones = (raw: RawConfig) => ((raw.network as RawConfig).availabilityZones = 2);

describe("config: the redshift destination", () => {
  it("fills the documented defaults", () => {
    assert.deepEqual(redshiftDestination.schema.parse(serverless), {
      ...serverless,
      database: "analytics",
      table: "events",
      sortKeys: [],
      copyOptions: "json 'auto' gzip timeformat 'auto'",
      retrySeconds: 3600,
      baseCapacityRpu: 8,
      nodeType: "ra3.large",
      numberOfNodes: 1,
      username: "firehose",
    });
  });

  it("accepts an existing warehouse with its JDBC URL and secret", () => {
    assert.deepEqual(problemsWith(existing), []);
  });

  describe("refuses", () => {
    const cases: { what: string; edit: RawConfig; problems: string[] }[] = [
      {
        what: "an unknown warehouse kind",
        edit: { warehouse: "dedicated" },
        problems: [
          `${AT}.warehouse: Invalid option: expected one of "serverless"|"provisioned"|"existing", got "dedicated"`,
        ],
      },
      {
        what: "no columns",
        edit: { columns: [] },
        problems: [`${AT}.columns: Too small: expected array to have >=1 items, got []`],
      },
      {
        what: "a database name of 65 characters",
        edit: { database: "d".repeat(65) },
        problems: [
          `${AT}.database: Invalid string: must match pattern /^[a-z_][a-z0-9_]{0,63}$/, got "${"d".repeat(65)}"`,
        ],
      },
      {
        what: "a database name starting with a digit",
        edit: { database: "1db" },
        problems: [`${AT}.database: Invalid string: must match pattern /^[a-z_][a-z0-9_]{0,63}$/, got "1db"`],
      },
      {
        what: "a copyOptions without gzip",
        edit: { copyOptions: "json 'auto' gzipped" },
        problems: [
          `${AT}.copyOptions: must include 'gzip' (Firehose stages GZIP-compressed objects for COPY), got "json 'auto' gzipped"`,
        ],
      },
      {
        what: "a base capacity that is not a multiple of 8",
        edit: { baseCapacityRpu: 12 },
        problems: [`${AT}.baseCapacityRpu: Invalid number: must be a multiple of 8, got 12`],
      },
      {
        what: "a base capacity of 0 RPUs",
        edit: { baseCapacityRpu: 0 },
        problems: [`${AT}.baseCapacityRpu: Too small: expected number to be >=8, got 0`],
      },
      {
        what: "a base capacity above 512 RPUs",
        edit: { baseCapacityRpu: 520 },
        problems: [`${AT}.baseCapacityRpu: Too big: expected number to be <=512, got 520`],
      },
      {
        what: "no nodes",
        edit: { warehouse: "provisioned", numberOfNodes: 0 },
        problems: [`${AT}.numberOfNodes: Too small: expected number to be >=1, got 0`],
      },
      {
        what: "more than 128 nodes",
        edit: { warehouse: "provisioned", numberOfNodes: 129 },
        problems: [`${AT}.numberOfNodes: Too big: expected number to be <=128, got 129`],
      },
      {
        what: "a fractional number of nodes",
        edit: { warehouse: "provisioned", numberOfNodes: 1.5 },
        problems: [`${AT}.numberOfNodes: Invalid input: expected int, received number, got 1.5`],
      },
      {
        what: "a retry duration above two hours",
        edit: { retrySeconds: 7201 },
        problems: [`${AT}.retrySeconds: Too big: expected number to be <=7200, got 7201`],
      },
      {
        what: "a staging buffer above 128 MiB",
        edit: { buffer: { sizeMiB: 129, intervalSeconds: 900 } },
        problems: [`${AT}.buffer.sizeMiB: Too big: expected number to be <=128, got 129`],
      },
      {
        what: "a staging buffer interval above 900 s",
        edit: { buffer: { sizeMiB: 128, intervalSeconds: 901 } },
        problems: [`${AT}.buffer.intervalSeconds: Too big: expected number to be <=900, got 901`],
      },
      {
        what: "an upper-case user name",
        edit: { username: "Admin" },
        problems: [
          `${AT}.username: must be a Redshift user name: lower-case letters, digits and '_', got "Admin"`,
        ],
      },
      {
        what: "a column type that is not a Redshift type",
        edit: { columns: [{ name: "event_id", type: "VARCHAR(64); DROP" }] },
        problems: [
          `${AT}.columns[0].type: must be a Redshift column type such as VARCHAR(256), got "VARCHAR(64); DROP"`,
        ],
      },
      {
        what: "a column name that is not a Glue name",
        edit: { columns: [{ name: "EventId", type: "BIGINT" }] },
        problems: [`${AT}.columns[0].name: must be lower-case letters, digits and '_', got "EventId"`],
      },
      {
        what: "a column key it does not know",
        edit: { columns: [{ name: "event_id", type: "BIGINT", encode: "zstd" }] },
        problems: [`${AT}.columns[0].encode: is not a known key`],
      },
      {
        what: "a JDBC URL of another database",
        edit: { ...existing, jdbcUrl: "jdbc:postgresql://wh:5439/dev" },
        problems: [
          `${AT}.jdbcUrl: must look like jdbc:redshift://host:5439/database, got "jdbc:postgresql://wh:5439/dev"`,
        ],
      },
      {
        what: "a secret ARN of another service",
        edit: { ...existing, secretArn: "arn:aws:ssm:eu-west-1:123456789012:parameter/pw" },
        problems: [
          `${AT}.secretArn: must be a Secrets Manager secret ARN, got "arn:aws:ssm:eu-west-1:123456789012:parameter/pw"`,
        ],
      },
      {
        what: "an existing warehouse without jdbcUrl or secretArn, at jdbcUrl",
        edit: { warehouse: "existing" },
        problems: [`${AT}.jdbcUrl: an existing warehouse needs both jdbcUrl and secretArn, it is missing`],
      },
      {
        what: "an existing warehouse with only a secret, at jdbcUrl",
        edit: { warehouse: "existing", secretArn: SECRET_ARN },
        problems: [`${AT}.jdbcUrl: an existing warehouse needs both jdbcUrl and secretArn, it is missing`],
      },
      {
        what: "an existing warehouse with only a JDBC URL, at secretArn",
        edit: { warehouse: "existing", jdbcUrl: JDBC_URL },
        problems: [`${AT}.secretArn: an existing warehouse needs both jdbcUrl and secretArn, it is missing`],
      },
      {
        what: "a JDBC URL for a warehouse the stack builds",
        edit: { warehouse: "provisioned", jdbcUrl: JDBC_URL },
        problems: [
          `${AT}.jdbcUrl: only allowed with warehouse 'existing', got warehouse 'provisioned', got "${JDBC_URL}"`,
        ],
      },
      {
        what: "a secret for a warehouse the stack builds, at secretArn",
        edit: { secretArn: SECRET_ARN },
        problems: [
          `${AT}.secretArn: only allowed with warehouse 'existing', got warehouse 'serverless', got "${SECRET_ARN}"`,
        ],
      },
      {
        what: "both for a warehouse the stack builds, once at jdbcUrl",
        edit: { jdbcUrl: JDBC_URL, secretArn: SECRET_ARN },
        problems: [
          `${AT}.jdbcUrl: only allowed with warehouse 'existing', got warehouse 'serverless', got "${JDBC_URL}"`,
        ],
      },
      {
        what: "a distKey and sortKeys that are not columns, naming the columns",
        edit: { distKey: "user_id", sortKeys: ["ts", "day"] },
        problems: [
          `${AT}.distKey: 'user_id' is not one of the columns (event_id, ts), got "user_id"`,
          `${AT}.sortKeys: 'day' is not one of the columns (event_id, ts), got ["ts","day"]`,
        ],
      },
    ];
    for (const c of cases) {
      it(c.what, () => {
        assert.deepEqual(problemsOfRedshift(c.edit), c.problems);
      });
    }
  });

  it("accepts keys that are columns", () => {
    assert.deepEqual(problemsOfRedshift({ distKey: "event_id", sortKeys: ["ts", "event_id"] }), []);
  });

  describe("the bounds it accepts", () => {
    const accepted: { what: string; edit: RawConfig }[] = [
      { what: "8 and 512 RPUs", edit: { baseCapacityRpu: 512 } },
      { what: "8 RPUs", edit: { baseCapacityRpu: 8 } },
      { what: "1 and 128 nodes", edit: { warehouse: "provisioned", numberOfNodes: 128 } },
      { what: "a 64-character database name", edit: { database: `_${"a0".repeat(31)}z` } },
      { what: "a one-character database name", edit: { database: "z" } },
      { what: "a 128-character user name", edit: { username: `_${"z9".repeat(63)}a` } },
      { what: "a one-character user name", edit: { username: "a" } },
      { what: "an upper-case GZIP in copyOptions", edit: { copyOptions: "CSV GZIP" } },
      { what: "gzip alone in copyOptions", edit: { copyOptions: "gzip" } },
      {
        what: "column types with lengths, spaces and precision",
        edit: {
          columns: [
            { name: "a", type: "DECIMAL(10,2)" },
            { name: "b", type: "double precision" },
            { name: "c", type: "z" },
            { name: "d", type: "Z9" },
          ],
        },
      },
      {
        what: "a JDBC URL with a dotted host and a mixed-case database",
        edit: { ...existing, jdbcUrl: "jdbc:redshift://a.b-c.example.com:5439/Dev_09" },
      },
      {
        what: "a secret ARN in another partition",
        edit: { ...existing, secretArn: "arn:aws-us-gov:secretsmanager:us-gov-west-1:1:secret:x" },
      },
      {
        what: "no retries and the smallest staging buffer",
        edit: { retrySeconds: 0, buffer: { sizeMiB: 1, intervalSeconds: 0 } },
      },
    ];
    for (const c of accepted) {
      it(c.what, () => {
        assert.deepEqual(problemsOfRedshift(c.edit), []);
      });
    }

    const jdbcRefused = [
      "xjdbc:redshift://wh:5439/dev",
      "jdbc:redshift://wh:5439/dev/",
      "jdbc:redshift://wh:5439/de-v",
      "jdbc:redshift://wh/x:5439/dev",
      "jdbc:redshift://wh:x:5439/dev",
      "jdbc:redshift://:5439/dev",
      "jdbc:redshift://wh:port/dev",
      "jdbc:redshift://wh:/dev",
      "jdbc:redshift://wh:5439/",
    ];
    for (const url of jdbcRefused) {
      it(`refuses the JDBC URL ${url}`, () => {
        assert.deepEqual(problemsOfRedshift({ ...existing, jdbcUrl: url }), [
          `${AT}.jdbcUrl: must look like jdbc:redshift://host:5439/database, got "${url}"`,
        ]);
      });
    }

    for (const arn of [
      "xarn:aws:secretsmanager:eu-west-1:1:secret:x",
      "arn:aws-:secrets:",
      "arn:AWS:secretsmanager:",
    ]) {
      it(`refuses the secret ARN ${arn}`, () => {
        assert.deepEqual(problemsOfRedshift({ ...existing, secretArn: arn }), [
          `${AT}.secretArn: must be a Secrets Manager secret ARN, got "${arn}"`,
        ]);
      });
    }

    for (const type of ["1INT", "(INT)", "INT;", "INT\n", "", "INT-8"]) {
      it(`refuses the column type ${JSON.stringify(type)}`, () => {
        assert.deepEqual(problemsOfRedshift({ columns: [{ name: "event_id", type }] }), [
          `${AT}.columns[0].type: must be a Redshift column type such as VARCHAR(256), got ${JSON.stringify(type)}`,
        ]);
      });
    }

    for (const username of ["1admin", "ad-min", "a".repeat(129), ""]) {
      it(`refuses the user name ${JSON.stringify(username.slice(0, 10))}`, () => {
        assert.deepEqual(problemsOfRedshift({ username }), [
          `${AT}.username: must be a Redshift user name: lower-case letters, digits and '_', got "${username}"`,
        ]);
      });
    }

    for (const copyOptions of ["json 'auto'", "nogzip", "gzip2"]) {
      it(`refuses copyOptions ${JSON.stringify(copyOptions)}`, () => {
        assert.deepEqual(problemsOfRedshift({ copyOptions }), [
          `${AT}.copyOptions: must include 'gzip' (Firehose stages GZIP-compressed objects for COPY), got "${copyOptions}"`,
        ]);
      });
    }
  });

  describe("in the stack", () => {
    it(`needs ${REDSHIFT_SERVERLESS_MIN_ZONES} availability zones for Serverless, naming each pipeline`, () => {
      const problems = problemsWith(serverless, (raw) => {
        twoZones(raw);
        (raw.pipelines as RawConfig[]).push({
          name: "copy",
          destination: { ...serverless, table: "copies" },
        });
      });
      assert.deepEqual(problems, [
        "firehose-etl:network.availabilityZones: Redshift Serverless (pipeline 'events') needs subnets in 3 availability zones; set it to 3, got 2",
        "firehose-etl:network.availabilityZones: Redshift Serverless (pipeline 'copy') needs subnets in 3 availability zones; set it to 3, got 2",
      ]);
    });

    it("accepts Serverless in three zones, and a provisioned or existing warehouse in two", () => {
      assert.equal(REDSHIFT_SERVERLESS_MIN_ZONES, 3);
      assert.deepEqual(problemsWith(serverless), []);
      assert.deepEqual(problemsWith({ ...serverless, warehouse: "provisioned" }, twoZones), []);
      assert.deepEqual(problemsWith(existing, twoZones), []);
    });
  });

  describe("what it needs of the stack", () => {
    const needs = (dest: RawConfig) => needsOf(destinationSchema.parse(dest));

    it("a Serverless warehouse: the key through Redshift, Serverless and the Data API, and the VPC", () => {
      assert.deepEqual(needs(serverless), {
        keyServices: ["redshift", "redshift-serverless", "redshift-data"],
        needsNetwork: true,
        columns: [
          { name: "event_id", pii: undefined, path: ["columns", 0, "name"] },
          { name: "ts", pii: undefined, path: ["columns", 1, "name"] },
        ],
        recordFields: [],
      });
    });

    it("a provisioned cluster: the key through Redshift and the Data API, and the VPC", () => {
      const provisioned = needs({ ...serverless, warehouse: "provisioned" });
      assert.deepEqual(provisioned.keyServices, ["redshift", "redshift-data"]);
      assert.equal(provisioned.needsNetwork, true);
    });

    it("an existing warehouse: neither the key nor the VPC", () => {
      const outside = needs(existing);
      assert.deepEqual(outside.keyServices, []);
      assert.equal(outside.needsNetwork, false);
    });

    it("declares its columns with their pii marks", () => {
      const marked = needs({
        ...serverless,
        columns: [
          { name: "email", type: "VARCHAR(128)", pii: true },
          { name: "emailed", type: "BOOLEAN", pii: false },
        ],
      });
      assert.deepEqual(marked.columns, [
        { name: "email", pii: true, path: ["columns", 0, "name"] },
        { name: "emailed", pii: false, path: ["columns", 1, "name"] },
      ]);
    });
  });
});
