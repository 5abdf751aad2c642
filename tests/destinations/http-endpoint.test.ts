import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { destinationFor } from "../../components/destinations";
import { NO_SECRETS, EvaluatedStack, evaluateStack } from "../../offline/evaluate-stack";
import { TYPES, only, settingsOf } from "../support/stacks";
import {
  DELIVERY_STREAM_TYPE,
  DESTINATION_TYPES as T,
  REGION,
  bySid,
  roleArnOf,
  roleStatements,
  streamDependencies,
  unsecret,
} from "./helpers";

const HOOK = {
  name: "hook",
  destination: {
    type: "http",
    url: "https://intake.example.com/v1/firehose",
    endpointName: "Example intake",
    accessKeyConfigKey: "exampleIntakeKey",
    contentEncoding: "GZIP",
    buffer: { sizeMiB: 4, intervalSeconds: 60 },
    retrySeconds: 600,
    backupMode: "FailedDataOnly",
    commonAttributes: { env: "dev", team: "data-platform" },
  },
};

const withHook = () => settingsOf("dev", (raw) => (raw.pipelines as unknown[]).push(structuredClone(HOOK)));

describe("HTTP endpoint destination", () => {
  let dev: EvaluatedStack;
  before(async () => {
    dev = await evaluateStack(withHook(), {
      byKey: new Map([["exampleIntakeKey", pulumi.secret("ak-123")]]),
    });
  });

  const secret = () => only(dev.resources, TYPES.secret, "hook-access-key");
  const keyArn = () => only(dev.resources, TYPES.key).state.arn as string;

  it("keeps the access key in a CMK-encrypted secret, in the shape Firehose reads", () => {
    assert.deepEqual(secret().inputs, {
      description: "Access key of the HTTP endpoint firehose-etl-dev-hook delivers to",
      kmsKeyId: keyArn(),
      recoveryWindowInDays: 0,
    });
    const version = only(dev.resources, T.secretVersion, "hook-access-key-version").inputs;
    assert.equal(version.secretId, secret().state.arn);
    assert.deepEqual(JSON.parse(unsecret(version.secretString) as string), { api_key: "ak-123" });
  });

  it("posts to the URL with the secret, content encoding and common attributes, backing failures up", () => {
    const stream = only(dev.resources, TYPES.stream, "hook-stream").inputs;
    const roleArn = roleArnOf(dev, "hook");
    assert.equal(stream.destination, "http_endpoint");
    const { processingConfiguration, ...config } = stream.httpEndpointConfiguration;
    assert.equal(config.accessKey, undefined, "never the key itself");
    assert.deepEqual(config, {
      url: "https://intake.example.com/v1/firehose",
      name: "Example intake",
      roleArn,
      secretsManagerConfiguration: { enabled: true, secretArn: secret().state.arn, roleArn },
      requestConfiguration: {
        contentEncoding: "GZIP",
        commonAttributes: [
          { name: "env", value: "dev" },
          { name: "team", value: "data-platform" },
        ],
      },
      bufferingSize: 4,
      bufferingInterval: 60,
      retryDuration: 600,
      s3BackupMode: "FailedDataOnly",
      s3Configuration: {
        bucketArn: only(dev.resources, TYPES.bucket).state.arn,
        roleArn,
        prefix: "backup/hook/",
        errorOutputPrefix:
          "errors/hook/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
        bufferingSize: 4,
        bufferingInterval: 60,
        compressionFormat: "GZIP",
        kmsKeyArn: keyArn(),
        cloudwatchLoggingOptions: {
          enabled: true,
          logGroupName: "/aws/kinesisfirehose/firehose-etl-dev-hook",
          logStreamName: "BackupDelivery",
        },
      },
      cloudwatchLoggingOptions: {
        enabled: true,
        logGroupName: "/aws/kinesisfirehose/firehose-etl-dev-hook",
        logStreamName: "DestinationDelivery",
      },
    });
    assert.equal(processingConfiguration.processors[0].type, "Lambda");
  });

  it("lets the role read exactly that secret, decrypt it only through Secrets Manager, and write the lake", () => {
    const statements = roleStatements(dev, "hook");
    assert.deepEqual(bySid(statements, "ReadEndpointAccessKey").Resource, secret().state.arn);
    assert.deepEqual(bySid(statements, "DecryptEndpointAccessKey"), {
      Sid: "DecryptEndpointAccessKey",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: keyArn(),
      Condition: {
        StringEquals: {
          "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com`,
          "kms:EncryptionContext:SecretARN": secret().state.arn,
        },
      },
    });
    assert.ok(statements.some((s) => s.Sid === "WriteLake"));
    for (const statement of statements) assert.ok(![statement.Resource].flat().includes("*"), statement.Sid);
  });

  it("waits for the secret's value, parents its resources under the DeliveryStream and watches the endpoint", async () => {
    const version = only(dev.resources, T.secretVersion, "hook-access-key-version");
    assert.ok((await streamDependencies(dev, "hook")).includes(version.urn));
    for (const r of [secret(), version]) assert.ok(r.urn.includes(`${DELIVERY_STREAM_TYPE}$`), r.urn);
    const stream = dev.platform.streams.find((s) => s.bound.destination === "http_endpoint");
    assert.deepEqual(stream?.bound.metrics, {
      freshness: "DeliveryToHttpEndpoint.DataFreshness",
      success: "DeliveryToHttpEndpoint.Success",
    });
  });

  it("fails before building anything when the access key is not set, saying how to set it", () => {
    const hook = withHook().pipelines.find((p) => p.name === "hook")!;
    assert.throws(
      () => destinationFor(hook, NO_SECRETS),
      (err: Error) =>
        err.message ===
        "pipeline 'hook': destination.accessKeyConfigKey names the secret config key 'exampleIntakeKey', " +
          "which is not set; run `pulumi config set --secret exampleIntakeKey <access key>`",
    );
  });
});
