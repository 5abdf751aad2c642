import * as assert from "node:assert/strict";
import { createServer, IncomingMessage } from "node:http";
import { AddressInfo } from "node:net";
import { loadHashKey, MIN_HMAC_KEY_BYTES, readSecretString } from "../../lambda/transform/hash-key";
import { parseTransformOptions, TransformEnvironment } from "../../lambda/transform/options";

const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pii-hash-key-AbCdEf";
const NO_KEY =
  "no key is set: set PII_HASH_KEY_SECRET_ARN (or PII_HASH_KEY for local runs); refusing to deliver records unmasked";

function load(env: TransformEnvironment, secret?: string): Promise<string | undefined> {
  return loadHashKey(parseTransformOptions(env), env, async () => secret);
}

function bodyOf(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** Runs `body` with the AWS SDK pointed at `endpoint` with static test credentials, then restores the environment. */
async function withAwsEndpoint<T>(endpoint: string, body: () => Promise<T>): Promise<T> {
  const overrides: Record<string, string | undefined> = {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
  };
  const saved = Object.fromEntries(Object.keys(overrides).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>): void => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(overrides);
  try {
    return await body();
  } finally {
    apply(saved);
  }
}

describe("PII hash key", () => {
  it("is not needed, and no secret is read, when nothing is masked", async () => {
    let reads = 0;
    const env = {
      PII_FIELDS: "",
      PII_DETECT: "email",
      PII_DETECT_ACTION: "fail",
      PII_HASH_KEY_SECRET_ARN: SECRET_ARN,
    };
    const key = await loadHashKey(parseTransformOptions(env), env, async () => {
      reads++;
      return "never-read-0123456789";
    });
    assert.equal(key, undefined);
    assert.equal(reads, 0);
  });

  it("names every masking setting when no key is set", async () => {
    await assert.rejects(load({ PII_FIELDS: "email,user.phone", PII_DETECT: "card,email" }), {
      message: `PII masking is on (PII_FIELDS=email,user.phone, PII_DETECT=card,email with PII_DETECT_ACTION=mask) but ${NO_KEY}`,
    });
    await assert.rejects(load({}), { message: `PII masking is on (PII_FIELDS=email) but ${NO_KEY}` });
  });

  it("treats an empty SecretString as no key, in either hash mode", async () => {
    const env = { PII_HASH_KEY_SECRET_ARN: SECRET_ARN, PII_HASH_MODE: "sha256-salt" };
    await assert.rejects(load(env, ""), { message: `PII masking is on (PII_FIELDS=email) but ${NO_KEY}` });
    await assert.rejects(load({ PII_HASH_KEY_SECRET_ARN: SECRET_ARN }, ""), {
      message: `PII masking is on (PII_FIELDS=email) but ${NO_KEY}`,
    });
  });

  it(`accepts an hmac-sha256 key of ${MIN_HMAC_KEY_BYTES} UTF-8 bytes and refuses a shorter one`, async () => {
    const env = { PII_HASH_KEY_SECRET_ARN: SECRET_ARN };
    assert.equal(await load(env, "0123456789abcdef"), "0123456789abcdef");
    assert.equal(await load(env, "é".repeat(8)), "é".repeat(8));
    await assert.rejects(load(env, "0123456789abcde"), {
      message: "The PII hash key must be at least 16 bytes for hmac-sha256, got 15 bytes",
    });
    await assert.rejects(load(env, `${"é".repeat(7)}a`), {
      message: "The PII hash key must be at least 16 bytes for hmac-sha256, got 15 bytes",
    });
    // A salt has no minimum length.
    assert.equal(await load({ ...env, PII_HASH_MODE: "sha256-salt" }, "pepper"), "pepper");
  });

  it("reads the SecretString of the secret ARN with Secrets Manager's GetSecretValue", async () => {
    const requests: { target: string | undefined; body: unknown }[] = [];
    const server = createServer((request, response) => {
      void bodyOf(request).then((body) => {
        requests.push({
          target: request.headers["x-amz-target"] as string | undefined,
          body: JSON.parse(body),
        });
        response.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
        response.end(
          JSON.stringify({ ARN: SECRET_ARN, Name: "pii-hash-key", SecretString: "key-from-the-secret" }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const key = await withAwsEndpoint(`http://127.0.0.1:${port}`, () => readSecretString(SECRET_ARN));
      assert.equal(key, "key-from-the-secret");
      assert.deepEqual(requests, [
        { target: "secretsmanager.GetSecretValue", body: { SecretId: SECRET_ARN } },
      ]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
