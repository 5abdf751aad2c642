// Composes the stack from its settings: the lake, the transform, an optional Kinesis source and VPC, one
// delivery stream per pipeline, and monitoring. Everything the stack builds is decided here, from config.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { needsOf } from "../config/destinations";
import { partitionCountQuery, s3Layout } from "../config/layout";
import { namePrefixOf, streamNameOf } from "../config/naming";
import { StackSecrets } from "../config/pulumi-config";
import { PipelineSettings, S3DestinationSettings, StackSettings } from "../config/settings";
import { DataLake } from "./data-lake";
import { DeliveryStream } from "./delivery-stream";
import { destinationFor } from "./destinations";
import { Monitoring } from "./monitoring";
import { Network } from "./network";
import { ReplayStateMachine } from "./replay-state-machine";
import { SourceStream } from "./source-stream";
import { lookupStackIdentity } from "./stack-identity";
import { TransformFunction } from "./transform-function";

/** The stack's components, and the values it exports. */
export interface Platform {
  readonly lake: DataLake;
  readonly network?: Network;
  readonly source?: SourceStream;
  readonly transform: TransformFunction;
  readonly streams: DeliveryStream[];
  readonly monitoring: Monitoring;
  readonly replay?: ReplayStateMachine;
  readonly outputs: PlatformOutputs;
}

export interface PlatformOutputs {
  readonly streamNames: Record<string, pulumi.Output<string>>;
  readonly streamArns: Record<string, pulumi.Output<string>>;
  readonly sourceStreamArn?: pulumi.Output<string>;
  readonly bucketName: pulumi.Output<string>;
  readonly dataPrefix?: string;
  readonly errorPrefix?: string;
  readonly glueDatabase: pulumi.Output<string>;
  readonly glueTable?: pulumi.Output<string>;
  readonly athenaWorkgroup: pulumi.Output<string>;
  readonly athenaPartitionCountQuery?: string;
  readonly transformFunctionName: pulumi.Output<string>;
  readonly alarmTopicArn: pulumi.Output<string>;
  /** `replay.stateMachine`: start an execution with `{"prefix": "errors/<pipeline>/"}` to replay a backlog. */
  readonly replayStateMachineArn?: pulumi.Output<string>;
}

/** Services through which the stack's roles use its KMS key (`kms:ViaService`): the stack's own, and each destination's. */
function keyServices(settings: StackSettings): string[] {
  const services = ["s3", "secretsmanager"];
  if (settings.source.type === "kinesis") services.push("kinesis");
  else services.push("firehose");
  for (const { destination } of settings.pipelines) services.push(...needsOf(destination).keyServices);
  return services;
}

function needsNetwork(settings: StackSettings): boolean {
  return settings.pipelines.some(({ destination }) => needsOf(destination).needsNetwork);
}

export function buildPlatform(settings: StackSettings, secrets: StackSecrets): Platform {
  const identity = lookupStackIdentity(settings.region);
  const s3Pipeline = settings.pipelines.find(
    (p): p is PipelineSettings & { destination: S3DestinationSettings } => p.destination.type === "s3",
  );
  const s3Settings = s3Pipeline?.destination;
  const layout = s3Pipeline && s3Layout(s3Pipeline.destination, s3Pipeline.name);
  const destroyable = !settings.protect;
  const namePrefix = namePrefixOf(settings);

  // One explicit provider, inherited by every component's children, so every resource carries the stack's tags.
  const provider = new aws.Provider("aws", {
    region: settings.region as aws.Region,
    defaultTags: {
      tags: {
        project: settings.project,
        stack: settings.stack,
        environment: settings.environment,
        ...settings.tags,
      },
    },
  });
  const opts = { providers: [provider] };

  const lake = new DataLake(
    "lake",
    {
      namePrefix,
      lake: settings.lake,
      table: settings.table,
      layout,
      format: s3Settings?.format ?? "json",
      identity,
      keyServices: keyServices(settings),
      logGroupPatterns: [
        `/aws/lambda/${TransformFunction.functionName(namePrefix)}`,
        DeliveryStream.logGroupName(streamNameOf(settings, "*")),
        ...(settings.replay.stateMachine
          ? [`/aws/lambda/${ReplayStateMachine.functionName(namePrefix)}`]
          : []),
      ],
      protect: settings.protect,
      replayWorker: settings.replay.stateMachine,
    },
    opts,
  );
  const network = needsNetwork(settings)
    ? new Network("network", { settings: settings.network }, opts)
    : undefined;
  const source =
    settings.source.type === "kinesis"
      ? new SourceStream(
          "source",
          {
            namePrefix,
            keyArn: lake.key.arn,
            shardCount: settings.source.shardCount,
            retentionHours: settings.source.retentionHours,
            protect: settings.protect,
          },
          opts,
        )
      : undefined;
  const transform = new TransformFunction(
    "transform",
    {
      namePrefix,
      settings: settings.transform,
      partitioning: s3Settings?.partitioning,
      keyArn: lake.key.arn,
      piiHashKey: secrets.piiHashKey,
      identity,
      secretRecoveryDays: destroyable ? 0 : 30,
    },
    opts,
  );

  const streams = settings.pipelines.map(
    (pipeline) =>
      new DeliveryStream(
        pipeline.name,
        {
          streamName: streamNameOf(settings, pipeline.name),
          destination: destinationFor(pipeline, secrets),
          lake,
          transform,
          transformSettings: settings.transform,
          source,
          network,
          identity,
          logRetentionDays: settings.transform.logRetentionDays,
          protect: settings.protect,
        },
        opts,
      ),
  );

  lake.grantReplay(
    "lake",
    settings.region,
    streams.map((s) => s.stream.arn),
    source?.stream.arn,
  );

  const replay = settings.replay.stateMachine
    ? new ReplayStateMachine("replay", { namePrefix, settings, lake, identity }, opts)
    : undefined;

  const monitoring = new Monitoring(
    "monitoring",
    {
      namePrefix,
      settings: settings.monitoring,
      streams: settings.pipelines.map((pipeline, i) => ({
        pipeline: pipeline.name,
        streamName: streams[i].stream.name,
        metrics: streams[i].bound.metrics,
        alarms: streams[i].bound.alarms,
        source: settings.source.type,
      })),
      functionName: transform.function.name,
      keyArn: lake.key.arn,
      region: settings.region,
    },
    opts,
  );

  const outputs: PlatformOutputs = {
    streamNames: Object.fromEntries(settings.pipelines.map((p, i) => [p.name, streams[i].stream.name])),
    streamArns: Object.fromEntries(settings.pipelines.map((p, i) => [p.name, streams[i].stream.arn])),
    sourceStreamArn: source?.stream.arn,
    bucketName: lake.bucket.bucket,
    dataPrefix: layout?.prefix,
    errorPrefix: layout?.errorOutputPrefix,
    glueDatabase: lake.database.name,
    glueTable: lake.table?.name,
    athenaWorkgroup: lake.workgroup.name,
    athenaPartitionCountQuery:
      layout && partitionCountQuery(settings.table.database, settings.table.name, layout),
    transformFunctionName: transform.function.name,
    alarmTopicArn: monitoring.topic.arn,
    replayStateMachineArn: replay?.stateMachine.arn,
  };
  return { lake, network, source, transform, streams, monitoring, replay, outputs };
}
