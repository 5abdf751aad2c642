import { strict as assert } from "assert";
import { EvaluatedStack, evaluateStack } from "../../offline/evaluate-stack";
import { MOCK_ACCOUNT } from "../../offline/mock-cloud";
import { TYPES, ofType, only, settingsOf, statementsOf } from "../support/stacks";

const REGION = "eu-west-1";

describe("dev stack (Pulumi.dev.yaml under mocks)", () => {
  let dev: EvaluatedStack;
  before(async () => {
    dev = await evaluateStack(settingsOf("dev"));
  });

  const keyArn = () => only(dev.resources, TYPES.key).state.arn as string;
  const bucket = () => only(dev.resources, TYPES.bucket).state;
  const breakGlass = () => only(dev.resources, TYPES.role, "lake-error-reader");

  it("builds one Direct PUT extended-S3 stream and no source stream or VPC", () => {
    const stream = only(dev.resources, TYPES.stream);
    assert.equal(stream.inputs.name, "firehose-etl-dev-events");
    assert.equal(stream.inputs.destination, "extended_s3");
    assert.equal(stream.inputs.kinesisSourceConfiguration, undefined);
    assert.deepEqual(ofType(dev.resources, TYPES.kinesis), []);
    assert.deepEqual(ofType(dev.resources, "awsx:ec2:Vpc"), []);
  });

  it("encrypts the stream with the stack's CMK", () => {
    assert.deepEqual(only(dev.resources, TYPES.stream).inputs.serverSideEncryption, {
      enabled: true,
      keyType: "CUSTOMER_MANAGED_CMK",
      keyArn: keyArn(),
    });
  });

  it("delivers GZIP JSON with the configured buffers, prefixes, key and transform", () => {
    const s3 = only(dev.resources, TYPES.stream).inputs.extendedS3Configuration;
    assert.equal(s3.bucketArn, bucket().arn);
    assert.equal(s3.bufferingSize, 5);
    assert.equal(s3.bufferingInterval, 60);
    assert.equal(s3.compressionFormat, "GZIP");
    assert.equal(s3.kmsKeyArn, keyArn());
    assert.equal(s3.prefix, "data/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/");
    assert.equal(
      s3.errorOutputPrefix,
      "errors/events/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
    );
    assert.equal(s3.dynamicPartitioningConfiguration, undefined);
    assert.equal(s3.dataFormatConversionConfiguration, undefined);
    const fn = only(dev.resources, TYPES.function).state.arn;
    // Processor parameters equal to Firehose's defaults are left out (they would diff forever).
    assert.deepEqual(s3.processingConfiguration, {
      enabled: true,
      processors: [{ type: "Lambda", parameters: [{ parameterName: "LambdaArn", parameterValue: fn }] }],
    });
    assert.deepEqual(s3.cloudwatchLoggingOptions, {
      enabled: true,
      logGroupName: "/aws/kinesisfirehose/firehose-etl-dev-events",
      logStreamName: "DestinationDelivery",
    });
  });

  it("encrypts the bucket with the CMK and bucket keys, blocks public access and denies plain HTTP", () => {
    const encryption = only(dev.resources, TYPES.bucketEncryption).inputs;
    assert.deepEqual(encryption.rules, [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn() },
        bucketKeyEnabled: true,
      },
    ]);
    const block = only(dev.resources, TYPES.publicAccessBlock).inputs;
    for (const flag of [
      "blockPublicAcls",
      "blockPublicPolicy",
      "ignorePublicAcls",
      "restrictPublicBuckets",
    ]) {
      assert.equal(block[flag], true, flag);
    }
    assert.deepEqual(statementsOf(only(dev.resources, TYPES.bucketPolicy).inputs.policy), [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucket().arn, `${bucket().arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "DenyRawRecordReadsButBreakGlass",
        Effect: "Deny",
        Principal: "*",
        Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectVersionForReplication"],
        Resource: [`${bucket().arn}/errors/*`, `${bucket().arn}/backup/*`],
        Condition: { ArnNotEquals: { "aws:PrincipalArn": breakGlass().state.arn } },
      },
    ]);
    assert.deepEqual(only(dev.resources, TYPES.versioning).inputs.versioningConfiguration, {
      status: "Enabled",
    });
  });

  it("creates a break-glass role, assumable from the account with MFA, that reads only raw records", () => {
    const role = breakGlass();
    assert.equal(role.inputs.name, "firehose-etl-dev-error-reader");
    assert.deepEqual(statementsOf(role.inputs.assumeRolePolicy), [
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::123456789012:root" },
        Action: "sts:AssumeRole",
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
      },
    ]);
    const policy = only(dev.resources, TYPES.rolePolicy, "lake-error-reader-policy").inputs.policy;
    assert.deepEqual(
      statementsOf(policy).map((s) => [s.Sid, s.Action, s.Resource]),
      [
        [
          "ReadRawRecords",
          ["s3:GetObject", "s3:GetObjectVersion"],
          [`${bucket().arn}/errors/*`, `${bucket().arn}/backup/*`],
        ],
        ["ListRawRecords", "s3:ListBucket", bucket().arn],
        ["DecryptRawRecords", "kms:Decrypt", keyArn()],
      ],
    );
  });

  it("expires errors after the configured days and keeps dev destroyable", () => {
    const rules = only(dev.resources, TYPES.lifecycle).inputs.rules as {
      id: string;
      expiration?: { days: number };
      noncurrentVersionExpiration?: { noncurrentDays: number };
    }[];
    const errors = rules.find((r) => r.id === "expire-errors");
    assert.deepEqual(errors?.expiration, { days: 7 });
    // Raw records do not outlive their expiry as noncurrent versions.
    assert.deepEqual(errors?.noncurrentVersionExpiration, { noncurrentDays: 1 });
    assert.equal(
      rules.find((r) => r.id === "transition-data"),
      undefined,
    );
    assert.equal(only(dev.resources, TYPES.bucket).inputs.forceDestroy, true);
    assert.deepEqual(
      dev.resources.filter((r) => r.protect).map((r) => r.name),
      [],
    );
  });

  it("rotates the key and lets the account use it only through the stack's services", () => {
    const key = only(dev.resources, TYPES.key).inputs;
    assert.equal(key.enableKeyRotation, true);
    const statements = statementsOf(key.policy);
    const use = statements.find((s) => s.Sid === "UseThroughStackServices");
    assert.deepEqual(use?.Condition, {
      StringEquals: {
        "kms:CallerAccount": MOCK_ACCOUNT,
        "kms:ViaService": ["firehose", "s3", "secretsmanager"].map((s) => `${s}.${REGION}.amazonaws.com`),
      },
    });
    for (const s of statements) {
      assert.notDeepEqual(s.Action, "kms:*", `${s.Sid} grants kms:*`);
      assert.ok(!([] as string[]).concat(s.Action).includes("kms:*"), `${s.Sid} grants kms:*`);
    }
    const logs = statements.find((s) => s.Sid === "CloudWatchLogsForStackLogGroups");
    assert.deepEqual(logs?.Condition, {
      ArnLike: {
        "kms:EncryptionContext:aws:logs:arn": [
          `arn:aws:logs:${REGION}:${MOCK_ACCOUNT}:log-group:/aws/lambda/firehose-etl-dev-transform`,
          `arn:aws:logs:${REGION}:${MOCK_ACCOUNT}:log-group:/aws/kinesisfirehose/firehose-etl-dev-*`,
        ],
      },
    });
  });

  it("describes the events in a Glue JSON table partitioned by projected date parts", () => {
    const table = only(dev.resources, TYPES.glueTable).inputs;
    assert.equal(table.databaseName, "firehose_etl_dev");
    assert.equal(table.name, "events");
    assert.deepEqual(table.partitionKeys, [
      { name: "year", type: "int" },
      { name: "month", type: "int" },
      { name: "day", type: "int" },
    ]);
    assert.equal(table.storageDescriptor.location, `s3://${bucket().bucket}/data/`);
    assert.equal(
      table.storageDescriptor.serDeInfo.serializationLibrary,
      "org.openx.data.jsonserde.JsonSerDe",
    );
    assert.deepEqual(
      table.storageDescriptor.columns.map((c: { name: string }) => c.name),
      ["event_id", "user_id", "email", "country", "action", "amount", "ts", "event_version", "source"],
    );
    // The PII decision rides on the column, for the transform-pii-fields policy.
    assert.deepEqual(
      table.storageDescriptor.columns.find((c: { name: string }) => c.name === "email").parameters,
      { "firehose-etl:pii": "true" },
    );
    assert.equal(
      table.storageDescriptor.columns.find((c: { name: string }) => c.name === "user_id").parameters,
      undefined,
    );
    assert.equal(table.parameters["projection.enabled"], "true");
    assert.equal(table.parameters["projection.month.digits"], "2");
    assert.equal(
      table.parameters["storage.location.template"],
      `s3://${bucket().bucket}/data/year=\${year}/month=\${month}/day=\${day}/`,
    );
  });

  it("enforces the Athena workgroup's KMS-encrypted results and scan limit", () => {
    const config = only(dev.resources, TYPES.workgroup).inputs.configuration;
    assert.equal(config.enforceWorkgroupConfiguration, true);
    assert.equal(config.bytesScannedCutoffPerQuery, 1073741824);
    assert.deepEqual(config.resultConfiguration, {
      outputLocation: `s3://${bucket().bucket}/athena-results/`,
      encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: keyArn() },
    });
  });

  it("configures the transform from config, with its masking key in Secrets Manager", () => {
    const fn = only(dev.resources, TYPES.function).inputs;
    assert.equal(fn.name, "firehose-etl-dev-transform");
    assert.equal(fn.runtime, "nodejs22.x");
    assert.equal(fn.memorySize, 256);
    assert.equal(fn.timeout, 60);
    // Unreserved in dev: a new account's concurrency limit (often 10) leaves nothing to reserve.
    assert.equal(fn.reservedConcurrentExecutions, undefined);
    const secret = only(dev.resources, TYPES.secret);
    assert.equal(secret.inputs.kmsKeyId, keyArn());
    assert.deepEqual(fn.environment.variables, {
      PII_FIELDS: "email",
      PII_HASH_MODE: "hmac-sha256",
      PII_HASH_LENGTH: "32",
      PII_DETECT: "email,phone,card",
      PII_DETECT_ACTION: "mask",
      DROP_RULES: '[{"field":"action","equals":"healthcheck"}]',
      FIELD_DEFAULTS: '{"source":"web"}',
      PARTITION_FIELDS: "",
      PARTITION_TIME: "",
      PII_HASH_KEY_SECRET_ARN: secret.state.arn,
    });
    const logs = only(dev.resources, TYPES.logGroup, "transform-logs").inputs;
    assert.deepEqual(
      [logs.name, logs.retentionInDays, logs.kmsKeyId],
      ["/aws/lambda/firehose-etl-dev-transform", 7, keyArn()],
    );
  });

  it("scopes every role's statements to exact ARNs and trusts only the service", () => {
    for (const policy of ofType(dev.resources, TYPES.rolePolicy)) {
      for (const s of statementsOf(policy.inputs.policy)) {
        for (const resource of ([] as string[]).concat(s.Resource)) {
          assert.ok(
            resource !== "*" && resource.startsWith("arn:aws:"),
            `${policy.name} ${s.Sid}: ${resource}`,
          );
        }
      }
    }
    const firehoseTrust = JSON.parse(only(dev.resources, TYPES.role, "events-role").inputs.assumeRolePolicy);
    assert.deepEqual(firehoseTrust.Statement, [
      {
        Effect: "Allow",
        Principal: { Service: "firehose.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": MOCK_ACCOUNT } },
      },
    ]);
  });

  it("lets the delivery role write the lake, invoke the transform and log, and nothing else", () => {
    const statements = statementsOf(
      only(dev.resources, TYPES.rolePolicy, "events-role-policy").inputs.policy,
    );
    assert.deepEqual(
      statements.map((s) => s.Sid),
      ["WriteLake", "EncryptLakeObjects", "InvokeTransform", "WriteDeliveryErrorLogs"],
    );
    const kms = statements.find((s) => s.Sid === "EncryptLakeObjects");
    assert.deepEqual(kms?.Condition, {
      StringEquals: { "kms:ViaService": `s3.${REGION}.amazonaws.com` },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucket().arn, `${bucket().arn}/*`] },
    });
  });

  it("parents every resource under its component", () => {
    const under = (type: string, name: string, component: string) =>
      assert.ok(
        only(dev.resources, type, name).urn.includes(`${component}$${type}::`),
        `${name} under ${component}`,
      );
    under(TYPES.stream, "events-stream", "firehose-etl:ingest:DeliveryStream");
    under(TYPES.role, "events-role", "firehose-etl:ingest:DeliveryStream");
    under(TYPES.bucket, "lake-bucket", "firehose-etl:storage:DataLake");
    under(TYPES.key, "lake-key", "firehose-etl:storage:DataLake");
    under(TYPES.function, "transform-function", "firehose-etl:transform:TransformFunction");
    under(TYPES.topic, "monitoring-alarms", "firehose-etl:monitoring:Monitoring");
  });

  it("alarms on freshness, delivery, transform, throttling and KMS errors into an encrypted topic", () => {
    assert.equal(only(dev.resources, TYPES.topic).inputs.kmsMasterKeyId, keyArn());
    assert.deepEqual(
      ofType(dev.resources, TYPES.alarm)
        .map((a) => a.name)
        .sort(),
      [
        "monitoring-events-delivery-success",
        "monitoring-events-freshness",
        "monitoring-events-kms-errors",
        "monitoring-events-throttled",
        "monitoring-events-transform-success",
        "monitoring-transform-errors",
        "monitoring-transform-throttles",
      ],
    );
    const freshness = only(dev.resources, TYPES.alarm, "monitoring-events-freshness").inputs;
    assert.deepEqual(
      [freshness.metricName, freshness.threshold, freshness.dimensions],
      ["DeliveryToS3.DataFreshness", 900, { DeliveryStreamName: "firehose-etl-dev-events" }],
    );
    assert.deepEqual(ofType(dev.resources, TYPES.dashboard), []);
  });

  it("tags every resource through the stack's provider", () => {
    // Provider inputs reach the engine JSON-encoded.
    assert.deepEqual(JSON.parse(only(dev.resources, TYPES.provider).inputs.defaultTags), {
      tags: { project: "firehose-etl", stack: "dev", environment: "dev", team: "data-platform" },
    });
  });

  it("exports the names a user needs, with the Athena query that counts events per partition", async () => {
    const { outputs } = dev.platform;
    assert.equal(
      outputs.dataPrefix,
      "data/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
    );
    assert.equal(
      outputs.athenaPartitionCountQuery,
      'SELECT year, month, day, count(*) AS events FROM "firehose_etl_dev"."events" GROUP BY year, month, day ORDER BY year, month, day',
    );
  });
});
