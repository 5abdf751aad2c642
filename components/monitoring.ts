// Alarms on what breaks a Firehose pipeline (stale data, failed deliveries, throttling, KMS access, failed
// conversions, the transform's errors and throttles), an encrypted topic they notify, and a dashboard.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MonitoringSettings } from "../config/settings";
import { DeliveryMetrics, DestinationAlarm } from "./destinations/destination";

/** What Monitoring needs to know of one delivery stream. */
export interface MonitoredStream {
  readonly pipeline: string;
  readonly streamName: pulumi.Input<string>;
  readonly metrics: DeliveryMetrics;
  /** The destination's own alarms, besides the ones every stream gets. */
  readonly alarms: readonly DestinationAlarm[];
  readonly source: "direct-put" | "kinesis";
}

export interface MonitoringArgs {
  /** The dashboard is named `<namePrefix>`. */
  readonly namePrefix: string;
  readonly settings: MonitoringSettings;
  readonly streams: MonitoredStream[];
  readonly functionName: pulumi.Input<string>;
  readonly keyArn: pulumi.Input<string>;
  readonly region: string;
}

/** An alarm that fires when a metric's statistic crosses a threshold. */
interface AlarmSpec {
  readonly id: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, pulumi.Input<string>>;
  readonly statistic: "Maximum" | "Sum" | "Average" | "Minimum";
  readonly comparison: "GreaterThanThreshold" | "LessThanThreshold";
  readonly threshold: number;
}

const KMS_ERROR_METRICS = ["KMSKeyAccessDenied", "KMSKeyDisabled", "KMSKeyInvalidState", "KMSKeyNotFound"];

export class Monitoring extends pulumi.ComponentResource {
  public readonly topic: aws.sns.Topic;
  public readonly alarms: aws.cloudwatch.MetricAlarm[] = [];
  public readonly dashboard?: aws.cloudwatch.Dashboard;

  constructor(name: string, args: MonitoringArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("firehose-etl:monitoring:Monitoring", name, {}, opts);
    const child = { parent: this };
    const { settings } = args;

    this.topic = new aws.sns.Topic(`${name}-alarms`, { kmsMasterKeyId: args.keyArn }, child);
    settings.emails.forEach((email, i) => {
      new aws.sns.TopicSubscription(
        `${name}-email-${i}`,
        { topic: this.topic.arn, protocol: "email", endpoint: email },
        child,
      );
    });

    if (settings.alarms) {
      for (const spec of alarmSpecs(args)) {
        this.alarms.push(
          new aws.cloudwatch.MetricAlarm(
            `${name}-${spec.id}`,
            {
              alarmDescription: spec.description,
              namespace: spec.namespace,
              metricName: spec.metricName,
              dimensions: spec.dimensions,
              statistic: spec.statistic,
              comparisonOperator: spec.comparison,
              threshold: spec.threshold,
              period: 300,
              evaluationPeriods: 1,
              // No data means no traffic, not a failure.
              treatMissingData: "notBreaching",
              alarmActions: [this.topic.arn],
              okActions: [this.topic.arn],
            },
            child,
          ),
        );
      }
      for (const stream of args.streams) this.alarms.push(this.kmsErrorAlarm(name, stream));
    }

    if (settings.dashboard) {
      this.dashboard = new aws.cloudwatch.Dashboard(
        `${name}-dashboard`,
        {
          dashboardName: args.namePrefix,
          dashboardBody: dashboardBody(args),
        },
        child,
      );
    }
    this.registerOutputs({ topicArn: this.topic.arn });
  }

  /** Any of Firehose's KMS error metrics, summed: the key is disabled, deleted or denies the stream. */
  private kmsErrorAlarm(name: string, stream: MonitoredStream): aws.cloudwatch.MetricAlarm {
    const queries = KMS_ERROR_METRICS.map((metricName, i) => ({
      id: `m${i}`,
      metric: {
        namespace: "AWS/Firehose",
        metricName,
        dimensions: { DeliveryStreamName: stream.streamName },
        stat: "Sum",
        period: 300,
      },
    }));
    return new aws.cloudwatch.MetricAlarm(
      `${name}-${stream.pipeline}-kms-errors`,
      {
        alarmDescription: `${stream.pipeline}: Firehose cannot use the stack's KMS key`,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        evaluationPeriods: 1,
        treatMissingData: "notBreaching",
        metricQueries: [
          ...queries,
          { id: "errors", expression: queries.map((q) => `FILL(${q.id}, 0)`).join(" + "), returnData: true },
        ],
        alarmActions: [this.topic.arn],
        okActions: [this.topic.arn],
      },
      { parent: this },
    );
  }
}

function alarmSpecs(args: MonitoringArgs): AlarmSpec[] {
  const specs: AlarmSpec[] = [];
  for (const s of args.streams) {
    const firehose = (
      id: string,
      metricName: string,
      rest: Omit<AlarmSpec, "id" | "namespace" | "metricName" | "dimensions">,
    ) =>
      specs.push({
        id: `${s.pipeline}-${id}`,
        namespace: "AWS/Firehose",
        metricName,
        dimensions: { DeliveryStreamName: s.streamName },
        ...rest,
      });
    firehose("freshness", s.metrics.freshness, {
      description: `${s.pipeline}: the oldest undelivered record is older than ${args.settings.freshnessSeconds} s`,
      statistic: "Maximum",
      comparison: "GreaterThanThreshold",
      threshold: args.settings.freshnessSeconds,
    });
    firehose("delivery-success", s.metrics.success, {
      description: `${s.pipeline}: some deliveries failed`,
      statistic: "Minimum",
      comparison: "LessThanThreshold",
      threshold: 1,
    });
    firehose("transform-success", "ExecuteProcessing.Success", {
      description: `${s.pipeline}: some transform invocations failed`,
      statistic: "Minimum",
      comparison: "LessThanThreshold",
      threshold: 1,
    });
    firehose("throttled", s.source === "direct-put" ? "ThrottledRecords" : "ThrottledGetRecords", {
      description: `${s.pipeline}: records are throttled; raise the stream's quota or the source's shards`,
      statistic: "Sum",
      comparison: "GreaterThanThreshold",
      threshold: 0,
    });
    for (const { id, metricName, ...rest } of s.alarms) firehose(id, metricName, rest);
  }
  for (const [metricName, what] of [
    ["Errors", "errors"],
    ["Throttles", "throttles"],
  ]) {
    specs.push({
      id: `transform-${what}`,
      description: `The transform Lambda has ${what}`,
      namespace: "AWS/Lambda",
      metricName,
      dimensions: { FunctionName: args.functionName },
      statistic: "Sum",
      comparison: "GreaterThanThreshold",
      threshold: 0,
    });
  }
  return specs;
}

function dashboardBody(args: MonitoringArgs): pulumi.Output<string> {
  return pulumi
    .all([pulumi.output(args.functionName), ...args.streams.map((s) => pulumi.output(s.streamName))])
    .apply(([functionName, ...streamNames]) => {
      const widget = (title: string, metrics: unknown[][], stat: string) => ({
        type: "metric",
        width: 12,
        height: 6,
        properties: { title, region: args.region, stat, period: 300, metrics },
      });
      const widgets = args.streams.flatMap((s, i) => {
        const stream = ["DeliveryStreamName", streamNames[i]];
        return [
          widget(
            `${s.pipeline}: records in and delivered`,
            [
              [
                "AWS/Firehose",
                s.source === "direct-put" ? "IncomingRecords" : "DataReadFromKinesisStream.Records",
                ...stream,
              ],
              [
                "AWS/Firehose",
                s.metrics.records ?? s.metrics.success.replace(/\.Success$/, ".Records"),
                ...stream,
              ],
            ],
            "Sum",
          ),
          widget(
            `${s.pipeline}: freshness (s)`,
            [["AWS/Firehose", s.metrics.freshness, ...stream]],
            "Maximum",
          ),
        ];
      });
      widgets.push(
        widget(
          "transform: invocations, errors, throttles",
          ["Invocations", "Errors", "Throttles"].map((m) => ["AWS/Lambda", m, "FunctionName", functionName]),
          "Sum",
        ),
      );
      return JSON.stringify({ widgets });
    });
}
