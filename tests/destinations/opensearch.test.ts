import { strict as assert } from "assert";
import { PolicyStatement } from "../../components/iam";
import { firehoseReadPaths, zoneCountOf } from "../../components/destinations/opensearch";
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
} from "./helpers";

const EC2 = `arn:aws:ec2:${REGION}:${MOCK_ACCOUNT}:`;

describe("OpenSearch destination", () => {
  describe("in the VPC (Pulumi.prod.yaml)", () => {
    let prod: EvaluatedStack;
    before(async () => {
      prod = await evaluateStack(settingsOf("prod"));
    });

    const domain = () => only(prod.resources, T.domain);
    const domainArn = () => domain().state.arn as string;
    const keyArn = () => only(prod.resources, TYPES.key).state.arn as string;
    const vpc = () => only(prod.resources, T.vpc).state;
    const firehoseGroup = () => only(prod.resources, T.securityGroup, "search-firehose-sg");
    const domainGroup = () => only(prod.resources, T.securityGroup, "search-domain-sg");
    const zoneSubnets = () => (vpc().privateSubnetIds as string[]).slice(0, 2);

    it("encrypts the domain with the CMK and node to node, serves HTTPS only and spreads over two zones", () => {
      assert.deepEqual(domain().inputs, {
        // Named, not auto-named: a random suffix could push it over OpenSearch's 28 characters.
        domainName: "firehose-etl-prod-search",
        engineVersion: "OpenSearch_2.19",
        clusterConfig: {
          instanceType: "r7g.large.search",
          instanceCount: 2,
          zoneAwarenessEnabled: true,
          zoneAwarenessConfig: { availabilityZoneCount: 2 },
        },
        ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: 100 },
        encryptAtRest: { enabled: true, kmsKeyId: keyArn() },
        nodeToNodeEncryption: { enabled: true },
        domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
        vpcOptions: { subnetIds: zoneSubnets(), securityGroupIds: [idOf(domainGroup())] },
      });
      assert.equal(domain().inputs.accessPolicies, undefined, "the access policy is its own resource");
      assert.equal(only(prod.resources, T.domain, "search-domain").protect, true);
    });

    it("admits HTTPS to the domain only from Firehose's ENI security group", () => {
      const domainRules = ofType(prod.resources, T.ingressRule).filter(
        (r) => r.inputs.securityGroupId === idOf(domainGroup()),
      );
      assert.deepEqual(
        domainRules.map((r) => r.inputs),
        [
          {
            securityGroupId: idOf(domainGroup()),
            referencedSecurityGroupId: idOf(firehoseGroup()),
            description: "HTTPS from the Firehose delivery ENIs",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
          },
        ],
      );
      assert.deepEqual(only(prod.resources, T.egressRule, "search-firehose-to-domain").inputs, {
        securityGroupId: idOf(firehoseGroup()),
        referencedSecurityGroupId: idOf(domainGroup()),
        description: "HTTPS to the OpenSearch domain",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
      });
      for (const group of [firehoseGroup(), domainGroup()]) {
        assert.equal(group.inputs.vpcId, vpc().vpcId);
        assert.equal(group.inputs.ingress, undefined);
        assert.equal(group.inputs.egress, undefined);
      }
    });

    it("delivers through ENIs in the domain's subnets, backing failed documents up to the lake", () => {
      const stream = only(prod.resources, TYPES.stream, "search-stream").inputs;
      const roleArn = roleArnOf(prod, "search");
      const bucketArn = only(prod.resources, TYPES.bucket).state.arn;
      assert.equal(stream.destination, "opensearch");
      const { processingConfiguration, ...config } = stream.opensearchConfiguration;
      assert.deepEqual(config, {
        domainArn: domainArn(),
        roleArn,
        indexName: "events",
        indexRotationPeriod: "OneDay",
        bufferingSize: 5,
        bufferingInterval: 60,
        retryDuration: 300,
        s3BackupMode: "FailedDocumentsOnly",
        s3Configuration: {
          bucketArn,
          roleArn,
          prefix: "backup/search/",
          errorOutputPrefix:
            "errors/search/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/",
          bufferingSize: 5,
          bufferingInterval: 60,
          compressionFormat: "GZIP",
          kmsKeyArn: keyArn(),
          cloudwatchLoggingOptions: {
            enabled: true,
            logGroupName: "/aws/kinesisfirehose/firehose-etl-prod-search",
            logStreamName: "BackupDelivery",
          },
        },
        cloudwatchLoggingOptions: {
          enabled: true,
          logGroupName: "/aws/kinesisfirehose/firehose-etl-prod-search",
          logStreamName: "DestinationDelivery",
        },
        vpcConfig: { subnetIds: zoneSubnets(), securityGroupIds: [idOf(firehoseGroup())], roleArn },
      });
      assert.deepEqual(
        processingConfiguration.processors.map((p: { type: string }) => p.type),
        ["Lambda"],
      );
    });

    it("lets exactly the delivery role write and read what Firehose reads, in a policy the stream waits for", async () => {
      const policy = only(prod.resources, T.domainPolicy);
      const roleArn = roleArnOf(prod, "search");
      assert.equal(policy.inputs.domainName, domain().state.domainName);
      assert.deepEqual(JSON.parse(policy.inputs.accessPolicies).Statement, [
        {
          Sid: "FirehoseWritesDocuments",
          Effect: "Allow",
          Principal: { AWS: roleArn },
          Action: ["es:ESHttpPost", "es:ESHttpPut"],
          Resource: [domainArn(), `${domainArn()}/*`],
        },
        {
          Sid: "FirehoseReadsClusterState",
          Effect: "Allow",
          Principal: { AWS: roleArn },
          Action: "es:ESHttpGet",
          Resource: firehoseReadPaths(domainArn(), "events"),
        },
      ]);
      assert.ok((await streamDependencies(prod, "search")).includes(policy.urn));
    });

    it("grants the role the domain, the GETs Firehose makes and the ENI actions, scoped to this VPC", () => {
      const statements = roleStatements(prod, "search");
      assert.deepEqual(bySid(statements, "DescribeAndWriteDomain"), {
        Sid: "DescribeAndWriteDomain",
        Effect: "Allow",
        Action: [
          "es:DescribeDomain",
          "es:DescribeDomains",
          "es:DescribeDomainConfig",
          "es:ESHttpPost",
          "es:ESHttpPut",
        ],
        Resource: [domainArn(), `${domainArn()}/*`],
      });
      assert.deepEqual(bySid(statements, "ReadClusterState").Resource, [
        `${domainArn()}/_all/_settings`,
        `${domainArn()}/_cluster/stats`,
        `${domainArn()}/events*/_mapping/*`,
        `${domainArn()}/_nodes`,
        `${domainArn()}/_nodes/stats`,
        `${domainArn()}/_nodes/*/stats`,
        `${domainArn()}/_stats`,
        `${domainArn()}/events*/_stats`,
      ]);
      const vpcArn = `${EC2}vpc/${vpc().vpcId}`;
      assert.deepEqual(bySid(statements, "DescribeDeliveryVpc").Resource, vpcArn);
      assert.deepEqual(bySid(statements, "CreateDeliveryEnis"), {
        Sid: "CreateDeliveryEnis",
        Effect: "Allow",
        Action: "ec2:CreateNetworkInterface",
        Resource: [
          `${EC2}network-interface/*`,
          firehoseGroup().state.arn,
          ...zoneSubnets().map((id) => `${EC2}subnet/${id}`),
        ],
      });
      assert.deepEqual(bySid(statements, "ManageDeliveryEnis"), {
        Sid: "ManageDeliveryEnis",
        Effect: "Allow",
        Action: ["ec2:DeleteNetworkInterface", "ec2:CreateNetworkInterfacePermission"],
        Resource: `${EC2}network-interface/*`,
        Condition: { ArnEquals: { "ec2:Vpc": vpcArn } },
      });
    });

    it("uses Resource '*' only for the EC2 Describe calls, which have no resource-level permissions", () => {
      const unscoped: PolicyStatement[] = roleStatements(prod, "search").filter((s) =>
        [s.Resource].flat().includes("*"),
      );
      assert.deepEqual(unscoped, [
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
          Condition: { StringEquals: { "aws:RequestedRegion": REGION } },
        },
      ]);
    });

    it("parents everything under the DeliveryStream and watches OpenSearch delivery", () => {
      for (const type of [T.domain, T.domainPolicy, T.securityGroup, T.ingressRule, T.egressRule]) {
        for (const r of ofType(prod.resources, type).filter((r) => r.name.startsWith("search-"))) {
          assert.ok(r.urn.includes(`${DELIVERY_STREAM_TYPE}$`), r.urn);
        }
      }
      const stream = prod.platform.streams.find((s) => s.bound.destination === "opensearch");
      assert.deepEqual(stream?.bound.metrics, {
        freshness: "DeliveryToAmazonOpenSearchService.DataFreshness",
        success: "DeliveryToAmazonOpenSearchService.Success",
      });
    });
  });

  describe("outside a VPC", () => {
    let prod: EvaluatedStack;
    before(async () => {
      prod = await evaluateStack(
        settingsOf("prod", (raw) => {
          const search = (raw.pipelines as { name: string; destination: RawConfig }[]).find(
            (p) => p.name === "search",
          )!.destination;
          search.vpc = false;
          search.instanceCount = 3;
          search.backupMode = "AllDocuments";
        }),
      );
    });

    it("builds no security groups or ENI grants, and spreads three nodes over three zones", () => {
      const domain = only(prod.resources, T.domain).inputs;
      assert.equal(domain.vpcOptions, undefined);
      assert.deepEqual(domain.clusterConfig.zoneAwarenessConfig, { availabilityZoneCount: 3 });
      assert.ok(!ofType(prod.resources, T.securityGroup).some((r) => r.name.startsWith("search-")));
      const config = only(prod.resources, TYPES.stream, "search-stream").inputs.opensearchConfiguration;
      assert.equal(config.vpcConfig, undefined);
      assert.equal(config.s3BackupMode, "AllDocuments");
      assert.ok(
        !roleStatements(prod, "search").some((s) => [s.Action].flat().some((a) => a.startsWith("ec2:"))),
      );
    });
  });

  describe("the account's service-linked role (network.createOpenSearchServiceLinkedRole)", () => {
    const SERVICE_LINKED_ROLE = "aws:iam/serviceLinkedRole:ServiceLinkedRole";

    it("is not created by default (it exists once per account; a second create fails)", async () => {
      const prod = await evaluateStack(settingsOf("prod"));
      assert.deepEqual(ofType(prod.resources, SERVICE_LINKED_ROLE), []);
    });

    it("is created once for OpenSearch, kept on destroy, and every domain in the VPC waits for it", async () => {
      const prod = await evaluateStack(
        settingsOf("prod", (raw) => {
          (raw.network as RawConfig).createOpenSearchServiceLinkedRole = true;
          const pipelines = raw.pipelines as { name: string; destination: RawConfig }[];
          const search = pipelines.find((p) => p.name === "search")!;
          pipelines.push({ name: "audit", destination: { ...search.destination, indexName: "audit" } });
        }),
      );
      const role = only(prod.resources, SERVICE_LINKED_ROLE);
      assert.equal(role.inputs.awsServiceName, "opensearchservice.amazonaws.com");
      assert.equal(role.retainOnDelete, true);
      const domains = ofType(prod.resources, T.domain);
      assert.equal(domains.length, 2);
      for (const domain of domains) assert.ok(domain.dependencies.includes(role.urn), domain.name);
    });

    it("is refused in a stack without an OpenSearch domain in a VPC", () => {
      const raw = rawConfigOf("dev");
      (raw.network as RawConfig).createOpenSearchServiceLinkedRole = true;
      assert.deepEqual(problemsOf(raw), [
        "firehose-etl:network.createOpenSearchServiceLinkedRole: only an OpenSearch domain in a VPC needs the " +
          "service-linked role, and no pipeline has one: remove this, got true",
      ]);
    });
  });

  describe("zone awareness", () => {
    it("spreads 1 node nowhere, even counts over 2 zones and odd multiples of 3 over 3", () => {
      assert.deepEqual([1, 2, 3, 4, 6, 9].map(zoneCountOf), [1, 2, 3, 2, 2, 3]);
    });

    it("rejects a node count no zone spread divides", () => {
      const raw = rawConfigOf("prod");
      (raw.pipelines as { name: string; destination: RawConfig }[])[1].destination.instanceCount = 5;
      assert.deepEqual(problemsOf(raw), [
        "firehose-etl:pipelines[1].destination.instanceCount: must be 1, an even number or a multiple of 3 (zone awareness spreads data nodes evenly over 2 or 3 availability zones), got 5",
      ]);
    });
  });
});
