// The one mapping from stack settings to the transform's environment variables, which the deployed function and
// the local run share.
import { strict as assert } from "assert";
import { PartitioningSettings, TransformSettings } from "../../config/settings";
import { transformEnvironment } from "../../config/transform-environment";
import { settingsOf } from "../support/stacks";

/** The dev stack's transform (detection on, a drop rule and a field default), after `edit`. */
function transformOf(
  edit: (transform: Record<string, unknown>) => void = () => undefined,
): TransformSettings {
  return settingsOf("dev", (raw) => edit(raw.transform as Record<string, unknown>)).transform;
}

const partitioning = (over: Partial<PartitioningSettings>): PartitioningSettings => ({
  extractor: "lambda",
  fields: [{ name: "country" }, { name: "action" }],
  time: "event",
  granularity: "hour",
  ...over,
});

describe("transform environment from stack settings", () => {
  it("passes masking, detection, drop rules, defaults and Lambda-extracted partition keys", () => {
    const transform = transformOf((t) => {
      t.piiFields = ["user_id"];
      t.hashMode = "sha256-salt";
      t.hashLength = 16;
      t.piiDetect = { detectors: ["email", "card"], action: "fail" };
    });
    assert.deepEqual(transformEnvironment(transform, partitioning({})), {
      PII_FIELDS: "user_id,email",
      PII_HASH_MODE: "sha256-salt",
      PII_HASH_LENGTH: "16",
      PII_DETECT: "email,card",
      PII_DETECT_ACTION: "fail",
      DROP_RULES: JSON.stringify([{ field: "action", equals: "healthcheck" }]),
      FIELD_DEFAULTS: JSON.stringify({ source: "web" }),
      PARTITION_FIELDS: "country,action",
      PARTITION_TIME: "hour",
    });
  });

  it("leaves PII_DETECT and PII_DETECT_ACTION out when detection is off", () => {
    const env = transformEnvironment(
      transformOf((t) => delete t.piiDetect),
      undefined,
    );
    assert.deepEqual(Object.keys(env), [
      "PII_FIELDS",
      "PII_HASH_MODE",
      "PII_HASH_LENGTH",
      "DROP_RULES",
      "FIELD_DEFAULTS",
      "PARTITION_FIELDS",
      "PARTITION_TIME",
    ]);
  });

  it("gives no partition keys without partitioning", () => {
    const env = transformEnvironment(transformOf(), undefined);
    assert.equal(env.PARTITION_FIELDS, "");
    assert.equal(env.PARTITION_TIME, "");
  });

  it("gives no partition keys when Firehose's inline parser extracts them", () => {
    const env = transformEnvironment(transformOf(), partitioning({ extractor: "inline", time: "arrival" }));
    assert.equal(env.PARTITION_FIELDS, "");
    assert.equal(env.PARTITION_TIME, "");
  });

  it("gives the fields but no time granularity for arrival-time partitions", () => {
    const env = transformEnvironment(transformOf(), partitioning({ time: "arrival", granularity: "day" }));
    assert.equal(env.PARTITION_FIELDS, "country,action");
    assert.equal(env.PARTITION_TIME, "");
  });

  it("gives the day granularity of event-time partitions without fields", () => {
    const env = transformEnvironment(transformOf(), partitioning({ fields: [], granularity: "day" }));
    assert.equal(env.PARTITION_FIELDS, "");
    assert.equal(env.PARTITION_TIME, "day");
  });
});
