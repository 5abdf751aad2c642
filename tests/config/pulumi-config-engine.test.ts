// What the program takes from the Pulumi engine's config: only the project's keys, the stack named in errors,
// and the secrets the stack declares (those set).
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { loadPulumiSettings } from "../../config/pulumi-config";
import { ConfigError } from "../../config/settings";
import { readStackFile, stackFilePath } from "../../config/stack-file";
import { installMockCloud } from "../../offline/mock-cloud";

/** The dev stack's config as the engine passes it, with `extra` keys (values JSON-encoded unless text). */
function setEngineConfig(extra: Record<string, unknown>, secretKeys: string[] = []) {
  const { all } = readStackFile(stackFilePath("dev"));
  const encoded = Object.entries({ ...all, ...extra }).map(([key, value]) => [
    key,
    typeof value === "string" ? value : JSON.stringify(value),
  ]);
  pulumi.runtime.setAllConfig(Object.fromEntries(encoded), secretKeys);
}

const httpPipeline = (name: string, accessKeyConfigKey: string) => ({
  name,
  destination: {
    type: "http",
    url: "https://example.com/in",
    accessKeyConfigKey,
    buffer: { sizeMiB: 5, intervalSeconds: 60 },
  },
});

describe("config read from the Pulumi engine: keys, errors and secrets", () => {
  beforeEach(() => installMockCloud("firehose-etl", "dev", "eu-west-1"));
  afterEach(() => pulumi.runtime.setAllConfig({}));

  it("ignores the keys of other namespaces", () => {
    setEngineConfig({ "other:protect": "maybe", "aws:profile": "x" });
    assert.equal(loadPulumiSettings().settings.protect, false);
  });

  it("names the stack in its error", () => {
    setEngineConfig({ "firehose-etl:protect": "maybe" });
    assert.throws(
      () => loadPulumiSettings(),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.message ===
          "Invalid stack config in stack dev:\n" +
            '  - firehose-etl:protect: Invalid input: expected boolean, received string, got "maybe"',
    );
  });

  it("reads the access key secret of each HTTP destination, and leaves out the secrets not set", async () => {
    const { all } = readStackFile(stackFilePath("dev"));
    const pipelines = [
      ...(all["firehose-etl:pipelines"] as unknown[]),
      httpPipeline("hook", "hookKey"),
      httpPipeline("other", "otherKey"),
    ];
    setEngineConfig({ "firehose-etl:pipelines": pipelines, "firehose-etl:hookKey": "s3cret" }, [
      "firehose-etl:hookKey",
    ]);
    const { settings, secrets } = loadPulumiSettings();
    assert.deepEqual(
      settings.pipelines.map((p) => p.name),
      ["events", "hook", "other"],
    );
    assert.deepEqual([...secrets.byKey.keys()], ["hookKey"]);
    assert.equal(secrets.piiHashKey, undefined);
    const value = secrets.byKey.get("hookKey")!;
    assert.equal(await pulumi.isSecret(value), true);
    assert.equal(await new Promise((resolve) => value.apply(resolve)), "s3cret");
  });
});
