// The typed, validated settings of one stack. The schema is the single source of truth for what a stack file
// may say: the Pulumi program, the offline policy check and the local run all parse the same config with it.
import { z } from "zod";
import { PII_DETECT_ACTIONS, PII_DETECTORS } from "../lambda/transform/pii-detect";
import { masksColumn, piiNameReason, topLevelField, uniquePaths } from "../policy/lib/pii-columns";
import {
  BufferLimits,
  DESTINATION_BUFFER_LIMITS,
  LAMBDA_PROCESSOR_BUFFER,
} from "../policy/rules/firehose-limits";
import { glueTypeProblem } from "./glue-type";
import { glueName, pii } from "./destinations/common";
import { checkDestinationsInStack, DestinationSettings, destinationSchema, needsOf } from "./destinations";

const asTuples = (limits: BufferLimits) =>
  ({
    sizeMiB: [limits.sizeMiB.min, limits.sizeMiB.max],
    intervalSeconds: [limits.intervalSeconds.min, limits.intervalSeconds.max],
  }) as const;

/** AWS's bounds on a Firehose buffer as [min, max], read from the policy pack's table (for cost/). */
export const BUFFER_LIMITS = {
  s3: asTuples(DESTINATION_BUFFER_LIMITS.extended_s3),
  opensearch: asTuples(DESTINATION_BUFFER_LIMITS.opensearch),
  http: asTuples(DESTINATION_BUFFER_LIMITS.http_endpoint),
};

/** Retention of the error prefix, which holds raw records: long enough to replay, no longer (README). */
export const ERROR_RETENTION_DAYS = { min: 3, default: 14, max: 90 } as const;

/** The retention periods CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const name = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,30}$/,
    "must be 1-31 characters: lower-case letters, digits and '-', starting with a letter",
  );

/** A `piiFields` entry: field names of letters, digits and '_', joined by '.'. */
const PII_PATH = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

const glueType = z.string().superRefine((type, ctx) => {
  const problem = glueTypeProblem(type);
  if (problem !== undefined)
    ctx.addIssue({
      code: "custom",
      message: `must be a Glue/Hive type such as string, bigint, double, boolean, timestamp, decimal(10,2), array<string> (${problem})`,
    });
});

const column = z.strictObject({ name: glueName, type: glueType, comment: z.string().optional(), pii });

const pipeline = z.strictObject({
  name,
  destination: destinationSchema,
});

const lake = z
  .strictObject({
    /**
     * Days after which objects under the error prefix expire. They hold failed records' original bytes (raw PII),
     * so as short as replay allows: at least a long weekend between the alarm and a fixed transform, at most a
     * quarter (storage limitation).
     */
    errorRetentionDays: z
      .number()
      .int()
      .min(ERROR_RETENTION_DAYS.min)
      .max(ERROR_RETENTION_DAYS.max)
      .default(ERROR_RETENTION_DAYS.default),
    /** Days after which data moves to `transitionStorageClass`; omit to keep everything in STANDARD. */
    transitionDays: z.number().int().min(30).optional(),
    transitionStorageClass: z
      .enum(["STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER_IR"])
      .default("STANDARD_IA"),
    /** Days after which old object versions expire. */
    noncurrentVersionDays: z.number().int().min(1).default(30),
    /** Let `pulumi destroy` delete a non-empty bucket (dev stacks only). */
    forceDestroy: z.boolean().default(false),
    /** Athena's per-query scan limit in bytes (minimum 10 MB). */
    athenaBytesScannedCutoff: z.number().int().min(10_485_760).default(10_737_418_240),
  })
  .prefault({});

const table = z.strictObject({
  database: glueName,
  name: glueName,
  columns: z.array(column).min(1),
  /** Lets a deploy remove or retype a column of the stack's tables (config/schema-change.ts). */
  allowBreakingSchemaChange: z.boolean().default(false),
});

const dropRule = z.strictObject({
  field: z.string().min(1),
  equals: z.union([z.string(), z.number(), z.boolean()]),
});

const transform = z
  .strictObject({
    memoryMiB: z.number().int().min(128).max(10240).default(256),
    timeoutSeconds: z.number().int().min(1).max(900).default(60),
    /** Reserved concurrency; omit to share the account's pool. */
    reservedConcurrency: z.number().int().min(1).optional(),
    /** One of CloudWatch Logs' retention periods. */
    logRetentionDays: z
      .number()
      .refine((d) => LOG_RETENTION_DAYS.includes(d), `must be one of ${LOG_RETENTION_DAYS.join(", ")}`)
      .default(30),
    runtime: z.enum(["nodejs20.x", "nodejs22.x"]).default("nodejs22.x"),
    /** Dotted paths masked besides the columns marked `pii: true`; each must start at a declared field. */
    piiFields: z.array(z.string().regex(PII_PATH, "must be a dotted field path")).default([]),
    /** The transform's detectors for PII in fields nobody listed: mask the value, or fail the record. */
    piiDetect: z
      .strictObject({
        detectors: z
          .array(z.enum(PII_DETECTORS))
          .min(1)
          .refine((d) => new Set(d).size === d.length, "must not repeat a detector")
          .default([...PII_DETECTORS]),
        action: z.enum(PII_DETECT_ACTIONS).default("mask"),
      })
      .optional(),
    hashMode: z.enum(["hmac-sha256", "sha256-salt"]).default("hmac-sha256"),
    /** Hex characters of the HMAC pseudonym (two per byte, so even). */
    hashLength: z
      .number()
      .int()
      .min(8)
      .max(64)
      .refine((n) => n % 2 === 0, "must be even")
      .default(32),
    dropRules: z.array(dropRule).default([]),
    fieldDefaults: z.record(z.string(), z.unknown()).default({}),
    /** The Lambda processor's buffer (Firehose invokes the function with up to this much data). */
    processorBuffer: z
      .strictObject({
        sizeMiB: z.number().min(LAMBDA_PROCESSOR_BUFFER.sizeMiB.min).max(LAMBDA_PROCESSOR_BUFFER.sizeMiB.max),
        intervalSeconds: z
          .number()
          .int()
          .min(LAMBDA_PROCESSOR_BUFFER.intervalSeconds.min)
          .max(LAMBDA_PROCESSOR_BUFFER.intervalSeconds.max),
      })
      .optional(),
    retries: z.number().int().min(0).max(300).optional(),
  })
  .prefault({});

const source = z
  .discriminatedUnion("type", [
    z.strictObject({ type: z.literal("direct-put") }),
    z.strictObject({
      type: z.literal("kinesis"),
      /** Omit for on-demand capacity. */
      shardCount: z.number().int().min(1).optional(),
      retentionHours: z.number().int().min(24).max(8760).default(24),
    }),
  ])
  .prefault({ type: "direct-put" });

const monitoring = z
  .strictObject({
    alarms: z.boolean().default(true),
    /** Email addresses subscribed to the alarm topic. */
    emails: z.array(z.email()).default([]),
    /** Alarm when the oldest undelivered record is older than this. */
    freshnessSeconds: z.number().int().min(60).default(900),
    dashboard: z.boolean().default(true),
  })
  .prefault({});

const network = z
  .strictObject({
    cidrBlock: z
      .string()
      .regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/)
      .default("10.40.0.0/16"),
    availabilityZones: z.number().int().min(2).max(3).default(2),
    /** NAT gateways cost money; the warehouse and domain do not need them. */
    natGateways: z.enum(["None", "Single", "OnePerAz"]).default("None"),
    /**
     * Create the account's OpenSearch service-linked role, which every domain in a VPC needs. It exists once per
     * account and a second create fails, so only the first stack in an account sets this; it is kept on destroy.
     */
    createOpenSearchServiceLinkedRole: z.boolean().default(false),
  })
  .prefault({});

/**
 * The replay backlog engine: a Step Functions state machine whose Distributed Map replays every error object
 * under a prefix, one Lambda invocation per object, at most `maxConcurrency` at once (the rate limit: each
 * invocation sends as fast as the stream takes, backing off when throttled). `npm run replay` needs none of it.
 */
const replay = z
  .strictObject({
    stateMachine: z.boolean().default(false),
    /** A Distributed Map runs at most 10,000 child executions at once. */
    maxConcurrency: z.number().int().min(1).max(10000).default(10),
  })
  .prefault({});

/** The stack config's keys and their schemas, before the cross-field checks (Pulumi.yaml declares these keys). */
export const stackConfigObject = z.strictObject({
  environment: z.enum(["dev", "prod"]),
  /** Mark stateful resources (bucket, key, Glue catalog, warehouse) `protect`. */
  protect: z.boolean().default(false),
  tags: z.record(z.string(), z.string()).default({}),
  lake,
  table,
  transform,
  source,
  network,
  monitoring,
  replay,
  pipelines: z.array(pipeline).min(1).max(20),
});
type CheckedConfig = z.output<typeof stackConfigObject>;

/** Everything under the project's config namespace (`firehose-etl:<key>`). */
export const stackConfigSchema = stackConfigObject
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.pipelines.forEach((p, i) => {
      if (seen.has(p.name)) {
        ctx.addIssue({ code: "custom", path: ["pipelines", i, "name"], message: `duplicate pipeline name` });
      }
      seen.add(p.name);
    });
    checkDestinationsInStack(cfg.pipelines, cfg, (path, message) =>
      ctx.addIssue({ code: "custom", path, message }),
    );
  })
  .superRefine(checkPiiDeclarations)
  .superRefine(checkFieldDefaults)
  .transform((cfg) => ({ ...cfg, transform: { ...cfg.transform, maskedPaths: maskedPathsOf(cfg) } }));

/** A table's columns as the PII checks see them: where each is declared, for messages. */
interface DeclaredColumn {
  readonly name: string;
  readonly pii?: boolean;
  readonly path: (string | number)[];
}

function declaredColumns(cfg: CheckedConfig): DeclaredColumn[] {
  const table = cfg.table.columns.map((c, j) => ({ ...c, path: ["table", "columns", j, "name"] }));
  const own = cfg.pipelines.flatMap((p, i) =>
    needsOf(p.destination).columns.map((c) => ({ ...c, path: ["pipelines", i, "destination", ...c.path] })),
  );
  return [...table, ...own];
}

/** The paths the transform masks: `piiFields` and every column marked `pii: true`, without case-insensitive repeats. */
function maskedPathsOf(cfg: CheckedConfig): string[] {
  const marked = declaredColumns(cfg).filter((c) => c.pii === true);
  return uniquePaths([...cfg.transform.piiFields, ...marked.map((c) => c.name)]);
}

/** The record fields the stack declares: table and Redshift columns, and partition fields. */
function declaredFieldNames(cfg: CheckedConfig): string[] {
  const recordFields = cfg.pipelines.flatMap((p) => needsOf(p.destination).recordFields);
  return [...new Set([...declaredColumns(cfg).map((c) => c.name), ...recordFields])];
}

/**
 * PII is part of the table definition: a masked path must start at a declared field (a typo such as `emial`
 * would otherwise leave `email` in plaintext), and a column whose name says PII must be masked or explicitly
 * marked `pii: false`.
 */
function checkPiiDeclarations(cfg: CheckedConfig, ctx: z.RefinementCtx): void {
  const fields = declaredFieldNames(cfg);
  const known = new Set(fields.map((f) => f.toLowerCase()));
  cfg.transform.piiFields.forEach((path, i) => {
    const field = topLevelField(path);
    // A path that is not one (say "") already has its own issue; a second about its field would only confuse.
    if (PII_PATH.test(path) && !known.has(field)) {
      ctx.addIssue({
        code: "custom",
        path: ["transform", "piiFields", i],
        message: `'${path}' masks nothing the stack declares: '${field}' is not a table or Redshift column or a partition field (${fields.join(", ")}); fix the spelling, or declare the column and mark it pii: true`,
      });
    }
  });
  const masked = maskedPathsOf(cfg);
  for (const column of declaredColumns(cfg)) {
    const holds = piiNameReason(column.name);
    const isMasked = masksColumn(masked, column.name);
    if (column.pii === undefined && holds !== undefined && !isMasked) {
      ctx.addIssue({
        code: "custom",
        path: column.path,
        message: `'${column.name}' looks like ${holds} and is not masked: mark the column pii: true (or list it in transform.piiFields), or pii: false if it holds no personal data`,
      });
    }
    if (column.pii === false && isMasked) {
      ctx.addIssue({
        code: "custom",
        path: column.path,
        message: `'${column.name}' is marked pii: false but is masked anyway (transform.piiFields or a column of that name marked pii: true): remove one of the two`,
      });
    }
  }
}

/**
 * A default the transform adds must land in a column: Parquet conversion and Redshift's COPY drop fields their
 * table lacks, and in a JSON lake Athena cannot see them.
 */
function checkFieldDefaults(cfg: CheckedConfig, ctx: z.RefinementCtx): void {
  const columns = declaredColumns(cfg).map((c) => c.name);
  const known = new Set(columns.map((c) => c.toLowerCase()));
  for (const key of Object.keys(cfg.transform.fieldDefaults)) {
    if (!known.has(key.toLowerCase())) {
      ctx.addIssue({
        code: "custom",
        path: ["transform", "fieldDefaults", key],
        message: `'${key}' is not a column of table '${cfg.table.name}' or a Redshift table (${[...new Set(columns)].join(", ")}), so the default never reaches a query: add the column, or remove the default`,
      });
    }
  }
}

export type StackConfig = z.output<typeof stackConfigSchema>;
export type PipelineSettings = StackConfig["pipelines"][number];
export type { DestinationSettings };
export type S3DestinationSettings = Extract<DestinationSettings, { type: "s3" }>;
export type RedshiftDestinationSettings = Extract<DestinationSettings, { type: "redshift" }>;
export type OpenSearchDestinationSettings = Extract<DestinationSettings, { type: "opensearch" }>;
export type HttpDestinationSettings = Extract<DestinationSettings, { type: "http" }>;
export type PartitioningSettings = NonNullable<S3DestinationSettings["partitioning"]>;
export type DeaggregationSettings = NonNullable<S3DestinationSettings["deaggregation"]>;
export type TableSettings = StackConfig["table"];
export type TransformSettings = StackConfig["transform"];
export type LakeSettings = StackConfig["lake"];
export type SourceSettings = StackConfig["source"];
export type MonitoringSettings = StackConfig["monitoring"];
export type NetworkSettings = StackConfig["network"];
export type ReplaySettings = StackConfig["replay"];

/** A stack's settings: its validated config plus where it runs. */
export interface StackSettings extends StackConfig {
  readonly project: string;
  readonly stack: string;
  readonly region: string;
}

/** Every problem found in a stack's config, one line each, naming the key, the value and what is allowed. */
export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    source: string,
  ) {
    super(`Invalid stack config in ${source}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}
