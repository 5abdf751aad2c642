// The registry of destination types: one line per destination. The stack's config schema takes its
// discriminated union from here, and the stack's needs (KMS via-services, VPC, declared fields) are asked of each
// destination through its spec. The component half registers in components/destinations/index.ts.
import { z } from "zod";
import { httpDestination } from "./http";
import { icebergDestination } from "./iceberg";
import { openSearchDestination } from "./opensearch";
import { redshiftDestination } from "./redshift";
import { s3Destination } from "./s3";
import { DestinationColumn, DestinationSpec, PipelineAt, ReportIssue, StackView } from "./spec";

const SPECS = [
  s3Destination,
  redshiftDestination,
  openSearchDestination,
  httpDestination,
  icebergDestination,
] as const;

/** The schemas of a tuple of specs, as a tuple (a mapped type keeps tuples only over a type parameter). */
type SchemasOf<T extends readonly DestinationSpec[]> = {
  -readonly [K in keyof T]: T[K] extends DestinationSpec<infer S> ? S : never;
};

function unionOf<T extends readonly [DestinationSpec, ...DestinationSpec[]]>(specs: T) {
  // `map` returns an array type; SchemasOf restores the tuple zod's discriminated union needs.
  return z.discriminatedUnion("type", specs.map((s) => s.schema) as SchemasOf<T>);
}

/** Every destination's config, told apart by `type`. */
export const destinationSchema = unionOf(SPECS);

export type DestinationSettings = z.output<typeof destinationSchema>;
export type DestinationType = DestinationSettings["type"];

function specOf(type: string): DestinationSpec {
  const spec = SPECS.find((s) => (s.schema.shape.type as z.ZodLiteral<string>).value === type);
  if (!spec) throw new Error(`no destination spec for type '${type}'`);
  return spec;
}

/** What one destination needs of the stack, asked before any resource exists. */
export interface DestinationNeeds {
  readonly keyServices: string[];
  readonly needsNetwork: boolean;
  readonly columns: DestinationColumn[];
  readonly recordFields: string[];
}

export function needsOf(destination: DestinationSettings): DestinationNeeds {
  const spec = specOf(destination.type);
  return {
    keyServices: spec.keyServices?.(destination) ?? [],
    needsNetwork: spec.needsNetwork?.(destination) ?? false,
    columns: spec.columns?.(destination) ?? [],
    recordFields: spec.recordFields?.(destination) ?? [],
  };
}

/** Runs every destination's checks against the rest of the stack, each once with its pipelines. */
export function checkDestinationsInStack(
  pipelines: readonly { readonly name: string; readonly destination: DestinationSettings }[],
  stack: StackView,
  report: ReportIssue,
): void {
  for (const spec of SPECS) {
    const type = (spec.schema.shape.type as z.ZodLiteral<string>).value;
    const own: PipelineAt<DestinationSettings>[] = pipelines.flatMap((p, index) =>
      p.destination.type === type ? [{ index, name: p.name, destination: p.destination }] : [],
    );
    (spec as DestinationSpec).checkStack?.(own, stack, report);
  }
}
