// A stack's monthly estimate: every meter of every pipeline, plus the stack's shared meters, in its region.
import { StackSettings } from "../config/settings";
import { DeclaredResources } from "./declared";
import { Finding, findingsOf } from "./findings";
import { Meter } from "./meter";
import { destinationMeters } from "./meters/destinations";
import { firehoseMeters } from "./meters/firehose";
import { kinesisConsumerMeters, kinesisStreamMeters } from "./meters/kinesis";
import { stackMeters } from "./meters/stack";
import { storageMeters } from "./meters/storage";
import { transformMeters } from "./meters/transform";
import { PipelineContext, pipelineContext } from "./pipeline-context";
import { PriceTable } from "./price-table";
import { StackUsage } from "./usage";

/** The name the stack's shared meters are listed under; no pipeline can have it (names start with a letter). */
export const STACK_METERS = "(stack)";

export interface PipelineEstimate {
  readonly name: string;
  readonly meters: Meter[];
  readonly objects: { readonly perHour: number; readonly meanBytes: number };
}

export interface Estimate {
  readonly stack: string;
  readonly region: string;
  readonly prices: PriceTable;
  readonly pipelines: PipelineEstimate[];
  readonly totalUsd: number;
  readonly findings: Finding[];
}

export function estimateStack(
  settings: StackSettings,
  declared: DeclaredResources,
  usage: StackUsage,
  prices: PriceTable,
): Estimate {
  const contexts: PipelineContext[] = settings.pipelines.map((pipeline) =>
    pipelineContext(
      prices,
      settings,
      pipeline,
      usageOf(usage, pipeline.name),
      declared.vpcSubnets.get(pipeline.name) ?? 0,
      usage.storageMonth,
    ),
  );
  const pipelines: PipelineEstimate[] = contexts.map((ctx) => ({
    name: ctx.pipeline.name,
    meters: [
      ...firehoseMeters(ctx),
      ...transformMeters(ctx),
      ...kinesisConsumerMeters(ctx),
      ...storageMeters(ctx),
      ...destinationMeters(ctx),
    ],
    objects: { perHour: ctx.objects?.perHour ?? 0, meanBytes: ctx.objects?.meanBytes ?? 0 },
  }));
  pipelines.push({
    name: STACK_METERS,
    meters: [
      ...kinesisStreamMeters(prices, settings.source, contexts),
      ...stackMeters(prices, declared, usage.athenaTb),
    ],
    objects: { perHour: 0, meanBytes: 0 },
  });
  const totalUsd = pipelines.flatMap((p) => p.meters).reduce((sum, m) => sum + m.usd, 0);
  return {
    stack: settings.stack,
    region: settings.region,
    prices,
    pipelines,
    totalUsd,
    findings: contexts.flatMap((ctx) => findingsOf(ctx)),
  };
}

function usageOf(usage: StackUsage, pipeline: string) {
  const found = usage.pipelines.get(pipeline);
  if (!found) throw new Error(`no usage for pipeline '${pipeline}'`);
  return found;
}
