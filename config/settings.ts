// The typed, validated settings of one stack. The schema is the single source of truth for what a stack file
// may say: the Pulumi program, the offline policy check and the local run all parse the same config with it.
import { z } from "zod";
import { PII_DETECT_ACTIONS, PII_DETECTORS } from "../lambda/transform/pii-detect";
import { masksColumn, piiNameReason, topLevelField, uniquePaths } from "../policy/lib/pii-columns";

/** Redshift Serverless needs subnets in at least this many availability zones (Redshift management guide). */
export const REDSHIFT_SERVERLESS_MIN_ZONES = 3;

/** AWS's bounds on a Firehose buffer (size in MiB, interval in seconds), by destination type. */
export const BUFFER_LIMITS = {
  s3: { sizeMiB: [1, 128], intervalSeconds: [0, 900] },
  opensearch: { sizeMiB: [1, 100], intervalSeconds: [0, 900] },
  http: { sizeMiB: [1, 64], intervalSeconds: [0, 900] },
} as const;

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
const glueName = z.string().regex(/^[a-z_][a-z0-9_]{0,127}$/, "must be lower-case letters, digits and '_'");

function bufferSchema(limits: {
  sizeMiB: readonly [number, number];
  intervalSeconds: readonly [number, number];
}) {
  return z.strictObject({
    sizeMiB: z.number().int().min(limits.sizeMiB[0]).max(limits.sizeMiB[1]),
    intervalSeconds: z.number().int().min(limits.intervalSeconds[0]).max(limits.intervalSeconds[1]),
  });
}

const glueType = z
  .string()
  .regex(
    /^(string|int|bigint|smallint|tinyint|double|float|boolean|date|timestamp|binary|decimal\(\d+,\s*\d+\)|(array|map|struct)<.+>)$/,
    "must be a Glue/Hive type such as string, bigint, double, boolean, timestamp, decimal(10,2), array<string>",
  );

/**
 * Whether a column holds personal data: `true` masks it (its name joins the transform's PII_FIELDS); `false` is
 * the explicit, reviewable opt-out for a column whose name looks like PII but is not (see policy/lib/pii-columns).
 */
const pii = z.boolean().optional();

const column = z.strictObject({ name: glueName, type: glueType, comment: z.string().optional(), pii });

const partitionField = z.strictObject({
  /** Record field (top level) that becomes a partition key and a Glue partition column. */
  name: glueName,
  /** Known values: Athena projects them as an enum; without them the column is `injected` (queries must name it). */
  values: z.array(z.string().min(1)).min(1).optional(),
});

const partitioning = z.strictObject({
  /** Who extracts the keys: Firehose's inline jq parser (`inline`) or the transform Lambda (`lambda`). */
  extractor: z.enum(["inline", "lambda"]),
  fields: z.array(partitionField).max(50).default([]),
  /** Time partitions: from the arrival time (`!{timestamp:...}`) or the event's `ts` (Lambda keys only). */
  time: z.enum(["arrival", "event"]).default("arrival"),
  granularity: z.enum(["day", "hour"]).default("day"),
});

/**
 * Firehose's multi-record de-aggregation (the RecordDeAggregation processor), before the transform: a record
 * holding several JSON objects (`{..}{..}` or JSON Lines) or several `delimiter`-separated records becomes that
 * many records. Producers pack records this way because Firehose bills each record rounded up to 5 KB.
 */
const deaggregation = z.strictObject({
  subRecordType: z.enum(["JSON", "DELIMITED"]),
  /** The separator of DELIMITED records, as text (the stack passes it to Firehose base64-encoded). */
  delimiter: z.string().min(1).max(100).optional(),
});

const s3Destination = z.strictObject({
  type: z.literal("s3"),
  buffer: bufferSchema(BUFFER_LIMITS.s3),
  compression: z.enum(["UNCOMPRESSED", "GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY"]).default("GZIP"),
  /** `json` writes JSON Lines; `parquet` converts against the Glue table (stream compression must be UNCOMPRESSED). */
  format: z.enum(["json", "parquet"]).default("json"),
  parquetCompression: z.enum(["SNAPPY", "GZIP", "UNCOMPRESSED"]).default("SNAPPY"),
  /** Dynamic partitioning (can only be chosen when the stream is created). */
  partitioning: partitioning.optional(),
  /** Split packed records before the transform; needs `partitioning` (a Firehose rule). */
  deaggregation: deaggregation.optional(),
  /** Overrides of the derived prefixes, for layouts that must match an existing lake. */
  prefix: z.string().min(1).max(1024).optional(),
  errorOutputPrefix: z.string().min(1).max(1024).optional(),
});

const redshiftColumn = z.strictObject({
  name: glueName,
  /** Redshift column type, e.g. VARCHAR(256), BIGINT, TIMESTAMP, SUPER. */
  type: z.string().regex(/^[A-Za-z][A-Za-z0-9 (),]*$/, "must be a Redshift column type such as VARCHAR(256)"),
  pii,
});

const redshiftDestination = z.strictObject({
  type: z.literal("redshift"),
  /** `serverless` and `provisioned` create a warehouse; `existing` uses one given by `jdbcUrl`. */
  warehouse: z.enum(["serverless", "provisioned", "existing"]),
  /** Database of a warehouse the stack creates; an existing warehouse's is the one its `jdbcUrl` names. */
  database: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,63}$/)
    .default("analytics"),
  table: glueName.default("events"),
  columns: z.array(redshiftColumn).min(1),
  distKey: glueName.optional(),
  sortKeys: z.array(glueName).default([]),
  /** Options of Firehose's COPY; Firehose stages GZIP objects, so they must include `gzip`. */
  copyOptions: z
    .string()
    .regex(/\bgzip\b/i, "must include 'gzip' (Firehose stages GZIP-compressed objects for COPY)")
    .default("json 'auto' gzip timeformat 'auto'"),
  retrySeconds: z.number().int().min(0).max(7200).default(3600),
  /** Buffering of the S3 staging objects that COPY loads. */
  buffer: bufferSchema(BUFFER_LIMITS.s3),
  /** Serverless base capacity in RPUs (8-512, steps of 8). */
  baseCapacityRpu: z.number().int().min(8).max(512).multipleOf(8).default(8),
  nodeType: z.string().default("ra3.large"),
  numberOfNodes: z.number().int().min(1).max(128).default(1),
  /** Existing warehouse only. */
  jdbcUrl: z
    .string()
    .regex(
      /^jdbc:redshift:\/\/[^/:]+:\d+\/[a-zA-Z0-9_]+$/,
      "must look like jdbc:redshift://host:5439/database",
    )
    .optional(),
  /** Existing warehouse only: a Secrets Manager secret with `username` and `password`. */
  secretArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:secretsmanager:/, "must be a Secrets Manager secret ARN")
    .optional(),
  /** Admin user of a warehouse the stack creates; Redshift keeps its password in Secrets Manager. */
  username: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,127}$/, "must be a Redshift user name: lower-case letters, digits and '_'")
    .default("firehose"),
});

const openSearchDestination = z
  .strictObject({
    type: z.literal("opensearch"),
    indexName: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,79}$/, "must be 1-80 lower-case characters"),
    indexRotation: z.enum(["NoRotation", "OneHour", "OneDay", "OneWeek", "OneMonth"]).default("OneDay"),
    buffer: bufferSchema(BUFFER_LIMITS.opensearch),
    retrySeconds: z.number().int().min(0).max(7200).default(300),
    /** Back up `FailedDocumentsOnly` (default) or `AllDocuments` to the lake; fixed once the stream exists. */
    backupMode: z.enum(["FailedDocumentsOnly", "AllDocuments"]).default("FailedDocumentsOnly"),
    engineVersion: z.string().default("OpenSearch_2.19"),
    instanceType: z.string().default("r7g.large.search"),
    instanceCount: z.number().int().min(1).max(80).default(2),
    volumeSizeGiB: z.number().int().min(10).max(3072).default(20),
    /** Put the domain in the stack's VPC (private subnets); Firehose then delivers through ENIs in that VPC. */
    vpc: z.boolean().default(true),
  })
  .refine((d) => d.instanceCount < 2 || d.instanceCount % 2 === 0 || d.instanceCount % 3 === 0, {
    path: ["instanceCount"],
    message:
      "must be 1, an even number or a multiple of 3 (zone awareness spreads data nodes evenly over 2 or 3 availability zones)",
  });

const httpDestination = z.strictObject({
  type: z.literal("http"),
  url: z.string().regex(/^https:\/\/[^\s]+$/, "must be an https:// URL"),
  endpointName: z.string().min(1).max(256).optional(),
  /** Name of the secret stack config key holding the endpoint's access key. */
  accessKeyConfigKey: z.string().default("httpEndpointAccessKey"),
  contentEncoding: z.enum(["NONE", "GZIP"]).default("GZIP"),
  buffer: bufferSchema(BUFFER_LIMITS.http),
  retrySeconds: z.number().int().min(0).max(7200).default(300),
  backupMode: z.enum(["FailedDataOnly", "AllData"]).default("FailedDataOnly"),
  commonAttributes: z.record(z.string(), z.string()).default({}),
});

const destination = z.discriminatedUnion("type", [
  s3Destination,
  redshiftDestination,
  openSearchDestination,
  httpDestination,
]);

const pipeline = z.strictObject({
  name,
  destination,
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
    piiFields: z
      .array(z.string().regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/, "must be a dotted field path"))
      .default([]),
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
        sizeMiB: z.number().min(0.2).max(3),
        intervalSeconds: z.number().int().min(60).max(900),
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
  pipelines: z.array(pipeline).min(1).max(20),
});
type CheckedConfig = z.output<typeof stackConfigObject>;

/** Everything under the project's config namespace (`firehose-etl:<key>`). */
export const stackConfigSchema = stackConfigObject
  .superRefine((cfg, ctx) => {
    const vpcDomain = cfg.pipelines.some((p) => p.destination.type === "opensearch" && p.destination.vpc);
    if (cfg.network.createOpenSearchServiceLinkedRole && !vpcDomain) {
      ctx.addIssue({
        code: "custom",
        path: ["network", "createOpenSearchServiceLinkedRole"],
        message:
          "only an OpenSearch domain in a VPC needs the service-linked role, and no pipeline has one: remove this",
      });
    }
    const seen = new Set<string>();
    cfg.pipelines.forEach((p, i) => {
      if (seen.has(p.name)) {
        ctx.addIssue({ code: "custom", path: ["pipelines", i, "name"], message: `duplicate pipeline name` });
      }
      seen.add(p.name);
      const dest = p.destination;
      const at = (...rest: (string | number)[]) => ["pipelines", i, "destination", ...rest];
      if (dest.type === "s3" && dest.partitioning) {
        const part = dest.partitioning;
        if (part.time === "event" && part.extractor !== "lambda") {
          ctx.addIssue({
            code: "custom",
            path: at("partitioning", "time"),
            message:
              "event-time partitions need extractor 'lambda' (Firehose's inline parser cannot format dates)",
          });
        }
        if (part.fields.length === 0 && part.time === "arrival") {
          ctx.addIssue({
            code: "custom",
            path: at("partitioning", "fields"),
            message: "dynamic partitioning needs at least one partition field, or time 'event'",
          });
        }
        const columns = new Set(cfg.table.columns.map((c) => c.name));
        part.fields.forEach((f, j) => {
          if (columns.has(f.name)) {
            ctx.addIssue({
              code: "custom",
              path: at("partitioning", "fields", j, "name"),
              message: `'${f.name}' is also a table column; a partition column must not repeat a data column`,
            });
          }
        });
      }
      if (dest.type === "s3" && dest.deaggregation) {
        const { subRecordType, delimiter } = dest.deaggregation;
        if (!dest.partitioning) {
          ctx.addIssue({
            code: "custom",
            path: at("deaggregation"),
            message:
              "de-aggregation needs dynamic partitioning (Firehose: a RecordDeAggregation processor can only be present when Dynamic Partitioning is enabled); add partitioning",
          });
        }
        if (subRecordType === "DELIMITED" && delimiter === undefined) {
          ctx.addIssue({
            code: "custom",
            path: at("deaggregation", "delimiter"),
            message: "subRecordType DELIMITED needs a delimiter, such as '\\n' or '####'",
          });
        }
        if (subRecordType === "JSON" && delimiter !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: at("deaggregation", "delimiter"),
            message:
              "subRecordType JSON splits at JSON object boundaries and takes no delimiter; remove it or use DELIMITED",
          });
        }
      }
      if (
        dest.type === "redshift" &&
        dest.warehouse === "serverless" &&
        cfg.network.availabilityZones < REDSHIFT_SERVERLESS_MIN_ZONES
      ) {
        ctx.addIssue({
          code: "custom",
          path: ["network", "availabilityZones"],
          message: `Redshift Serverless (pipeline '${p.name}') needs subnets in ${REDSHIFT_SERVERLESS_MIN_ZONES} availability zones; set it to ${REDSHIFT_SERVERLESS_MIN_ZONES}`,
        });
      }
      if (dest.type === "redshift") {
        const existing = dest.warehouse === "existing";
        if (existing && (!dest.jdbcUrl || !dest.secretArn)) {
          ctx.addIssue({
            code: "custom",
            path: at(dest.jdbcUrl ? "secretArn" : "jdbcUrl"),
            message: "an existing warehouse needs both jdbcUrl and secretArn",
          });
        }
        if (!existing && (dest.jdbcUrl || dest.secretArn)) {
          ctx.addIssue({
            code: "custom",
            path: at(dest.jdbcUrl ? "jdbcUrl" : "secretArn"),
            message: `only allowed with warehouse 'existing', got warehouse '${dest.warehouse}'`,
          });
        }
        const redshiftColumns = new Set(dest.columns.map((c) => c.name));
        for (const key of [dest.distKey, ...dest.sortKeys].filter((k): k is string => !!k)) {
          if (!redshiftColumns.has(key)) {
            ctx.addIssue({
              code: "custom",
              path: at(key === dest.distKey ? "distKey" : "sortKeys"),
              message: `'${key}' is not one of the columns (${[...redshiftColumns].join(", ")})`,
            });
          }
        }
      }
    });
    const s3Count = cfg.pipelines.filter((p) => p.destination.type === "s3").length;
    if (s3Count > 1) {
      ctx.addIssue({
        code: "custom",
        path: ["pipelines"],
        message: `at most one s3 pipeline writes the lake table, got ${s3Count}`,
      });
    }
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
  const redshift = cfg.pipelines.flatMap((p, i) =>
    p.destination.type === "redshift"
      ? p.destination.columns.map((c, j) => ({
          ...c,
          path: ["pipelines", i, "destination", "columns", j, "name"],
        }))
      : [],
  );
  return [...table, ...redshift];
}

/** The paths the transform masks: `piiFields` and every column marked `pii: true`, without case-insensitive repeats. */
function maskedPathsOf(cfg: CheckedConfig): string[] {
  const marked = declaredColumns(cfg).filter((c) => c.pii === true);
  return uniquePaths([...cfg.transform.piiFields, ...marked.map((c) => c.name)]);
}

/** The record fields the stack declares: table and Redshift columns, and partition fields. */
function declaredFieldNames(cfg: CheckedConfig): string[] {
  const partitionFields = cfg.pipelines.flatMap((p) =>
    p.destination.type === "s3" ? (p.destination.partitioning?.fields ?? []).map((f) => f.name) : [],
  );
  return [...new Set([...declaredColumns(cfg).map((c) => c.name), ...partitionFields])];
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
    if (!known.has(field)) {
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
export type DestinationSettings = PipelineSettings["destination"];
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
