// The one seam between a delivery stream and where it delivers. A destination turns its settings into the
// stream's destination block and names exactly what the stream's role must be allowed to do there; the
// DeliveryStream component knows nothing of S3 layouts, warehouses or domains.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Destination as ProviderDestination } from "../../policy/rules/firehose-destinations";
import { DataLake } from "../data-lake";
import { Network } from "../network";
import { PolicyStatement } from "../iam";

/** What every destination gets from the stream it is bound to. */
export interface BindContext {
  /** The pipeline's name; children are named from it. */
  readonly name: string;
  /** The delivery stream's name, e.g. `firehose-etl-prod-lake`. */
  readonly streamName: string;
  /** The delivery stream's IAM role (trusted by firehose.amazonaws.com). */
  readonly roleArn: pulumi.Input<string>;
  /** Processors to run before delivery (the transform Lambda), as the stream's `processingConfiguration`. */
  readonly processing: aws.types.input.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationProcessingConfiguration;
  /** The stream's CloudWatch error logging for the destination, and for its S3 backup. */
  readonly logging: {
    readonly destination: aws.types.input.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationCloudwatchLoggingOptions;
    readonly backup: aws.types.input.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationCloudwatchLoggingOptions;
  };
  readonly lake: DataLake;
  /** The stack's VPC, when one is built (a warehouse or a domain in a VPC needs it). */
  readonly network?: Network;
  readonly region: string;
  /** The stack's account, for confused-deputy conditions and catalog ids. */
  readonly accountId: pulumi.Output<string>;
  /** Resource options for stateful children (protect in prod). */
  readonly statefulOpts: pulumi.CustomResourceOptions;
}

/** A destination bound to one stream. */
export interface BoundDestination {
  /** The provider's `destination` value (snake_case, as the Terraform provider validates it). */
  readonly destination: ProviderDestination;
  /** The destination-specific arguments of the stream (one of the `*Configuration` blocks). */
  readonly streamArgs: Partial<aws.kinesis.FirehoseDeliveryStreamArgs>;
  /** What the stream's role may do at the destination, each statement scoped to exact ARNs. */
  readonly statements: pulumi.Input<PolicyStatement>[];
  /** Resources the stream must wait for (e.g. the warehouse's table, the domain's access policy). */
  readonly dependsOn: pulumi.Resource[];
  /** The AWS/Firehose metrics that say whether this destination keeps up. */
  readonly metrics: DeliveryMetrics;
  /** Alarms on Firehose metrics only this destination has (failed conversions, too many partitions). */
  readonly alarms: DestinationAlarm[];
}

/** An alarm on one of the stream's `AWS/Firehose` metrics; Monitoring names it `<pipeline>-<id>`. */
export interface DestinationAlarm {
  readonly id: string;
  readonly metricName: string;
  readonly description: string;
  readonly statistic: "Maximum" | "Sum" | "Average" | "Minimum";
  readonly comparison: "GreaterThanThreshold" | "LessThanThreshold";
  readonly threshold: number;
}

export interface DeliveryMetrics {
  /** Age of the oldest undelivered record, e.g. `DeliveryToS3.DataFreshness`. */
  readonly freshness: string;
  /** Ratio of successful deliveries, e.g. `DeliveryToS3.Success`. */
  readonly success: string;
  /** Records delivered, for the dashboard; by default the success metric's `.Records` sibling. */
  readonly records?: string;
}

export interface Destination {
  bind(scope: pulumi.ComponentResource, ctx: BindContext): BoundDestination;
}
