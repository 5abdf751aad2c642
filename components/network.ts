// The stack's VPC, built only when a destination needs one (a warehouse Firehose reaches over its public
// endpoint, or an OpenSearch domain inside the VPC).
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { NetworkSettings } from "../config/settings";

export interface NetworkArgs {
  readonly settings: NetworkSettings;
}

export class Network extends pulumi.ComponentResource {
  public readonly vpc: awsx.ec2.Vpc;
  public readonly vpcId: pulumi.Output<string>;
  public readonly publicSubnetIds: pulumi.Output<string[]>;
  public readonly privateSubnetIds: pulumi.Output<string[]>;

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
    this.registerOutputs({ vpcId: this.vpcId });
  }
}
