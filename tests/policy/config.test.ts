// Policy pack config files: validation against the policies' schemas, and level resolution.
import * as assert from "assert";
import { configDefaults, resolveConfig } from "../../policy/lib/config-schema";
import { enforcementLevelOf, validatePackConfig } from "../../policy/lib/pack-config";
import { policies } from "../../policy/policies";
import { firehoseBufferOrganisationBounds } from "../../policy/policies/firehose-buffer-organisation-bounds";
import { kmsKeyRotation } from "../../policy/policies/kms-key-rotation";

describe("policy pack config", () => {
  it("accepts levels given directly, in objects, and under `all`", () => {
    const config = {
      all: { enforcementLevel: "advisory" },
      "kms-key-rotation": "mandatory",
      "firehose-error-prefix": { enforcementLevel: "disabled", requireErrorOutputType: false },
    };
    assert.deepEqual(validatePackConfig(config, policies), []);
    assert.equal(enforcementLevelOf(kmsKeyRotation, config), "mandatory");
    assert.equal(enforcementLevelOf(firehoseBufferOrganisationBounds, config), "advisory");
  });

  it("names each error: unknown policy, bad level, wrong type, out of range, unknown property", () => {
    const config = {
      "firehose-buffer-bound": "mandatory",
      "kms-key-rotation": { enforcementLevel: "strict", maxRotationPeriodDays: 30 },
      "firehose-error-prefix": { requireErrorOutputType: "yes" },
      "firehose-buffer-organisation-bounds": { bounds: { extendedS3: { minSizeMiB: 64 } } },
      all: { maxPrefixLength: 10 },
    };
    assert.deepEqual(validatePackConfig(config, policies), [
      "firehose-buffer-bound: no such policy in the pack",
      "kms-key-rotation.enforcementLevel: must be one of advisory, mandatory, remediate, disabled",
      "kms-key-rotation.maxRotationPeriodDays: must be at least 90, got 30",
      'firehose-error-prefix.requireErrorOutputType: expected boolean, got "yes"',
      "firehose-buffer-organisation-bounds.bounds.extendedS3: unknown property (known: extended_s3, redshift, " +
        "opensearch, opensearchserverless, http_endpoint, splunk, snowflake, iceberg, elasticsearch)",
      "all: only enforcementLevel can be set for all policies, got maxPrefixLength",
    ]);
  });

  it("rejects a config that is not an object", () => {
    assert.deepEqual(validatePackConfig(["mandatory"], policies), [
      "policy pack config must be a JSON object keyed by policy name",
    ]);
  });

  it("overlays given properties on the schema's defaults without sharing them", () => {
    const schema = kmsKeyRotation.configSchema;
    assert.deepEqual(resolveConfig(schema, {}), { maxRotationPeriodDays: 365 });
    assert.deepEqual(resolveConfig(schema, { maxRotationPeriodDays: 90 }), { maxRotationPeriodDays: 90 });
    const bounds = configDefaults(firehoseBufferOrganisationBounds.configSchema);
    (bounds.bounds as Record<string, unknown>).extended_s3 = {};
    assert.notDeepEqual(configDefaults(firehoseBufferOrganisationBounds.configSchema), bounds);
  });
});
