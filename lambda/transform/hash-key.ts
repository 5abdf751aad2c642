import { TransformEnvironment, TransformOptions } from "./options";

/** Reads a secret's SecretString; undefined when the secret has none (binary secrets). */
export type SecretReader = (secretArn: string) => Promise<string | undefined>;

/** HMAC keys shorter than this are refused: a short key makes pseudonyms of guessable values brute-forceable. */
export const MIN_HMAC_KEY_BYTES = 16;

type SecretsManagerModule = typeof import("@aws-sdk/client-secrets-manager");

/**
 * Reads the secret with the AWS SDK v3 that the Node.js Lambda runtime ships (external to the bundle). Loaded
 * lazily with CommonJS `require`, which resolves through the runtime's NODE_PATH, and only when an ARN is set.
 */
export const readSecretString: SecretReader = async (secretArn) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, external, resolved via NODE_PATH
  const sdk = require("@aws-sdk/client-secrets-manager") as SecretsManagerModule;
  const { SecretsManagerClient, GetSecretValueCommand } = sdk;
  const output = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretArn }));
  return output.SecretString;
};

function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function keyFromSource(
  options: TransformOptions,
  env: TransformEnvironment,
  readSecret: SecretReader,
): Promise<string | undefined> {
  const source = options.hashKeySource;
  switch (source.kind) {
    case "environment":
      return env.PII_HASH_KEY;
    case "secret":
      try {
        const key = await readSecret(source.secretArn);
        if (key === undefined) throw new Error("the secret has no SecretString");
        return key;
      } catch (error) {
        throw new Error(`Cannot read the PII hash key from ${source.secretArn}: ${errorName(error)}`);
      }
    case "none":
      return undefined;
    // Stryker disable next-line ConditionalExpression,BlockStatement: unreachable, `never` proves every kind has a case
    default: {
      const unknownSource: never = source;
      // Stryker disable next-line StringLiteral: unreachable, `never` proves every kind has a case
      throw new Error(`Unknown hash key source ${JSON.stringify(unknownSource)}`);
    }
  }
}

/** The settings that mask values, as `VARIABLE=value` text, or undefined when nothing is ever masked. */
function maskingSettings(options: TransformOptions): string | undefined {
  const settings: string[] = [];
  if (options.piiFields.length > 0)
    settings.push(`PII_FIELDS=${options.piiFields.map((field) => field.path).join(",")}`);
  const detect = options.piiDetect;
  if (detect.detectors.length > 0 && detect.action === "mask")
    settings.push(`PII_DETECT=${detect.detectors.join(",")} with PII_DETECT_ACTION=mask`);
  return settings.length === 0 ? undefined : settings.join(", ");
}

/**
 * The HMAC key or salt, or undefined when nothing is masked. Throws when masking is configured and no usable
 * key is available: the batch then fails as a whole (Firehose retries it, then sends it to the error prefix),
 * so records are never delivered unmasked.
 */
export async function loadHashKey(
  options: TransformOptions,
  env: TransformEnvironment,
  readSecret: SecretReader = readSecretString,
): Promise<string | undefined> {
  const masking = maskingSettings(options);
  if (masking === undefined) return undefined;
  const key = await keyFromSource(options, env, readSecret);
  if (key === undefined || key === "") {
    throw new Error(
      `PII masking is on (${masking}) but no key is set: set PII_HASH_KEY_SECRET_ARN (or PII_HASH_KEY for local runs); refusing to deliver records unmasked`,
    );
  }
  const keyBytes = Buffer.byteLength(key); // UTF-8
  if (options.hashMode === "hmac-sha256" && keyBytes < MIN_HMAC_KEY_BYTES) {
    throw new Error(
      `The PII hash key must be at least ${MIN_HMAC_KEY_BYTES} bytes for hmac-sha256, got ${keyBytes} bytes`,
    );
  }
  return key;
}
