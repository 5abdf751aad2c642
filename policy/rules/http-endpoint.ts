// An HTTP endpoint destination: records leave AWS, so the URL must be https. Optionally the access key must come
// from Secrets Manager rather than an `accessKey` input (which sits in the stack's config and state).
import { booleanAt, objectAt, stringAt } from "../lib/fields";
import { Finding, skipped, violation } from "../lib/findings";
import { InputObject, isUnknown } from "../lib/unknown-values";

export interface HttpEndpointConfig {
  readonly requireSecretsManager: boolean;
}

const PATH = "httpEndpointConfiguration";

export function checkHttpEndpoint(inputs: InputObject, config: HttpEndpointConfig): Finding[] {
  const block = objectAt(inputs, PATH);
  if (block === undefined) {
    return [];
  }
  if (isUnknown(block)) {
    return [skipped(block, "HTTP endpoint settings")];
  }
  const findings: Finding[] = [];
  const url = stringAt(block, "url");
  if (isUnknown(url)) {
    findings.push(skipped(url, "the endpoint URL is https"));
  } else if (url === undefined || !url.toLowerCase().startsWith("https://")) {
    findings.push(
      violation(
        `${PATH}.url is ${url === undefined ? "not set" : `"${url}"`}: Firehose sends records (and the access ` +
          "key) to it, so it must be an https:// URL",
      ),
    );
  }
  if (config.requireSecretsManager) {
    if (stringAt(block, "accessKey") !== undefined) {
      findings.push(
        violation(
          `${PATH}.accessKey is set, so the key sits in the stack's config and state: remove it and use ` +
            "secretsManagerConfiguration { enabled: true, secretArn }",
        ),
      );
    }
    const enabled = booleanAt(block, "secretsManagerConfiguration", "enabled");
    if (isUnknown(enabled)) {
      findings.push(skipped(enabled, "the access key comes from Secrets Manager"));
    } else if (enabled !== true) {
      findings.push(
        violation(
          `${PATH}.secretsManagerConfiguration.enabled is not true: read the access key from a secret`,
        ),
      );
    }
  }
  return findings;
}
