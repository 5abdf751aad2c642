// The Iceberg destination under the mocks: Pulumi.iceberg.yaml (one upserting table), then append-only routing to
// two tables with the optimizers switched off. Asserts the stream's icebergConfiguration, the Glue Iceberg tables,
// the optimizers and their role, as the resources' inputs.
import { strict as assert } from "assert";
import { parseStackConfig } from "../../config/parse";
import { readStackFile, stackFilePath } from "../../config/stack-file";
import { StackSettings } from "../../config/settings";
import { EvaluatedStack, evaluateStack } from "../../offline/evaluate-stack";
import { MOCK_ACCOUNT } from "../../offline/mock-cloud";
import { RawConfig, TYPES, ofType, only, statementsOf } from "../support/stacks";
import { REGION, bySid, roleArnOf, roleStatements, streamDependencies } from "./helpers";

const OPTIMIZER = "aws:glue/catalogTableOptimizer:CatalogTableOptimizer";
const DATABASE = "firehose_etl_iceberg";

/** Pulumi.iceberg.yaml's settings, after `edit` changed its raw config. */
function icebergSettings(edit: (raw: RawConfig) => void = () => undefined): StackSettings {
  const raw = structuredClone(readStackFile(stackFilePath("iceberg")).raw);
  edit(raw);
  return parseStackConfig(raw, { project: "firehose-etl", stack: "iceberg", region: REGION, source: "test" });
}

const destinationOf = (raw: RawConfig) => (raw.pipelines as { destination: RawConfig }[])[0].destination;

describe("Iceberg destination (Pulumi.iceberg.yaml under mocks)", () => {
  let stack: EvaluatedStack;
  before(async () => {
    stack = await evaluateStack(icebergSettings());
  });

  const bucket = () => only(stack.resources, TYPES.bucket).state.bucket as string;
  const bucketArn = () => only(stack.resources, TYPES.bucket).state.arn as string;

  it("delivers to the Glue catalog's table, upserting by its unique keys, failures to the lake's error prefix", () => {
    const stream = only(stack.resources, TYPES.stream, "events-stream").inputs;
    const roleArn = roleArnOf(stack, "events");
    const logGroup = only(stack.resources, TYPES.logGroup, "events-logs").inputs.name;
    assert.equal(stream.destination, "iceberg");
    assert.deepEqual(stream.icebergConfiguration, {
      catalogArn: `arn:aws:glue:${REGION}:${MOCK_ACCOUNT}:catalog`,
      roleArn,
      destinationTableConfigurations: [
        { databaseName: DATABASE, tableName: "events", uniqueKeys: ["event_id"] },
      ],
      appendOnly: false,
      bufferingSize: 64,
      bufferingInterval: 300,
      retryDuration: 300,
      s3BackupMode: "FailedDataOnly",
      s3Configuration: {
        bucketArn: bucketArn(),
        roleArn,
        prefix: "backup/events/",
        errorOutputPrefix:
          "errors/events/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
        bufferingSize: 64,
        bufferingInterval: 300,
        compressionFormat: "GZIP",
        kmsKeyArn: only(stack.resources, TYPES.key).state.arn,
        cloudwatchLoggingOptions: { enabled: true, logGroupName: logGroup, logStreamName: "BackupDelivery" },
      },
      processingConfiguration: {
        enabled: true,
        processors: [
          {
            type: "Lambda",
            parameters: [
              { parameterName: "LambdaArn", parameterValue: only(stack.resources, TYPES.function).state.arn },
            ],
          },
          {
            type: "MetadataExtraction",
            parameters: [
              {
                parameterName: "MetadataExtractionQuery",
                parameterValue: `{destinationDatabaseName:"${DATABASE}",destinationTableName:"events",operation:"update"}`,
              },
              { parameterName: "JsonParsingEngine", parameterValue: "JQ-1.6" },
            ],
          },
        ],
      },
      cloudwatchLoggingOptions: {
        enabled: true,
        logGroupName: logGroup,
        logStreamName: "DestinationDelivery",
      },
    });
  });

  it("creates the table before the stream (Firehose checks the table and its unique keys at creation)", async () => {
    const table = only(stack.resources, TYPES.glueTable, "events-events-table");
    assert.ok((await streamDependencies(stack, "events")).includes(table.urn));
  });

  it("declares a format-version-2 Iceberg table in the lake with the stack's columns, merge-on-read", () => {
    const table = only(stack.resources, TYPES.glueTable, "events-events-table");
    assert.ok(table.urn.includes("firehose-etl:ingest:DeliveryStream$aws:glue/catalogTable:CatalogTable"));
    assert.equal(table.protect, false);
    assert.deepEqual(table.inputs, {
      databaseName: DATABASE,
      name: "events",
      openTableFormatInput: {
        icebergInput: {
          metadataOperation: "CREATE",
          version: "2",
          icebergTableInput: {
            location: `s3://${bucket()}/iceberg/events/`,
            schema: {
              fields: [
                ["event_id", "string"],
                ["user_id", "string"],
                ["email", "string"],
                ["country", "string"],
                ["action", "string"],
                ["amount", "double"],
                ["ts", "string"],
                ["event_version", "int"],
                ["source", "string"],
              ].map(([name, type], i) => ({ id: i + 1, name, type, required: false })),
            },
            properties: {
              "write.format.default": "parquet",
              "write.delete.mode": "merge-on-read",
              "write.update.mode": "merge-on-read",
              "write.merge.mode": "merge-on-read",
            },
          },
        },
      },
    });
  });

  it("maintains the table with compaction, snapshot retention and orphan-file deletion, as the optimizers' role", () => {
    const role = only(stack.resources, TYPES.role, "events-optimizer-role");
    const policy = only(stack.resources, TYPES.rolePolicy, "events-optimizer-policy");
    const table = only(stack.resources, TYPES.glueTable, "events-events-table");
    const optimizers = ofType(stack.resources, OPTIMIZER);
    assert.deepEqual(optimizers.map((o) => o.name).sort(), [
      "events-events-compaction",
      "events-events-orphanFileDeletion",
      "events-events-retention",
    ]);
    const common = { catalogId: MOCK_ACCOUNT, databaseName: DATABASE, tableName: "events" };
    const byType = (type: string) => optimizers.find((o) => o.inputs.type === type)!;
    assert.deepEqual(byType("compaction").inputs, {
      ...common,
      type: "compaction",
      configuration: { roleArn: role.state.arn, enabled: true },
    });
    assert.deepEqual(byType("retention").inputs, {
      ...common,
      type: "retention",
      configuration: {
        roleArn: role.state.arn,
        enabled: true,
        retentionConfiguration: {
          icebergConfiguration: {
            snapshotRetentionPeriodInDays: 5,
            numberOfSnapshotsToRetain: 1,
            cleanExpiredFiles: true,
          },
        },
      },
    });
    assert.deepEqual(byType("orphanFileDeletion").inputs, {
      ...common,
      type: "orphanFileDeletion",
      configuration: {
        roleArn: role.state.arn,
        enabled: true,
        orphanFileDeletionConfiguration: {
          icebergConfiguration: {
            orphanFileRetentionPeriodInDays: 3,
            location: `s3://${bucket()}/iceberg/events/`,
          },
        },
      },
    });
    for (const optimizer of optimizers) {
      assert.ok(optimizer.dependencies.includes(policy.urn), `${optimizer.name} waits for its role's policy`);
      assert.ok(optimizer.dependencies.includes(table.urn), `${optimizer.name} waits for its table`);
    }
  });

  it("trusts the optimizers' role to this account's Glue, scoped to the table's folder", () => {
    const role = only(stack.resources, TYPES.role, "events-optimizer-role");
    assert.deepEqual(statementsOf(role.inputs.assumeRolePolicy), [
      {
        Effect: "Allow",
        Principal: { Service: "glue.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT } },
      },
    ]);
    const statements = statementsOf(
      only(stack.resources, TYPES.rolePolicy, "events-optimizer-policy").inputs.policy,
    );
    assert.deepEqual(bySid(statements, "RewriteIcebergFiles").Resource, [`${bucketArn()}/iceberg/events/*`]);
    assert.deepEqual(bySid(statements, "ListIcebergFiles").Condition, {
      StringLike: { "s3:prefix": ["iceberg/events/*"] },
    });
  });

  it("lets the delivery role write only its own table's files and its own failed records", () => {
    const statements = roleStatements(stack, "events");
    assert.deepEqual(bySid(statements, "WriteIcebergFiles").Resource, [`${bucketArn()}/iceberg/events/*`]);
    assert.deepEqual(bySid(statements, "WriteFailedRecords").Resource, [
      `${bucketArn()}/errors/events/*`,
      `${bucketArn()}/backup/events/*`,
    ]);
    assert.equal(
      statements.find((s) => s.Sid === "WriteLake"),
      undefined,
      "not the whole lake, as S3 destinations may",
    );
  });

  it("alarms on Iceberg's freshness and failed rows", () => {
    const alarms = ofType(stack.resources, TYPES.alarm).map((a) => [a.name, a.inputs.metricName]);
    assert.deepEqual(
      alarms.filter(([name]) => /events-(freshness|failed-rows)$/.test(name)),
      [
        ["monitoring-events-freshness", "DeliveryToIceberg.DataFreshness"],
        ["monitoring-events-failed-rows", "DeliveryToIceberg.FailedRowCount"],
      ],
    );
  });

  it("draws Iceberg's delivered rows on the dashboard", async () => {
    const dashboard = only(stack.resources, TYPES.dashboard).inputs.dashboardBody;
    const widgets = JSON.parse(dashboard).widgets as { properties: { metrics: string[][] } }[];
    const metrics = widgets.flatMap((w) => w.properties.metrics.map((m) => m[1]));
    assert.ok(metrics.includes("DeliveryToIceberg.SuccessfulRowCount"), metrics.join(", "));
    assert.ok(!metrics.includes("DeliveryToIceberg.Records"), "no such metric");
  });

  it("builds no VPC and no Hive-style lake table", () => {
    assert.equal(ofType(stack.resources, "awsx:ec2:Vpc").length, 0);
    assert.deepEqual(
      ofType(stack.resources, TYPES.glueTable).map((t) => t.name),
      ["events-events-table"],
    );
  });
});

describe("Iceberg destination: append-only routing to two tables, optimizers off", () => {
  let stack: EvaluatedStack;
  before(async () => {
    const settings = icebergSettings((raw) => {
      const dest = destinationOf(raw);
      dest.tables = [{ name: "events" }, { name: "refunds" }];
      dest.routeBy = "action";
      dest.mode = "append";
      dest.optimizers = {
        compaction: { enabled: false },
        snapshotRetention: { enabled: false },
        orphanFileDeletion: { enabled: false },
      };
    });
    stack = await evaluateStack(settings);
  });

  it("appends, routing each record to the table its routeBy field names, without unique keys", () => {
    const config = only(stack.resources, TYPES.stream, "events-stream").inputs.icebergConfiguration;
    assert.equal(config.appendOnly, true);
    assert.deepEqual(config.destinationTableConfigurations, [
      { databaseName: DATABASE, tableName: "events" },
      { databaseName: DATABASE, tableName: "refunds" },
    ]);
    const [, routing] = config.processingConfiguration.processors;
    assert.deepEqual(routing.parameters[0], {
      parameterName: "MetadataExtractionQuery",
      parameterValue: `{destinationDatabaseName:"${DATABASE}",destinationTableName:.action}`,
    });
  });

  it("declares both tables and keeps their optimizers, switched off", () => {
    assert.deepEqual(
      ofType(stack.resources, TYPES.glueTable).map(
        (t) => t.inputs.openTableFormatInput.icebergInput.icebergTableInput.location,
      ),
      ["events", "refunds"].map(
        (t) => `s3://${only(stack.resources, TYPES.bucket).state.bucket}/iceberg/${t}/`,
      ),
    );
    const optimizers = ofType(stack.resources, OPTIMIZER);
    assert.equal(optimizers.length, 6);
    assert.deepEqual([...new Set(optimizers.map((o) => o.inputs.configuration.enabled))], [false]);
  });

  it("scopes both roles to both tables and nothing else", () => {
    const bucketArn = only(stack.resources, TYPES.bucket).state.arn;
    const tables = ["events", "refunds"].map((t) => `${bucketArn}/iceberg/${t}/*`);
    assert.deepEqual(bySid(roleStatements(stack, "events"), "WriteIcebergFiles").Resource, tables);
    const optimizer = statementsOf(
      only(stack.resources, TYPES.rolePolicy, "events-optimizer-policy").inputs.policy,
    );
    assert.deepEqual(bySid(optimizer, "RewriteIcebergFiles").Resource, tables);
    assert.deepEqual(bySid(roleStatements(stack, "events"), "CommitIcebergTables").Resource, [
      `arn:aws:glue:${REGION}:${MOCK_ACCOUNT}:catalog`,
      `arn:aws:glue:${REGION}:${MOCK_ACCOUNT}:database/${DATABASE}`,
      `arn:aws:glue:${REGION}:${MOCK_ACCOUNT}:table/${DATABASE}/events`,
      `arn:aws:glue:${REGION}:${MOCK_ACCOUNT}:table/${DATABASE}/refunds`,
    ]);
  });
});
