// What a destination declares about itself before any resource exists, the config half of the CDK's
// `IDestination`: its config schema with its own cross-field checks, the checks that need the rest of the stack,
// the KMS via-services and VPC it needs, and the record fields it declares. Pure (no Pulumi): the program, the
// offline check, the cost estimate and the local run all load it. The component half is `bind` in
// components/destinations/.
import { z } from "zod";

/** Where an issue lies, relative to the config root (e.g. `["pipelines", 0, "destination", "buffer"]`). */
export type ConfigPath = (string | number)[];

export type ReportIssue = (path: ConfigPath, message: string) => void;

/** The parts of a stack's config that destinations check themselves against. */
export interface StackView {
  readonly table: {
    readonly database: string;
    readonly name: string;
    readonly columns: readonly { readonly name: string; readonly type: string }[];
  };
  readonly network: {
    readonly availabilityZones: number;
    readonly createOpenSearchServiceLinkedRole: boolean;
  };
  readonly pipelines: readonly { readonly name: string; readonly destination: { readonly type: string } }[];
}

/** One pipeline of a destination's type, where it sits in `pipelines`. */
export interface PipelineAt<D> {
  readonly index: number;
  readonly name: string;
  readonly destination: D;
}

/** A column a destination declares besides the stack's table (Redshift's own table), for the PII checks. */
export interface DestinationColumn {
  readonly name: string;
  readonly pii?: boolean;
  /** Its path under the destination, e.g. `["columns", 2, "name"]`. */
  readonly path: ConfigPath;
}

// Hooks are methods, not function properties, so that a spec of one destination type is assignable to the spec
// of any (method parameters are bivariant): the registry holds them side by side.
export interface DestinationSpec<S extends z.ZodObject = z.ZodObject> {
  /** The destination's config, discriminated by `type`; its `superRefine` holds its own cross-field checks. */
  readonly schema: S;
  /** Checks against the rest of the stack, run once with every pipeline of this type (possibly none). */
  checkStack?(pipelines: PipelineAt<z.output<S>>[], stack: StackView, report: ReportIssue): void;
  /** Services through which the stack's roles use its KMS key for this destination (`kms:ViaService`). */
  keyServices?(destination: z.output<S>): string[];
  /** Whether the stack must build its VPC for this destination. */
  needsNetwork?(destination: z.output<S>): boolean;
  /** Columns of the destination's own table. */
  columns?(destination: z.output<S>): DestinationColumn[];
  /** Record fields the destination reads that are not columns (partition keys, routing fields). */
  recordFields?(destination: z.output<S>): string[];
}

/** Declares a destination's spec, keeping its schema's exact type for the discriminated union. */
export function defineDestination<S extends z.ZodObject>(spec: DestinationSpec<S>): DestinationSpec<S> {
  return spec;
}
