// OpenSearch: a domain encrypted at rest with the lake's CMK, node-to-node encrypted, HTTPS only (TLS 1.2+ with
// forward secrecy), optionally inside the stack's VPC. There Firehose delivers through ENIs in a security group of
// its own, the only source the domain's security group admits. The domain's access policy lets exactly the
// delivery role write and read what Firehose reads; failed (or all) documents are backed up to the lake.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { openSearchDomainNameOf } from "../../config/naming";
import { OpenSearchDestinationSettings } from "../../config/settings";
import { PolicyStatement, policyDocument } from "../iam";
import { Network } from "../network";
import { BindContext, BoundDestination, Destination } from "./destination";
import { lakeBackup } from "./lake-backup";

const HTTPS_PORT = 443;
const TLS_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10";

type OpenSearchConfiguration = aws.types.input.kinesis.FirehoseDeliveryStreamOpensearchConfiguration;

/**
 * How many availability zones the domain's data nodes spread over: zone awareness needs an even spread, so 2
 * for an even count and 3 for an odd multiple of 3 (the config schema rejects other counts above 1).
 */
export function zoneCountOf(instanceCount: number): 1 | 2 | 3 {
  if (instanceCount < 2) return 1;
  return instanceCount % 2 === 0 ? 2 : 3;
}

/** The paths Firehose reads (`es:ESHttpGet`) to check the cluster and index (Firehose developer guide). */
export function firehoseReadPaths(domainArn: string, indexName: string): string[] {
  return [
    "_all/_settings",
    "_cluster/stats",
    `${indexName}*/_mapping/*`,
    "_nodes",
    "_nodes/stats",
    "_nodes/*/stats",
    "_stats",
    `${indexName}*/_stats`,
  ].map((path) => `${domainArn}/${path}`);
}

/** The domain's place in the VPC and the security groups that connect Firehose's ENIs to it. */
interface VpcPlacement {
  readonly vpcId: pulumi.Output<string>;
  readonly subnetIds: pulumi.Output<string[]>;
  readonly domainSecurityGroup: aws.ec2.SecurityGroup;
  readonly firehoseSecurityGroup: aws.ec2.SecurityGroup;
  readonly rules: pulumi.Resource[];
}

export class OpenSearchDestination implements Destination {
  constructor(private readonly settings: OpenSearchDestinationSettings) {}

  bind(scope: pulumi.ComponentResource, ctx: BindContext): BoundDestination {
    const { settings } = this;
    const zones = zoneCountOf(settings.instanceCount);
    const vpc = settings.vpc ? this.placeInVpc(scope, ctx, zones) : undefined;
    // The account's service-linked role, when this stack creates it, must exist before a domain in a VPC.
    const serviceRole = vpc ? ctx.network?.openSearchServiceRole : undefined;
    const domain = new aws.opensearch.Domain(
      `${ctx.name}-domain`,
      {
        domainName: openSearchDomainNameOf(ctx.streamName),
        engineVersion: settings.engineVersion,
        clusterConfig: {
          instanceType: settings.instanceType,
          instanceCount: settings.instanceCount,
          zoneAwarenessEnabled: zones > 1,
          ...(zones > 1 ? { zoneAwarenessConfig: { availabilityZoneCount: zones } } : {}),
        },
        ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: settings.volumeSizeGiB },
        encryptAtRest: { enabled: true, kmsKeyId: ctx.lake.key.arn },
        nodeToNodeEncryption: { enabled: true },
        domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: TLS_POLICY },
        ...(vpc
          ? { vpcOptions: { subnetIds: vpc.subnetIds, securityGroupIds: [vpc.domainSecurityGroup.id] } }
          : {}),
      },
      serviceRole ? { ...ctx.statefulOpts, dependsOn: [serviceRole] } : ctx.statefulOpts,
    );
    // A separate policy resource: the domain never waits on the role, nor the role on the domain.
    const access = new aws.opensearch.DomainPolicy(
      `${ctx.name}-domain-policy`,
      {
        domainName: domain.domainName,
        accessPolicies: policyDocument(this.domainPolicyStatements(domain.arn, ctx.roleArn)),
      },
      { parent: scope },
    );

    const config: OpenSearchConfiguration = {
      domainArn: domain.arn,
      roleArn: ctx.roleArn,
      indexName: settings.indexName,
      indexRotationPeriod: settings.indexRotation,
      bufferingSize: settings.buffer.sizeMiB,
      bufferingInterval: settings.buffer.intervalSeconds,
      retryDuration: settings.retrySeconds,
      s3BackupMode: settings.backupMode,
      s3Configuration: lakeBackup(ctx, { purpose: "backup", buffer: settings.buffer }),
      processingConfiguration: ctx.processing,
      cloudwatchLoggingOptions: ctx.logging.destination,
      ...(vpc
        ? {
            vpcConfig: {
              subnetIds: vpc.subnetIds,
              securityGroupIds: [vpc.firehoseSecurityGroup.id],
              roleArn: ctx.roleArn,
            },
          }
        : {}),
    };
    return {
      destination: "opensearch",
      streamArgs: { opensearchConfiguration: config },
      statements: [
        ...ctx.lake.deliveryStatements(ctx.region),
        ...this.domainStatements(domain.arn),
        ...(vpc ? eniStatements(vpc, ctx.region) : []),
      ],
      dependsOn: [access, ...(vpc?.rules ?? [])],
      metrics: {
        freshness: "DeliveryToAmazonOpenSearchService.DataFreshness",
        success: "DeliveryToAmazonOpenSearchService.Success",
      },
      alarms: [],
    };
  }

  /** The domain's resource policy: the delivery role writes documents and reads what Firehose checks. */
  private domainPolicyStatements(
    domainArn: pulumi.Output<string>,
    roleArn: pulumi.Input<string>,
  ): pulumi.Output<PolicyStatement>[] {
    return [
      pulumi.all([domainArn, roleArn]).apply(([arn, role]): PolicyStatement => ({
        Sid: "FirehoseWritesDocuments",
        Effect: "Allow",
        Principal: { AWS: role },
        Action: ["es:ESHttpPost", "es:ESHttpPut"],
        Resource: [arn, `${arn}/*`],
      })),
      pulumi.all([domainArn, roleArn]).apply(([arn, role]): PolicyStatement => ({
        Sid: "FirehoseReadsClusterState",
        Effect: "Allow",
        Principal: { AWS: role },
        Action: "es:ESHttpGet",
        Resource: firehoseReadPaths(arn, this.settings.indexName),
      })),
    ];
  }

  /** The delivery role's side (Firehose developer guide, access to an OpenSearch Service destination). */
  private domainStatements(domainArn: pulumi.Output<string>): pulumi.Output<PolicyStatement>[] {
    return [
      domainArn.apply((arn): PolicyStatement => ({
        Sid: "DescribeAndWriteDomain",
        Effect: "Allow",
        Action: [
          "es:DescribeDomain",
          "es:DescribeDomains",
          "es:DescribeDomainConfig",
          "es:ESHttpPost",
          "es:ESHttpPut",
        ],
        Resource: [arn, `${arn}/*`],
      })),
      domainArn.apply((arn): PolicyStatement => ({
        Sid: "ReadClusterState",
        Effect: "Allow",
        Action: "es:ESHttpGet",
        Resource: firehoseReadPaths(arn, this.settings.indexName),
      })),
    ];
  }

  /** Private subnets for the domain (one per zone), a group for Firehose's ENIs and HTTPS between the two. */
  private placeInVpc(scope: pulumi.ComponentResource, ctx: BindContext, zones: number): VpcPlacement {
    const network = requireNetwork(ctx);
    const child = { parent: scope };
    const subnetIds = network.privateSubnetIds.apply((ids) => {
      if (ids.length < zones) {
        throw new Error(
          `pipeline '${ctx.name}': destination.instanceCount ${this.settings.instanceCount} spreads the domain ` +
            `over ${zones} availability zones, but the VPC has ${ids.length} private subnets; set ` +
            `firehose-etl:network.availabilityZones to ${zones}`,
        );
      }
      return ids.slice(0, zones);
    });
    const firehoseSecurityGroup = new aws.ec2.SecurityGroup(
      `${ctx.name}-firehose-sg`,
      { vpcId: network.vpcId, description: `Firehose delivery ENIs of ${ctx.streamName}` },
      child,
    );
    const domainSecurityGroup = new aws.ec2.SecurityGroup(
      `${ctx.name}-domain-sg`,
      {
        vpcId: network.vpcId,
        description: `OpenSearch domain of ${ctx.streamName}: HTTPS from Firehose only`,
      },
      child,
    );
    const https = { ipProtocol: "tcp", fromPort: HTTPS_PORT, toPort: HTTPS_PORT };
    const rules = [
      new aws.vpc.SecurityGroupIngressRule(
        `${ctx.name}-domain-from-firehose`,
        {
          securityGroupId: domainSecurityGroup.id,
          referencedSecurityGroupId: firehoseSecurityGroup.id,
          description: "HTTPS from the Firehose delivery ENIs",
          ...https,
        },
        child,
      ),
      new aws.vpc.SecurityGroupEgressRule(
        `${ctx.name}-firehose-to-domain`,
        {
          securityGroupId: firehoseSecurityGroup.id,
          referencedSecurityGroupId: domainSecurityGroup.id,
          description: "HTTPS to the OpenSearch domain",
          ...https,
        },
        child,
      ),
    ];
    return { vpcId: network.vpcId, subnetIds, domainSecurityGroup, firehoseSecurityGroup, rules };
  }
}

/**
 * What Firehose needs to run its ENIs in the VPC (Firehose developer guide, OpenSearch destination in a VPC),
 * each action as narrow as EC2 authorises it (Service Authorization Reference, Amazon EC2):
 * - the Describe* calls support no resource-level permissions, so `*` is the only valid resource; they are
 *   limited to the stack's region;
 * - CreateNetworkInterface names the new ENI (no id yet: `network-interface/*` in this account and region) and
 *   is allowed only with the delivery subnets and Firehose's security group;
 * - DeleteNetworkInterface and CreateNetworkInterfacePermission act on existing ENIs: only those in this VPC.
 */
function eniStatements(vpc: VpcPlacement, region: string): pulumi.Input<PolicyStatement>[] {
  const group = vpc.firehoseSecurityGroup;
  // `arn:<partition>:ec2:<region>:<account>:`, the prefix of every EC2 ARN in this account and region.
  const ec2 = pulumi
    .all([group.arn, group.id])
    .apply(([arn, id]) => arn.slice(0, arn.length - `security-group/${id}`.length));
  const vpcArn = pulumi.interpolate`${ec2}vpc/${vpc.vpcId}`;
  const anyEni = pulumi.interpolate`${ec2}network-interface/*`;
  return [
    {
      Sid: "DescribeDeliveryNetwork",
      Effect: "Allow",
      Action: [
        "ec2:DescribeVpcs",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeNetworkInterfaces",
      ],
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestedRegion": region } },
    },
    vpcArn.apply((arn): PolicyStatement => ({
      Sid: "DescribeDeliveryVpc",
      Effect: "Allow",
      Action: "ec2:DescribeVpcAttribute",
      Resource: arn,
    })),
    pulumi
      .all([ec2, anyEni, group.arn, vpc.subnetIds])
      .apply(([prefix, eni, groupArn, subnetIds]): PolicyStatement => ({
        Sid: "CreateDeliveryEnis",
        Effect: "Allow",
        Action: "ec2:CreateNetworkInterface",
        Resource: [eni, groupArn, ...subnetIds.map((id) => `${prefix}subnet/${id}`)],
      })),
    pulumi.all([anyEni, vpcArn]).apply(([eni, arn]): PolicyStatement => ({
      Sid: "ManageDeliveryEnis",
      Effect: "Allow",
      Action: ["ec2:DeleteNetworkInterface", "ec2:CreateNetworkInterfacePermission"],
      Resource: eni,
      Condition: { ArnEquals: { "ec2:Vpc": arn } },
    })),
  ];
}

function requireNetwork(ctx: BindContext): Network {
  if (!ctx.network) {
    throw new Error(`pipeline '${ctx.name}': destination.vpc is true, but the stack built no VPC`);
  }
  return ctx.network;
}
