// OpenSearch delivery roles: the domain's HTTP and describe actions for that domain and index only, the lake for
// failed (or all) documents, and the ENIs Firehose runs in the VPC (Firehose developer guide: "Grant Firehose
// access to a public OpenSearch Service destination" and "... to an OpenSearch Service destination in a VPC").
import { AccessExpectation, AccessTable } from "../../../iam/access-table";
import { PipelineFacts, StackFacts } from "../support/stack-under-test";
import { deliveryRoleMustDeny, elsewhere, readSource, transformAndLogs, writeLake } from "./common";

export function openSearchDeliveryTable(
  facts: StackFacts,
  pipeline: PipelineFacts,
  all: readonly PipelineFacts[],
): AccessTable {
  const domain = pipeline.domain;
  if (!domain) throw new Error(`pipeline ${pipeline.pipeline.name} delivers to no OpenSearch domain`);
  const index = `${domain.indexName}-2026-01-01`;
  const because = "Firehose checks the cluster and index before it writes";
  return {
    role: pipeline.role,
    mustAllow: [
      ...writeLake(facts, pipeline.lakePrefix),
      ...writeLake(facts, "errors/"),
      ...transformAndLogs(facts, pipeline),
      ...readSource(facts),
      ...["es:DescribeDomain", "es:DescribeDomains", "es:DescribeDomainConfig"].map((action) => ({
        action,
        resource: domain.arn,
        because: "Firehose describes the domain it delivers to",
      })),
      {
        action: "es:ESHttpPost",
        resource: `${domain.arn}/_bulk`,
        because: "Firehose writes documents in bulk",
      },
      {
        action: "es:ESHttpPut",
        resource: `${domain.arn}/${index}`,
        because: "Firehose creates the day's index",
      },
      ...[
        "_all/_settings",
        "_cluster/stats",
        `${index}/_mapping/_doc`,
        "_nodes",
        "_nodes/stats",
        "_nodes/node-1/stats",
        "_stats",
        `${index}/_stats`,
      ].map((path) => ({ action: "es:ESHttpGet", resource: `${domain.arn}/${path}`, because })),
      ...(pipeline.vpc ? deliveryEnis(facts, pipeline.vpc) : []),
    ],
    mustDeny: [
      ...deliveryRoleMustDeny(facts, pipeline, all),
      {
        action: "es:ESHttpGet",
        resource: `${domain.arn}/${index}/_search`,
        because: "Firehose never reads documents",
      },
      {
        action: "es:ESHttpDelete",
        resource: `${domain.arn}/${index}`,
        because: "Firehose never deletes an index",
      },
      {
        action: "es:ESHttpGet",
        resource: `${domain.arn}/other-index/_mapping/_doc`,
        because: "another index",
      },
      { action: "es:UpdateDomainConfig", resource: domain.arn, because: "domain administration" },
      { action: "es:DeleteDomain", resource: domain.arn, because: "domain administration" },
      {
        action: "es:ESHttpPost",
        resource: `arn:aws:es:${facts.region}:${facts.account}:domain/another-domain/_bulk`,
        because: "another domain",
      },
      ...(pipeline.vpc ? othersEnis(facts, pipeline.vpc) : []),
    ],
  };
}

/** Firehose creates, describes and deletes ENIs in the delivery subnets, with its own security group. */
function deliveryEnis(facts: StackFacts, vpc: NonNullable<PipelineFacts["vpc"]>): AccessExpectation[] {
  const because = "Firehose runs its delivery ENIs in the VPC";
  const region = { "aws:RequestedRegion": facts.region };
  const eni = `arn:aws:ec2:${facts.region}:${facts.account}:network-interface/eni-0123456789abcdef0`;
  return [
    ...[
      "ec2:DescribeVpcs",
      "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeNetworkInterfaces",
    ].map((action) => ({ action, resource: "*", context: region, because })),
    { action: "ec2:DescribeVpcAttribute", resource: vpc.vpcArn, because },
    ...[eni, ...vpc.subnetArns, ...vpc.securityGroupArns].map((resource) => ({
      action: "ec2:CreateNetworkInterface",
      resource,
      because,
    })),
    ...["ec2:DeleteNetworkInterface", "ec2:CreateNetworkInterfacePermission"].map((action) => ({
      action,
      resource: eni,
      context: { "ec2:Vpc": vpc.vpcArn },
      because,
    })),
  ];
}

function othersEnis(facts: StackFacts, vpc: NonNullable<PipelineFacts["vpc"]>): AccessExpectation[] {
  const ec2 = (resource: string) => `arn:aws:ec2:${facts.region}:${facts.account}:${resource}`;
  const eni = ec2("network-interface/eni-0fedcba9876543210");
  return [
    {
      action: "ec2:DescribeVpcs",
      resource: "*",
      context: { "aws:RequestedRegion": "us-east-1" },
      because: "another region",
    },
    { action: "ec2:DescribeVpcAttribute", resource: ec2("vpc/vpc-0another"), because: "another VPC" },
    {
      action: "ec2:CreateNetworkInterface",
      resource: ec2("subnet/subnet-0another"),
      because: "another subnet",
    },
    {
      action: "ec2:CreateNetworkInterface",
      resource: ec2("security-group/sg-0another"),
      because: "another security group",
    },
    {
      action: "ec2:DeleteNetworkInterface",
      resource: eni,
      context: { "ec2:Vpc": ec2("vpc/vpc-0another") },
      because: "an ENI of another VPC",
    },
    {
      action: "ec2:RunInstances",
      resource: ec2("instance/i-0123456789abcdef0"),
      because: "Firehose starts no instances",
    },
    {
      action: "ec2:AuthorizeSecurityGroupIngress",
      resource: vpc.securityGroupArns[0],
      because: "network administration",
    },
    { action: "iam:PassRole", resource: elsewhere(facts).roleArn, because: "a delivery role passes no role" },
  ];
}
