import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { loadPulumiSettings } from "../../config/pulumi-config";
import { ConfigError } from "../../config/settings";
import { readStackFile, stackFilePath } from "../../config/stack-file";
import { installMockCloud } from "../../offline/mock-cloud";

/** Sets the engine's config as `pulumi up` would pass it: structured values JSON-encoded. */
function setEngineConfig(all: Record<string, unknown>, secretKeys: string[] = []) {
  const encoded = Object.fromEntries(
    Object.entries(all).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
  pulumi.runtime.setAllConfig(encoded, secretKeys);
}

describe("config read from the Pulumi engine", () => {
  afterEach(() => pulumi.runtime.setAllConfig({}));

  it("gives the same settings as the stack file, and the secret keys as secrets", async () => {
    installMockCloud("firehose-etl", "dev", "eu-west-1");
    const { all } = readStackFile(stackFilePath("dev"));
    setEngineConfig({ ...all, "firehose-etl:piiHashKey": "k3y" }, ["firehose-etl:piiHashKey"]);
    const { settings, secrets } = loadPulumiSettings();
    assert.equal(settings.stack, "dev");
    assert.equal(settings.region, "eu-west-1");
    assert.deepEqual(settings.pipelines[0].destination, {
      type: "s3",
      buffer: { sizeMiB: 5, intervalSeconds: 60 },
      compression: "GZIP",
      format: "json",
      parquetCompression: "SNAPPY",
    });
    assert.ok(secrets.piiHashKey);
    assert.equal(await pulumi.isSecret(secrets.piiHashKey), true);
  });

  it("reports invalid engine config with the key and value", () => {
    installMockCloud("firehose-etl", "dev", "eu-west-1");
    const { all } = readStackFile(stackFilePath("dev"));
    setEngineConfig({ ...all, "firehose-etl:protect": "maybe" });
    assert.throws(
      () => loadPulumiSettings(),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.problems.join("\n") ===
          'firehose-etl:protect: Invalid input: expected boolean, received string, got "maybe"',
    );
  });
});
