// The stack's VPC, built only when a destination needs one (a warehouse Firehose reaches over its public
// endpoint, or an OpenSearch domain inside the VPC), and, when asked, the account's OpenSearch service-linked
// role that domains in a VPC need.
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { NetworkSettings } from "../config/settings";

/** The service principal of OpenSearch Service's service-linked role. */
const OPENSEARCH_SERVICE = "opensearchservice.amazonaws.com";

export interface NetworkArgs {
  readonly settings: NetworkSettings;
}

export class Network extends pulumi.ComponentResource {
  public readonly vpc: awsx.ec2.Vpc;
  public readonly vpcId: pulumi.Output<string>;
  public readonly publicSubnetIds: pulumi.Output<string[]>;
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  /** Set when the stack creates it: every domain in the VPC must wait for it. */
  public readonly openSearchServiceRole?: aws.iam.ServiceLinkedRole;

  constructor(name: string, args: NetworkArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("firehose-etl:network:Network", name, {}, opts);
    this.vpc = new awsx.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.settings.cidrBlock,
        numberOfAvailabilityZones: args.settings.availabilityZones,
        natGateways: { strategy: args.settings.natGateways },
        enableDnsHostnames: true,
        subnetStrategy: "Auto",
        subnetSpecs: [
          { type: awsx.ec2.SubnetType.Public, cidrMask: 22 },
          { type: awsx.ec2.SubnetType.Private, cidrMask: 20 },
        ],
      },
      // Passed on explicitly: engines before pulumi/pulumi#24125 did not give a remote component's children
      // the providers its parent inherited (and so not the stack's default tags).
      { parent: this, providers: opts.providers },
    );
    this.vpcId = this.vpc.vpcId;
    this.publicSubnetIds = this.vpc.publicSubnetIds;
    this.privateSubnetIds = this.vpc.privateSubnetIds;
    if (args.settings.createOpenSearchServiceLinkedRole) {
      this.openSearchServiceRole = new aws.iam.ServiceLinkedRole(
        `${name}-opensearch-service-role`,
        {
          awsServiceName: OPENSEARCH_SERVICE,
          description: "Lets OpenSearch Service place domains in VPCs (one per account).",
        },
        // Other stacks' domains in the account use it too: destroying this stack must not delete it.
        { parent: this, retainOnDelete: true },
      );
    }
    this.registerOutputs({ vpcId: this.vpcId });
  }
}
