// Redshift: Firehose stages GZIP objects in the lake and COPYs them into a table this program creates. The
// warehouse is a Serverless workgroup or a provisioned cluster the stack builds, or an existing one named by its
// JDBC URL. Firehose reaches Redshift only over the public endpoint (there is no VPC delivery for Redshift), so a
// warehouse built here is publicly accessible and its security group admits the Redshift port from Firehose's
// published CIDR block for the region and nothing else. Credentials exist only in Secrets Manager: Redshift
// manages the admin secret, encrypted with the lake's CMK, and Firehose reads it through
// `secretsManagerConfiguration`.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { REDSHIFT_SERVERLESS_MIN_ZONES } from "../../config/destinations/redshift";
import { RedshiftDestinationSettings } from "../../config/settings";
import { NOT_PII_COLUMNS_TAG } from "../../policy/lib/pii-columns";
import { firehoseRedshiftCidr } from "../firehose-cidrs";
import { Network } from "../network";
import { BindContext, BoundDestination, Destination } from "./destination";
import { lakeBackup } from "./lake-backup";
import { secretReadStatements } from "./secret-access";
import { TableSchema } from "../table-schema";

export const REDSHIFT_PORT = 5439;

type RedshiftConfiguration = aws.types.input.kinesis.FirehoseDeliveryStreamRedshiftConfiguration;

/** Where the Redshift Data API runs the table's DDL. */
type DataApiTarget =
  { readonly workgroupName: pulumi.Input<string> } | { readonly clusterIdentifier: pulumi.Input<string> };

/** A warehouse Firehose can load: how to reach it, as whom, and where the DDL runs. */
interface Warehouse {
  readonly jdbcUrl: pulumi.Input<string>;
  readonly database: string;
  /** A secret holding `username` and `password`, the shape Firehose expects for Redshift. */
  readonly secretArn: pulumi.Input<string>;
  /** The CMK of a secret this stack made; absent for an existing warehouse's own secret. */
  readonly secretKeyArn?: pulumi.Input<string>;
  readonly dataApi: DataApiTarget;
  /** What the stream must wait for besides the table (the rule that lets Firehose in). */
  readonly ready: pulumi.Resource[];
}

/** The database and Data API target of an existing warehouse, read from its JDBC URL. */
export function existingWarehouseOf(
  jdbcUrl: string,
  pipeline: string,
): { database: string; dataApi: { workgroupName: string } | { clusterIdentifier: string } } {
  const match = /^jdbc:redshift:\/\/([^/:]+):\d+\/([a-zA-Z0-9_]+)$/.exec(jdbcUrl);
  if (!match) {
    throw new Error(
      `pipeline '${pipeline}': destination.jdbcUrl must look like jdbc:redshift://host:5439/database, got '${jdbcUrl}'`,
    );
  }
  const [, host, database] = match;
  const name = host.split(".")[0];
  if (/\.redshift-serverless\.amazonaws\.com(\.cn)?$/.test(host))
    return { database, dataApi: { workgroupName: name } };
  if (/\.redshift\.amazonaws\.com(\.cn)?$/.test(host))
    return { database, dataApi: { clusterIdentifier: name } };
  throw new Error(
    `pipeline '${pipeline}': destination.jdbcUrl host '${host}' is neither a Serverless workgroup endpoint ` +
      `(<workgroup>.<account>.<region>.redshift-serverless.amazonaws.com) nor a cluster endpoint ` +
      `(<cluster>.<id>.<region>.redshift.amazonaws.com), so the program cannot create the table through the ` +
      `Redshift Data API`,
  );
}

/** The target table's DDL. Identifiers are validated by the config schema and quoted here. */
export function createTableSql(
  settings: Pick<RedshiftDestinationSettings, "table" | "columns" | "distKey" | "sortKeys">,
): string {
  const quote = (identifier: string) => `"${identifier}"`;
  const columns = settings.columns.map((c) => `${quote(c.name)} ${c.type}`).join(", ");
  const distKey = settings.distKey ? ` DISTKEY(${quote(settings.distKey)})` : "";
  const sortKey = settings.sortKeys.length > 0 ? ` SORTKEY(${settings.sortKeys.map(quote).join(", ")})` : "";
  return `CREATE TABLE IF NOT EXISTS ${quote(settings.table)} (${columns})${distKey}${sortKey}`;
}

export class RedshiftDestination implements Destination {
  private readonly existing?: ReturnType<typeof existingWarehouseOf> & { secretArn: string; jdbcUrl: string };

  constructor(
    private readonly settings: RedshiftDestinationSettings,
    pipeline: string,
  ) {
    if (settings.warehouse === "existing") {
      const { jdbcUrl, secretArn } = settings;
      if (!jdbcUrl || !secretArn) {
        throw new Error(
          `pipeline '${pipeline}': warehouse 'existing' needs destination.jdbcUrl and destination.secretArn, ` +
            `got jdbcUrl ${JSON.stringify(jdbcUrl)} and secretArn ${JSON.stringify(secretArn)}`,
        );
      }
      this.existing = { ...existingWarehouseOf(jdbcUrl, pipeline), jdbcUrl, secretArn };
    }
  }

  bind(scope: pulumi.ComponentResource, ctx: BindContext): BoundDestination {
    const { settings } = this;
    const warehouse = this.warehouse(scope, ctx);
    const table = new aws.redshiftdata.Statement(
      `${ctx.name}-table`,
      {
        ...warehouse.dataApi,
        database: warehouse.database,
        secretArn: warehouse.secretArn,
        sql: createTableSql(settings),
      },
      // Runs once: column changes after that are TableSchema's ALTER TABLE statements.
      { parent: scope, ignoreChanges: ["sql"] },
    );
    new TableSchema(
      `${ctx.name}-table-schema`,
      {
        label: `${warehouse.database}.${settings.table}`,
        columns: settings.columns.map(({ name, type }) => ({ name, type })),
        allowBreakingSchemaChange: ctx.lake.tableDefinition.allowBreakingSchemaChange,
        target: {
          kind: "redshift",
          region: ctx.region,
          database: warehouse.database,
          table: settings.table,
          secretArn: warehouse.secretArn,
          ...warehouse.dataApi,
        },
      },
      { parent: scope, dependsOn: [table] },
    );
    const config: RedshiftConfiguration = {
      clusterJdbcurl: warehouse.jdbcUrl,
      roleArn: ctx.roleArn,
      dataTableName: settings.table,
      dataTableColumns: settings.columns.map((c) => c.name).join(","),
      copyOptions: settings.copyOptions,
      retryDuration: settings.retrySeconds,
      secretsManagerConfiguration: { enabled: true, secretArn: warehouse.secretArn, roleArn: ctx.roleArn },
      s3Configuration: lakeBackup(ctx, { purpose: "staging", buffer: settings.buffer }),
      processingConfiguration: ctx.processing,
      cloudwatchLoggingOptions: ctx.logging.destination,
    };
    const notPii = settings.columns.filter((c) => c.pii === false).map((c) => c.name);
    return {
      destination: "redshift",
      streamArgs: {
        redshiftConfiguration: config,
        // The opt-outs, where the `transform-pii-fields` policy can see them beside dataTableColumns.
        ...(notPii.length > 0 ? { tags: { [NOT_PII_COLUMNS_TAG]: notPii.join(" ") } } : {}),
      },
      statements: [
        ...ctx.lake.deliveryStatements(ctx.region),
        ...secretReadStatements({
          sid: "WarehouseSecret",
          secretArn: warehouse.secretArn,
          keyArn: warehouse.secretKeyArn,
          region: ctx.region,
        }),
      ],
      dependsOn: [table, ...warehouse.ready],
      // Firehose reports the staging step as delivery to S3, then the COPY as delivery to Redshift.
      metrics: { freshness: "DeliveryToS3.DataFreshness", success: "DeliveryToRedshift.Success" },
      alarms: [],
    };
  }

  private warehouse(scope: pulumi.ComponentResource, ctx: BindContext): Warehouse {
    if (this.existing) return { ...this.existing, ready: [] };
    const cidr = firehoseRedshiftCidr(ctx.region);
    const network = requireNetwork(ctx, this.settings.warehouse);
    const access = firehoseAccess(scope, ctx, network, cidr);
    return this.settings.warehouse === "serverless"
      ? this.serverless(ctx, network, access)
      : this.provisioned(scope, ctx, network, access);
  }

  private serverless(ctx: BindContext, network: Network, access: FirehoseAccess): Warehouse {
    const { settings } = this;
    const keyArn = ctx.lake.key.arn;
    const namespace = new aws.redshiftserverless.Namespace(
      `${ctx.name}-namespace`,
      {
        namespaceName: ctx.streamName,
        dbName: settings.database,
        adminUsername: settings.username,
        manageAdminPassword: true,
        adminPasswordSecretKmsKeyId: keyArn,
        kmsKeyId: keyArn,
      },
      ctx.statefulOpts,
    );
    const workgroup = new aws.redshiftserverless.Workgroup(
      `${ctx.name}-workgroup`,
      {
        namespaceName: namespace.namespaceName,
        workgroupName: ctx.streamName,
        baseCapacity: settings.baseCapacityRpu,
        port: REDSHIFT_PORT,
        publiclyAccessible: true,
        subnetIds: network.publicSubnetIds.apply((ids) => {
          if (ids.length < REDSHIFT_SERVERLESS_MIN_ZONES) {
            throw new Error(
              `pipeline '${ctx.name}': a Redshift Serverless workgroup needs subnets in ${REDSHIFT_SERVERLESS_MIN_ZONES} ` +
                `availability zones, but the VPC has ${ids.length} public subnets; set ` +
                `firehose-etl:network.availabilityZones to ${REDSHIFT_SERVERLESS_MIN_ZONES}`,
            );
          }
          return ids;
        }),
        securityGroupIds: [access.securityGroup.id],
      },
      ctx.statefulOpts,
    );
    return {
      jdbcUrl: workgroup.endpoints.apply(
        ([endpoint]) => `jdbc:redshift://${endpoint.address}:${endpoint.port}/${settings.database}`,
      ),
      database: settings.database,
      secretArn: namespace.adminPasswordSecretArn,
      secretKeyArn: keyArn,
      dataApi: { workgroupName: workgroup.workgroupName },
      ready: [access.rule],
    };
  }

  private provisioned(
    scope: pulumi.ComponentResource,
    ctx: BindContext,
    network: Network,
    access: FirehoseAccess,
  ): Warehouse {
    const { settings } = this;
    const keyArn = ctx.lake.key.arn;
    const protect = ctx.statefulOpts.protect === true;
    const subnets = new aws.redshift.SubnetGroup(
      `${ctx.name}-subnets`,
      {
        description: `Public subnets of the ${ctx.streamName} warehouse (Firehose reaches only public endpoints)`,
        subnetIds: network.publicSubnetIds,
      },
      { parent: scope },
    );
    const cluster = new aws.redshift.Cluster(
      `${ctx.name}-cluster`,
      {
        clusterIdentifier: ctx.streamName,
        nodeType: settings.nodeType,
        clusterType: settings.numberOfNodes > 1 ? "multi-node" : "single-node",
        numberOfNodes: settings.numberOfNodes,
        databaseName: settings.database,
        masterUsername: settings.username,
        manageMasterPassword: true,
        masterPasswordSecretKmsKeyId: keyArn,
        // A string in @pulumi/aws v7's typings.
        encrypted: "true",
        kmsKeyId: keyArn,
        port: REDSHIFT_PORT,
        publiclyAccessible: true,
        clusterSubnetGroupName: subnets.name,
        vpcSecurityGroupIds: [access.securityGroup.id],
        // A protected warehouse keeps a final snapshot should it ever be deleted.
        skipFinalSnapshot: !protect,
        ...(protect ? { finalSnapshotIdentifier: `${ctx.streamName}-final` } : {}),
      },
      ctx.statefulOpts,
    );
    return {
      jdbcUrl: pulumi.interpolate`jdbc:redshift://${cluster.endpoint}/${settings.database}`,
      database: settings.database,
      secretArn: cluster.masterPasswordSecretArn,
      secretKeyArn: keyArn,
      dataApi: { clusterIdentifier: cluster.clusterIdentifier },
      ready: [access.rule],
    };
  }
}

interface FirehoseAccess {
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly rule: aws.vpc.SecurityGroupIngressRule;
}

/** The warehouse's security group: the Redshift port from Firehose's CIDR block for the region, nothing else. */
function firehoseAccess(
  scope: pulumi.ComponentResource,
  ctx: BindContext,
  network: Network,
  cidr: string,
): FirehoseAccess {
  const securityGroup = new aws.ec2.SecurityGroup(
    `${ctx.name}-warehouse-sg`,
    {
      vpcId: network.vpcId,
      description: `The ${ctx.streamName} warehouse: Redshift port from Firehose in ${ctx.region} only`,
    },
    { parent: scope },
  );
  const rule = new aws.vpc.SecurityGroupIngressRule(
    `${ctx.name}-from-firehose`,
    {
      securityGroupId: securityGroup.id,
      description: `Firehose (${ctx.region}) delivering to Redshift`,
      ipProtocol: "tcp",
      fromPort: REDSHIFT_PORT,
      toPort: REDSHIFT_PORT,
      cidrIpv4: cidr,
    },
    { parent: scope },
  );
  return { securityGroup, rule };
}

function requireNetwork(ctx: BindContext, warehouse: string): Network {
  if (!ctx.network) {
    throw new Error(
      `pipeline '${ctx.name}': warehouse '${warehouse}' needs the stack's VPC, and none was built`,
    );
  }
  return ctx.network;
}
