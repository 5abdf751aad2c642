// firehose-redshift-destination: what a Redshift destination must have (a jdbc:redshift:// URL, a table, Secrets
// Manager credentials, an S3 staging configuration COPY can read), and each value unknown at preview skipped by
// name. warehouses.test.ts holds the happy path and the first rejections.
import * as assert from "assert";
import { firehoseRedshiftDestination } from "../../policy/policies/firehose-redshift-destination";
import { redshiftStream } from "./fixtures";
import { patched, UNKNOWN } from "./helpers";
import { streamViolations } from "./stream-policy";

const STREAM = "FirehoseDeliveryStream 'events': ";
const STAGING = "redshiftConfiguration.s3Configuration";
const PREVIEW_NOTE =
  "can't run policy 'firehose-redshift-destination' during preview: not checked until the values are known at " +
  "deployment: ";
const SECRETS_FIX =
  "redshiftConfiguration.secretsManagerConfiguration is not enabled with a secretArn: set { enabled: true, " +
  "secretArn: <secret with username and password> } so Firehose reads the credentials from Secrets Manager";

function violationsOf(props: Record<string, unknown>, config = {}) {
  return streamViolations(firehoseRedshiftDestination, props, config);
}

function advisoriesOf(props: Record<string, unknown>) {
  return streamViolations(firehoseRedshiftDestination, props, {}, "advisory");
}

/** The Redshift fixture with `patch` merged into its redshiftConfiguration. */
function withRedshift(patch: Record<string, unknown>) {
  return patched(redshiftStream(), { redshiftConfiguration: patch });
}

describe("firehose-redshift-destination: required settings and unknown values", () => {
  it("rejects a Redshift destination without clusterJdbcurl", async () => {
    assert.deepEqual(await violationsOf(withRedshift({ clusterJdbcurl: undefined })), [
      `${STREAM}redshiftConfiguration.clusterJdbcurl is not set: set it to jdbc:redshift://<endpoint>:<port>/<database>`,
    ]);
  });

  it("rejects a Redshift destination without dataTableName", async () => {
    assert.deepEqual(await violationsOf(withRedshift({ dataTableName: undefined })), [
      `${STREAM}redshiftConfiguration.dataTableName is not set: name the table COPY loads (the program must ` +
        "create it)",
    ]);
  });

  it("rejects a Redshift destination without an S3 staging configuration", async () => {
    assert.deepEqual(await violationsOf(withRedshift({ s3Configuration: undefined })), [
      `${STREAM}${STAGING} is not set: Redshift needs an S3 staging configuration for COPY`,
    ]);
  });

  it("rejects Secrets Manager credentials that are disabled, or enabled without a secretArn", async () => {
    const disabled = withRedshift({ secretsManagerConfiguration: { enabled: false } });
    assert.deepEqual(await violationsOf(disabled), [STREAM + SECRETS_FIX]);
    const withoutArn = withRedshift({ secretsManagerConfiguration: { secretArn: undefined } });
    assert.deepEqual(await violationsOf(withoutArn), [STREAM + SECRETS_FIX]);
  });

  it("still rejects a plaintext password when config does not require Secrets Manager", async () => {
    const stream = withRedshift({
      username: "firehose",
      password: "s3cr3t-Passw0rd",
      secretsManagerConfiguration: undefined,
    });
    const config = { "firehose-redshift-destination": { requireSecretsManager: false } };
    assert.deepEqual(await violationsOf(stream, config), [
      `${STREAM}redshiftConfiguration.password is set, so the Redshift password sits in the stack's config and ` +
        "state: remove it and set secretsManagerConfiguration { enabled: true, secretArn: <secret with username " +
        "and password> }",
    ]);
  });

  it("rejects ZIP and HADOOP_SNAPPY staging compression as well as Snappy", async () => {
    for (const compressionFormat of ["ZIP", "HADOOP_SNAPPY"]) {
      assert.deepEqual(await violationsOf(withRedshift({ s3Configuration: { compressionFormat } })), [
        `${STREAM}${STAGING}.compressionFormat is "${compressionFormat}"; AWS rejects SNAPPY, ZIP and HADOOP_SNAPPY ` +
          "for Redshift staging (COPY cannot load them): use GZIP or UNCOMPRESSED",
      ]);
    }
  });

  it("accepts a staging configuration without compressionFormat or prefix (uncompressed, at the bucket root)", async () => {
    const stream = withRedshift({ s3Configuration: { compressionFormat: undefined, prefix: undefined } });
    assert.deepEqual(await violationsOf(stream), []);
  });

  const unknowns: [string, Record<string, unknown>, string][] = [
    [
      "the whole Redshift configuration",
      patched(redshiftStream(), { redshiftConfiguration: UNKNOWN }),
      "redshiftConfiguration (Redshift destination settings)",
    ],
    [
      "the JDBC URL",
      withRedshift({ clusterJdbcurl: UNKNOWN }),
      "redshiftConfiguration.clusterJdbcurl (a jdbc:redshift:// URL)",
    ],
    [
      "whether Secrets Manager is enabled",
      withRedshift({ secretsManagerConfiguration: { enabled: UNKNOWN } }),
      "redshiftConfiguration.secretsManagerConfiguration.enabled (credentials come from Secrets Manager)",
    ],
    [
      "the staging configuration",
      withRedshift({ s3Configuration: UNKNOWN }),
      `${STAGING} (Redshift staging settings)`,
    ],
    [
      "the staging compression",
      withRedshift({ s3Configuration: { compressionFormat: UNKNOWN } }),
      `${STAGING}.compressionFormat (staging compression COPY can read)`,
    ],
    [
      "the staging prefix",
      withRedshift({ s3Configuration: { prefix: UNKNOWN } }),
      `${STAGING}.prefix (staging prefix has no expressions)`,
    ],
  ];
  for (const [what, stream, note] of unknowns) {
    it(`skips the check that needs ${what} when it is unknown at preview, with an advisory note`, async () => {
      assert.deepEqual(await violationsOf(stream), []);
      assert.deepEqual(await advisoriesOf(stream), [PREVIEW_NOTE + note]);
    });
  }
});
