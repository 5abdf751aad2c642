// A --policy-pack-config document: which shapes of it the offline check rejects, with what message, and which
// level and properties each policy then runs with.
import * as assert from "node:assert/strict";
import { configuredProperties, enforcementLevelOf, validatePackConfig } from "../../policy/lib/pack-config";
import { policies } from "../../policy/policies";
import { kmsKeyRotation } from "../../policy/policies/kms-key-rotation";

const NOT_A_LEVEL = "must be an enforcement level (advisory, mandatory, remediate, disabled) or an object";

describe("policy pack config files (policy/lib/pack-config.ts)", () => {
  for (const config of ["mandatory", null, 3]) {
    it(`rejects ${JSON.stringify(config)} as a whole config: it is not an object keyed by policy name`, () => {
      assert.deepEqual(validatePackConfig(config, policies), [
        "policy pack config must be a JSON object keyed by policy name",
      ]);
    });
  }

  it("rejects a policy entry that is neither an enforcement level nor an object", () => {
    const config = {
      all: "strict",
      "kms-key-rotation": null,
      "firehose-encryption": 3,
      "sns-topic-encryption": ["mandatory"],
      "secret-encryption": true,
    };
    assert.deepEqual(validatePackConfig(config, policies), [
      `all: ${NOT_A_LEVEL}`,
      `kms-key-rotation: ${NOT_A_LEVEL}`,
      `firehose-encryption: ${NOT_A_LEVEL}`,
      `sns-topic-encryption: ${NOT_A_LEVEL}`,
      `secret-encryption: ${NOT_A_LEVEL}`,
    ]);
  });

  it("accepts every enforcement level given directly, for a policy or for all", () => {
    for (const level of ["advisory", "mandatory", "remediate", "disabled"]) {
      assert.deepEqual(validatePackConfig({ all: level, "kms-key-rotation": level }, policies), [], level);
    }
  });

  it("names every property set under all, which takes only enforcementLevel", () => {
    const config = { all: { enforcementLevel: "mandatory", maxPrefixLength: 10, allowAwsManagedKeys: true } };
    assert.deepEqual(validatePackConfig(config, policies), [
      "all: only enforcementLevel can be set for all policies, got maxPrefixLength, allowAwsManagedKeys",
    ]);
  });

  it("runs a policy whose entry is not a level or an object at the level set for all, with no properties", () => {
    for (const entry of [null, 3, ["mandatory"], "strict"]) {
      const config = { "kms-key-rotation": entry, all: "mandatory" };
      assert.equal(enforcementLevelOf(kmsKeyRotation, config), "mandatory", JSON.stringify(entry));
      assert.deepEqual(configuredProperties("kms-key-rotation", config), {}, JSON.stringify(entry));
    }
    assert.equal(enforcementLevelOf(kmsKeyRotation, { "kms-key-rotation": null }), "advisory");
  });

  it("gives a policy the properties of its entry without enforcementLevel", () => {
    const config = { "kms-key-rotation": { enforcementLevel: "mandatory", maxRotationPeriodDays: 90 } };
    assert.deepEqual(configuredProperties("kms-key-rotation", config), { maxRotationPeriodDays: 90 });
    assert.deepEqual(configuredProperties("kms-key-rotation", { "kms-key-rotation": "mandatory" }), {});
    assert.deepEqual(configuredProperties("kms-key-rotation", {}), {});
  });
});
