import * as assert from "assert";
import { firehoseHttpEndpoint } from "../../policy/policies/firehose-http-endpoint";
import { httpEndpointStream } from "./fixtures";
import { patched, UNKNOWN } from "./helpers";
import { itPassesEveryValidStream, streamViolations } from "./stream-policy";

const STREAM = "FirehoseDeliveryStream 'events': ";
const PREVIEW =
  "can't run policy 'firehose-http-endpoint' during preview: not checked until the values are known at deployment: ";
const REQUIRE_SECRETS = { "firehose-http-endpoint": { requireSecretsManager: true } };

function violationsOf(
  props: Record<string, unknown>,
  config = {},
  level: "mandatory" | "advisory" = "mandatory",
) {
  return streamViolations(firehoseHttpEndpoint, props, config, level);
}

describe("firehose-http-endpoint", () => {
  itPassesEveryValidStream(firehoseHttpEndpoint);

  it("passes a key read from Secrets Manager when config requires it", async () => {
    assert.deepEqual(await violationsOf(httpEndpointStream(), REQUIRE_SECRETS), []);
  });

  it("accepts an https scheme in any case", async () => {
    const stream = patched(httpEndpointStream(), {
      httpEndpointConfiguration: { url: "HTTPS://ingest.example.com/firehose" },
    });
    assert.deepEqual(await violationsOf(stream), []);
  });

  it("rejects an endpoint without a URL", async () => {
    const stream = patched(httpEndpointStream(), { httpEndpointConfiguration: { url: undefined } });
    assert.deepEqual(await violationsOf(stream), [
      `${STREAM}httpEndpointConfiguration.url is not set: Firehose sends records (and the access key) to it, so ` +
        "it must be an https:// URL",
    ]);
  });

  it("rejects Secrets Manager turned off when config requires it, even without an accessKey", async () => {
    const stream = patched(httpEndpointStream(), {
      httpEndpointConfiguration: { secretsManagerConfiguration: { enabled: false } },
    });
    assert.deepEqual(await violationsOf(stream, REQUIRE_SECRETS), [
      `${STREAM}httpEndpointConfiguration.secretsManagerConfiguration.enabled is not true: read the access key ` +
        "from a secret",
    ]);
  });

  it("notes endpoint settings that are unknown at preview", async () => {
    const stream = patched(httpEndpointStream(), { httpEndpointConfiguration: UNKNOWN });
    assert.deepEqual(await violationsOf(stream, REQUIRE_SECRETS), []);
    assert.deepEqual(await violationsOf(stream, REQUIRE_SECRETS, "advisory"), [
      `${PREVIEW}httpEndpointConfiguration (HTTP endpoint settings)`,
    ]);
  });

  it("notes a URL and a Secrets Manager switch that are unknown at preview", async () => {
    const stream = patched(httpEndpointStream(), {
      httpEndpointConfiguration: { url: UNKNOWN, secretsManagerConfiguration: { enabled: UNKNOWN } },
    });
    assert.deepEqual(await violationsOf(stream, REQUIRE_SECRETS), []);
    assert.deepEqual(await violationsOf(stream, REQUIRE_SECRETS, "advisory"), [
      `${PREVIEW}httpEndpointConfiguration.url (the endpoint URL is https); ` +
        "httpEndpointConfiguration.secretsManagerConfiguration.enabled (the access key comes from Secrets Manager)",
    ]);
  });
});
