// Reads the stack's config from the Pulumi engine, once: the only place the program touches pulumi.Config.
import * as pulumi from "@pulumi/pulumi";
import { fromEngineText } from "./config-value";
import { CONFIG_NAMESPACE, parseStackConfig, secretConfigKeys } from "./parse";
import { StackSettings } from "./settings";

/** Secret values the program stores in Secrets Manager; absent ones are reported where they are needed. */
export interface StackSecrets {
  /** Key (HMAC mode) or salt (sha256-salt mode) for PII pseudonyms. */
  readonly piiHashKey?: pulumi.Output<string>;
  /** Values of the secret keys named by HTTP destinations' `accessKeyConfigKey`. */
  readonly byKey: ReadonlyMap<string, pulumi.Output<string>>;
}

export function loadPulumiSettings(): { settings: StackSettings; secrets: StackSecrets } {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = fromEngineText(value);
  }
  const settings = parseStackConfig(raw, {
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
    region: new pulumi.Config("aws").get("region"),
    source: `stack ${pulumi.getStack()}`,
  });
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  const byKey = new Map<string, pulumi.Output<string>>();
  for (const key of secretConfigKeys(raw)) {
    const value = config.getSecret(key);
    if (value) byKey.set(key, value);
  }
  return { settings, secrets: { piiHashKey: byKey.get("piiHashKey"), byKey } };
}
