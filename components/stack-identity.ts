// Where the stack deploys: account, partition and region, looked up once and passed to every component.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface StackIdentity {
  readonly accountId: pulumi.Output<string>;
  readonly partition: pulumi.Output<string>;
  readonly region: string;
}

export function lookupStackIdentity(region: string): StackIdentity {
  return {
    accountId: aws.getCallerIdentityOutput().accountId,
    partition: aws.getPartitionOutput().partition,
    region,
  };
}
