import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { BindContext } from "../../components/destinations/destination";
import {
  RedshiftDestination,
  createTableSql,
  existingWarehouseOf,
} from "../../components/destinations/redshift";
import { RedshiftDestinationSettings } from "../../config/settings";
import { EvaluatedStack, evaluateStack } from "../../offline/evaluate-stack";
import { MOCK_ACCOUNT } from "../../offline/mock-cloud";
import { RawConfig, TYPES, ofType, only, problemsOf, rawConfigOf, settingsOf } from "../support/stacks";
import {
  DELIVERY_STREAM_TYPE,
  DESTINATION_TYPES as T,
  REGION,
  bySid,
  idOf,
  roleArnOf,
  roleStatements,
  streamDependencies,
  unsecret,
} from "./helpers";

const FIREHOSE_EU_WEST_1 = "52.19.239.192/27";
const COLUMNS = "event_id,user_id,email,country,action,amount,ts,event_version";
const DDL =
  'CREATE TABLE IF NOT EXISTS "events" ("event_id" VARCHAR(64), "user_id" VARCHAR(64), "email" VARCHAR(128), ' +
  '"country" CHAR(2), "action" VARCHAR(64), "amount" DOUBLE PRECISION, "ts" TIMESTAMPTZ, ' +
  '"event_version" INTEGER) DISTKEY("user_id") SORTKEY("ts")';

type Edit = (destination: RawConfig) => void;

/** Settings of `stack` with the `warehouse` pipeline's destination edited (added to dev, which lacks it). */
function withWarehouse(stack: "dev" | "prod", edit: Edit) {
  return settingsOf(stack, (raw) => {
    const pipelines = raw.pipelines as { name: string; destination: RawConfig }[];
    let warehouse = pipelines.find((p) => p.name === "warehouse");
    if (!warehouse) {
      const prod = (rawConfigOf("prod").pipelines as { name: string; destination: RawConfig }[]).find(
        (p) => p.name === "warehouse",
      );
      warehouse = structuredClone(prod!);
      pipelines.push(warehouse);
    }
    edit(warehouse.destination);
  });
}

const keyArnOf = (stack: EvaluatedStack) => only(stack.resources, TYPES.key).state.arn as string;
const bucketArnOf = (stack: EvaluatedStack) => only(stack.resources, TYPES.bucket).state.arn as string;
const warehouseStream = (stack: EvaluatedStack) =>
  only(stack.resources, TYPES.stream, "warehouse-stream").inputs;

describe("Redshift destination", () => {
  describe("serverless warehouse (Pulumi.prod.yaml)", () => {
    let prod: EvaluatedStack;
    before(async () => {
      prod = await evaluateStack(settingsOf("prod"));
    });

    const namespace = () => only(prod.resources, T.namespace);
    const workgroup = () => only(prod.resources, T.workgroup);
    const securityGroup = () => only(prod.resources, T.securityGroup, "warehouse-warehouse-sg");
    const secretArn = () => namespace().state.adminPasswordSecretArn as string;

    it("loads through the workgroup's endpoint with Redshift's managed secret, never a user name or password", () => {
      const stream = warehouseStream(prod);
      const roleArn = roleArnOf(prod, "warehouse");
      const lambdaArn = only(prod.resources, TYPES.function, "transform-function").state.arn;
      assert.equal(stream.destination, "redshift");
      assert.equal(stream.redshiftConfiguration.username, undefined);
      assert.equal(stream.redshiftConfiguration.password, undefined);
      // Staging for COPY: no expressions in the prefix and no error output prefix (developer guide).
      assert.ok(!stream.redshiftConfiguration.s3Configuration.prefix.includes("!{"));
      assert.equal(stream.redshiftConfiguration.s3Configuration.errorOutputPrefix, undefined);
      assert.deepEqual(stream.redshiftConfiguration, {
        clusterJdbcurl: `jdbc:redshift://firehose-etl-prod-warehouse.${MOCK_ACCOUNT}.${REGION}.redshift-serverless.amazonaws.com:5439/analytics`,
        roleArn,
        dataTableName: "events",
        dataTableColumns: COLUMNS,
        copyOptions: "json 'auto' gzip timeformat 'auto'",
        retryDuration: 3600,
        secretsManagerConfiguration: { enabled: true, secretArn: secretArn(), roleArn },
        s3Configuration: {
          bucketArn: bucketArnOf(prod),
          roleArn,
          prefix: "staging/warehouse/",
          bufferingSize: 64,
          bufferingInterval: 300,
          compressionFormat: "GZIP",
          kmsKeyArn: keyArnOf(prod),
          cloudwatchLoggingOptions: {
            enabled: true,
            logGroupName: "/aws/kinesisfirehose/firehose-etl-prod-warehouse",
            logStreamName: "BackupDelivery",
          },
        },
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: "Lambda",
              parameters: [{ parameterName: "LambdaArn", parameterValue: lambdaArn }],
            },
          ],
        },
        cloudwatchLoggingOptions: {
          enabled: true,
          logGroupName: "/aws/kinesisfirehose/firehose-etl-prod-warehouse",
          logStreamName: "DestinationDelivery",
        },
      });
    });

    it("creates the namespace with a Redshift-managed admin password, all under the lake CMK", () => {
      // The provider marks the admin user name secret.
      assert.deepEqual(
        { ...namespace().inputs, adminUsername: unsecret(namespace().inputs.adminUsername) },
        {
          namespaceName: "firehose-etl-prod-warehouse",
          dbName: "analytics",
          adminUsername: "firehose",
          manageAdminPassword: true,
          adminPasswordSecretKmsKeyId: keyArnOf(prod),
          kmsKeyId: keyArnOf(prod),
        },
      );
    });

    it("puts a publicly accessible workgroup in the VPC's public subnets behind its own security group", () => {
      const vpc = only(prod.resources, T.vpc).state;
      assert.deepEqual(workgroup().inputs, {
        namespaceName: "firehose-etl-prod-warehouse",
        workgroupName: "firehose-etl-prod-warehouse",
        baseCapacity: 8,
        port: 5439,
        publiclyAccessible: true,
        subnetIds: vpc.publicSubnetIds,
        securityGroupIds: [idOf(securityGroup())],
      });
      assert.equal(securityGroup().inputs.vpcId, vpc.vpcId);
    });

    it("admits TCP 5439 from eu-west-1's Firehose CIDR block and nothing else", () => {
      const rules = ofType(prod.resources, T.ingressRule).filter(
        (r) => r.inputs.securityGroupId === idOf(securityGroup()),
      );
      assert.deepEqual(
        rules.map((r) => r.inputs),
        [
          {
            securityGroupId: idOf(securityGroup()),
            description: "Firehose (eu-west-1) delivering to Redshift",
            ipProtocol: "tcp",
            fromPort: 5439,
            toPort: 5439,
            cidrIpv4: FIREHOSE_EU_WEST_1,
          },
        ],
      );
      assert.equal(securityGroup().inputs.ingress, undefined);
      for (const rule of ofType(prod.resources, T.ingressRule)) {
        assert.notEqual(rule.inputs.cidrIpv4, "0.0.0.0/0", rule.name);
        assert.notEqual(rule.inputs.cidrIpv6, "::/0", rule.name);
      }
    });

    it("creates the table with the configured DISTKEY and SORTKEY, and the stream waits for it", async () => {
      const table = only(prod.resources, T.statement);
      assert.deepEqual(table.inputs, {
        workgroupName: "firehose-etl-prod-warehouse",
        database: "analytics",
        secretArn: secretArn(),
        sql: DDL,
      });
      const waitsFor = await streamDependencies(prod, "warehouse");
      assert.ok(waitsFor.includes(table.urn), `${waitsFor.join(", ")} lacks ${table.urn}`);
      const rule = only(prod.resources, T.ingressRule, "warehouse-from-firehose");
      assert.ok(waitsFor.includes(rule.urn), `${waitsFor.join(", ")} lacks ${rule.urn}`);
    });

    it("lets the role write the lake, read exactly that secret and decrypt it only through Secrets Manager", () => {
      const statements = roleStatements(prod, "warehouse");
      assert.deepEqual(bySid(statements, "ReadWarehouseSecret"), {
        Sid: "ReadWarehouseSecret",
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: secretArn(),
      });
      assert.deepEqual(bySid(statements, "DecryptWarehouseSecret"), {
        Sid: "DecryptWarehouseSecret",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: keyArnOf(prod),
        Condition: {
          StringEquals: {
            "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com`,
            "kms:EncryptionContext:SecretARN": secretArn(),
          },
        },
      });
      assert.deepEqual(bySid(statements, "WriteLake").Resource, [
        bucketArnOf(prod),
        `${bucketArnOf(prod)}/*`,
      ]);
      for (const statement of statements) {
        assert.notEqual(statement.Resource, "*", statement.Sid);
        assert.ok(![statement.Resource].flat().includes("*"), statement.Sid);
      }
    });

    it("protects the warehouse and parents everything under the DeliveryStream", () => {
      assert.equal(only(prod.resources, T.namespace, "warehouse-namespace").protect, true);
      assert.equal(only(prod.resources, T.workgroup, "warehouse-workgroup").protect, true);
      for (const type of [T.namespace, T.workgroup, T.statement, T.ingressRule, T.securityGroup]) {
        for (const r of ofType(prod.resources, type).filter((r) => r.name.startsWith("warehouse-"))) {
          assert.ok(r.urn.includes(`${DELIVERY_STREAM_TYPE}$`), r.urn);
        }
      }
    });

    it("watches staging freshness and Redshift delivery success", () => {
      const stream = prod.platform.streams.find((s) => s.bound.destination === "redshift");
      assert.deepEqual(stream?.bound.metrics, {
        freshness: "DeliveryToS3.DataFreshness",
        success: "DeliveryToRedshift.Success",
      });
    });
  });

  describe("provisioned warehouse", () => {
    let prod: EvaluatedStack;
    let dev: EvaluatedStack;
    before(async () => {
      const provisioned: Edit = (d) => {
        d.warehouse = "provisioned";
        d.nodeType = "ra3.xlplus";
        d.numberOfNodes = 2;
      };
      prod = await evaluateStack(withWarehouse("prod", provisioned));
      dev = await evaluateStack(withWarehouse("dev", provisioned));
    });

    it("encrypts a public multi-node cluster with the CMK and lets Redshift manage its password", () => {
      const cluster = only(prod.resources, T.cluster);
      const subnets = only(prod.resources, T.subnetGroup);
      const securityGroup = only(prod.resources, T.securityGroup, "warehouse-warehouse-sg");
      assert.equal(cluster.inputs.masterPassword, undefined);
      assert.deepEqual(cluster.inputs, {
        clusterIdentifier: "firehose-etl-prod-warehouse",
        nodeType: "ra3.xlplus",
        clusterType: "multi-node",
        numberOfNodes: 2,
        databaseName: "analytics",
        masterUsername: "firehose",
        manageMasterPassword: true,
        masterPasswordSecretKmsKeyId: keyArnOf(prod),
        encrypted: "true",
        kmsKeyId: keyArnOf(prod),
        port: 5439,
        publiclyAccessible: true,
        clusterSubnetGroupName: subnets.state.name,
        vpcSecurityGroupIds: [idOf(securityGroup)],
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: "firehose-etl-prod-warehouse-final",
      });
      assert.deepEqual(subnets.inputs.subnetIds, only(prod.resources, T.vpc).state.publicSubnetIds);
      assert.equal(only(prod.resources, T.cluster, "warehouse-cluster").protect, true);
      assert.deepEqual(ofType(prod.resources, T.namespace), []);
    });

    it("admits only Firehose's CIDR block on 5439", () => {
      const rule = only(prod.resources, T.ingressRule, "warehouse-from-firehose").inputs;
      assert.deepEqual(
        [rule.cidrIpv4, rule.ipProtocol, rule.fromPort, rule.toPort],
        [FIREHOSE_EU_WEST_1, "tcp", 5439, 5439],
      );
    });

    it("loads through the cluster endpoint with the cluster's managed secret and runs the DDL there", () => {
      const cluster = only(prod.resources, T.cluster).state;
      const redshift = warehouseStream(prod).redshiftConfiguration;
      assert.equal(redshift.clusterJdbcurl, `jdbc:redshift://${cluster.endpoint}/analytics`);
      assert.equal(redshift.secretsManagerConfiguration.secretArn, cluster.masterPasswordSecretArn);
      assert.deepEqual(only(prod.resources, T.statement).inputs, {
        clusterIdentifier: "firehose-etl-prod-warehouse",
        database: "analytics",
        secretArn: cluster.masterPasswordSecretArn,
        sql: DDL,
      });
      assert.equal(
        bySid(roleStatements(prod, "warehouse"), "ReadWarehouseSecret").Resource,
        cluster.masterPasswordSecretArn,
      );
    });

    it("skips the final snapshot only when the stack is not protected", () => {
      const cluster = only(dev.resources, T.cluster).inputs;
      assert.equal(cluster.skipFinalSnapshot, true);
      assert.equal(cluster.finalSnapshotIdentifier, undefined);
      assert.equal(only(dev.resources, T.cluster, "warehouse-cluster").protect, false);
    });
  });

  describe("existing warehouse", () => {
    const jdbcUrl = `jdbc:redshift://analytics.${MOCK_ACCOUNT}.${REGION}.redshift-serverless.amazonaws.com:5439/dwh`;
    const secretArn = `arn:aws:secretsmanager:${REGION}:${MOCK_ACCOUNT}:secret:firehose-loader-AbCdEf`;
    let prod: EvaluatedStack;
    before(async () => {
      prod = await evaluateStack(
        withWarehouse("prod", (d) => {
          d.warehouse = "existing";
          d.jdbcUrl = jdbcUrl;
          d.secretArn = secretArn;
        }),
      );
    });

    it("builds no warehouse and no security group for it", () => {
      for (const type of [T.namespace, T.workgroup, T.cluster, T.subnetGroup]) {
        assert.deepEqual(ofType(prod.resources, type), [], type);
      }
      assert.ok(!ofType(prod.resources, T.securityGroup).some((r) => r.name.startsWith("warehouse-")));
    });

    it("loads through the given URL with the given secret and creates the table in the URL's database", () => {
      const redshift = warehouseStream(prod).redshiftConfiguration;
      assert.equal(redshift.clusterJdbcurl, jdbcUrl);
      assert.deepEqual(redshift.secretsManagerConfiguration, {
        enabled: true,
        secretArn,
        roleArn: roleArnOf(prod, "warehouse"),
      });
      assert.deepEqual(only(prod.resources, T.statement).inputs, {
        workgroupName: "analytics",
        database: "dwh",
        secretArn,
        sql: DDL,
      });
    });

    it("lets the role read exactly that secret (its key is not the stack's)", () => {
      const statements = roleStatements(prod, "warehouse");
      assert.equal(bySid(statements, "ReadWarehouseSecret").Resource, secretArn);
      assert.ok(!statements.some((s) => s.Sid === "DecryptWarehouseSecret"));
    });
  });

  describe("table DDL and JDBC URLs", () => {
    const settings = (over: Partial<RedshiftDestinationSettings>) =>
      ({ table: "events", columns: [{ name: "id", type: "BIGINT" }], sortKeys: [], ...over }) as Pick<
        RedshiftDestinationSettings,
        "table" | "columns" | "distKey" | "sortKeys"
      >;

    it("quotes identifiers and leaves DISTKEY and SORTKEY out when unset", () => {
      assert.equal(createTableSql(settings({})), 'CREATE TABLE IF NOT EXISTS "events" ("id" BIGINT)');
      assert.equal(
        createTableSql(
          settings({
            columns: [
              { name: "id", type: "BIGINT" },
              { name: "ts", type: "TIMESTAMP" },
            ],
            sortKeys: ["ts", "id"],
          }),
        ),
        'CREATE TABLE IF NOT EXISTS "events" ("id" BIGINT, "ts" TIMESTAMP) SORTKEY("ts", "id")',
      );
    });

    it("reads the Data API target and database from serverless and cluster endpoints", () => {
      assert.deepEqual(
        existingWarehouseOf(
          "jdbc:redshift://wg.123456789012.eu-west-1.redshift-serverless.amazonaws.com:5439/dev",
          "w",
        ),
        { database: "dev", dataApi: { workgroupName: "wg" } },
      );
      assert.deepEqual(
        existingWarehouseOf("jdbc:redshift://c1.abc123.eu-west-1.redshift.amazonaws.com:5439/db", "w"),
        {
          database: "db",
          dataApi: { clusterIdentifier: "c1" },
        },
      );
    });

    it("rejects a host the Data API cannot be pointed at, naming it", () => {
      assert.throws(
        () => existingWarehouseOf("jdbc:redshift://warehouse.example.com:5439/db", "warehouse"),
        /^Error: pipeline 'warehouse': destination.jdbcUrl host 'warehouse.example.com' is neither/,
      );
    });

    it("validates copy options and keys against the columns", () => {
      const raw = rawConfigOf("prod");
      const warehouse = (raw.pipelines as { name: string; destination: RawConfig }[]).find(
        (p) => p.name === "warehouse",
      )!.destination;
      warehouse.copyOptions = "json 'auto'";
      warehouse.distKey = "account_id";
      assert.deepEqual(problemsOf(raw), [
        `firehose-etl:pipelines[2].destination.copyOptions: must include 'gzip' (Firehose stages GZIP-compressed objects for COPY), got "json 'auto'"`,
        `firehose-etl:pipelines[2].destination.distKey: 'account_id' is not one of the columns (${COLUMNS.split(",").join(", ")}), got "account_id"`,
      ]);
    });
  });

  describe("a region without a published Firehose CIDR block", () => {
    it("fails naming the region before building anything", () => {
      const settings = settingsOf("prod").pipelines.find((p) => p.name === "warehouse")!
        .destination as RedshiftDestinationSettings;
      // Only what bind reads before it would create a resource: the pipeline and the region.
      const ctx = { name: "warehouse", region: "xx-nowhere-1" } as unknown as BindContext;
      const scope = {} as pulumi.ComponentResource;
      assert.throws(
        () => new RedshiftDestination(settings, "warehouse").bind(scope, ctx),
        /aws:region 'xx-nowhere-1' has no published Firehose CIDR block/,
      );
    });
  });
});
