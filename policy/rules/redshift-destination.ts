// A Redshift destination: a Redshift JDBC URL and table, credentials from Secrets Manager (never a plaintext
// password in config and state), and an S3 staging configuration that COPY can read: no SNAPPY/ZIP/HADOOP_SNAPPY
// compression, a prefix without expressions, and no errorOutputPrefix (AWS requires both).
import { booleanAt, objectAt, stringAt } from "../lib/fields";
import { Finding, skipped, violation } from "../lib/findings";
import { InputObject, isUnknown } from "../lib/unknown-values";
import { hasExpressions } from "./prefix-expressions";

export interface RedshiftDestinationConfig {
  /** Require secretsManagerConfiguration (enabled, with a secret ARN) for the Redshift credentials. */
  readonly requireSecretsManager: boolean;
}

/** Staging compressions Redshift's COPY cannot load (Firehose API); the provider spells Snappy `Snappy`. */
export const FORBIDDEN_STAGING_COMPRESSIONS = ["SNAPPY", "ZIP", "HADOOP_SNAPPY"];

const PATH = "redshiftConfiguration";
const STAGING = `${PATH}.s3Configuration`;

export function checkRedshiftDestination(inputs: InputObject, config: RedshiftDestinationConfig): Finding[] {
  const block = objectAt(inputs, PATH);
  if (block === undefined) {
    return [];
  }
  if (isUnknown(block)) {
    return [skipped(block, "Redshift destination settings")];
  }
  return [...checkTarget(block), ...checkCredentials(block, config), ...checkStaging(block)];
}

function checkTarget(block: InputObject): Finding[] {
  const findings: Finding[] = [];
  const url = stringAt(block, "clusterJdbcurl");
  if (isUnknown(url)) {
    findings.push(skipped(url, "a jdbc:redshift:// URL"));
  } else if (url === undefined || !url.startsWith("jdbc:redshift://")) {
    findings.push(
      violation(
        `${PATH}.clusterJdbcurl is ${url === undefined ? "not set" : `"${url}"`}: set it to ` +
          "jdbc:redshift://<endpoint>:<port>/<database>",
      ),
    );
  }
  if (stringAt(block, "dataTableName") === undefined) {
    findings.push(
      violation(`${PATH}.dataTableName is not set: name the table COPY loads (the program must create it)`),
    );
  }
  return findings;
}

function checkCredentials(block: InputObject, config: RedshiftDestinationConfig): Finding[] {
  const findings: Finding[] = [];
  // Never echo the value: it is a credential.
  if (stringAt(block, "password") !== undefined) {
    findings.push(
      violation(
        `${PATH}.password is set, so the Redshift password sits in the stack's config and state: remove it ` +
          "and set secretsManagerConfiguration { enabled: true, secretArn: <secret with username and password> }",
      ),
    );
  }
  if (!config.requireSecretsManager) {
    return findings;
  }
  const enabled = booleanAt(block, "secretsManagerConfiguration", "enabled");
  const secretArn = stringAt(block, "secretsManagerConfiguration", "secretArn");
  if (isUnknown(enabled)) {
    findings.push(skipped(enabled, "credentials come from Secrets Manager"));
  } else if (enabled !== true || secretArn === undefined) {
    findings.push(
      violation(
        `${PATH}.secretsManagerConfiguration is not enabled with a secretArn: set { enabled: true, ` +
          "secretArn: <secret with username and password> } so Firehose reads the credentials from Secrets Manager",
      ),
    );
  }
  return findings;
}

function checkStaging(block: InputObject): Finding[] {
  const staging = objectAt(block, "s3Configuration");
  if (staging === undefined) {
    return [violation(`${STAGING} is not set: Redshift needs an S3 staging configuration for COPY`)];
  }
  if (isUnknown(staging)) {
    return [skipped(staging, "Redshift staging settings")];
  }
  const findings: Finding[] = [];
  const compression = stringAt(staging, "compressionFormat");
  if (isUnknown(compression)) {
    findings.push(skipped(compression, "staging compression COPY can read"));
  } else if (
    compression !== undefined &&
    FORBIDDEN_STAGING_COMPRESSIONS.includes(compression.toUpperCase())
  ) {
    findings.push(
      violation(
        `${STAGING}.compressionFormat is "${compression}"; AWS rejects SNAPPY, ZIP and HADOOP_SNAPPY for ` +
          "Redshift staging (COPY cannot load them): use GZIP or UNCOMPRESSED",
      ),
    );
  }
  const errorPrefix = stringAt(staging, "errorOutputPrefix");
  if (errorPrefix !== undefined) {
    findings.push(
      violation(
        `${STAGING}.errorOutputPrefix is set; AWS requires it absent for Redshift's staging configuration: ` +
          "remove it (failed COPYs are reported in the stream's manifests and logs)",
      ),
    );
  }
  const prefix = stringAt(staging, "prefix");
  if (isUnknown(prefix)) {
    findings.push(skipped(prefix, "staging prefix has no expressions"));
  } else if (prefix !== undefined && hasExpressions(prefix)) {
    findings.push(
      violation(
        `${STAGING}.prefix "${prefix}" has expressions, which Redshift's staging configuration does not take: ` +
          "use a plain prefix such as staging/",
      ),
    );
  }
  return findings;
}
