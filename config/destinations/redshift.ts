// Redshift: a Serverless workgroup or provisioned cluster the stack builds, or an existing warehouse, and the
// table Firehose's COPY loads.
import { z } from "zod";
import { DESTINATION_BUFFER_LIMITS } from "../../policy/rules/firehose-limits";
import { bufferSchema, glueName, issueReporter, pii, retrySeconds } from "./common";
import { defineDestination } from "./spec";

/** Redshift Serverless needs subnets in at least this many availability zones (Redshift management guide). */
export const REDSHIFT_SERVERLESS_MIN_ZONES = 3;

const redshiftColumn = z.strictObject({
  name: glueName,
  /** Redshift column type, e.g. VARCHAR(256), BIGINT, TIMESTAMP, SUPER. */
  type: z.string().regex(/^[A-Za-z][A-Za-z0-9 (),]*$/, "must be a Redshift column type such as VARCHAR(256)"),
  pii,
});

const schema = z
  .strictObject({
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
    retrySeconds: retrySeconds(3600),
    /** Buffering of the S3 staging objects that COPY loads. */
    buffer: bufferSchema(DESTINATION_BUFFER_LIMITS.redshift),
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
  })
  .superRefine((dest, ctx) => {
    const issue = issueReporter(ctx);
    const existing = dest.warehouse === "existing";
    if (existing && (!dest.jdbcUrl || !dest.secretArn)) {
      issue(
        [dest.jdbcUrl ? "secretArn" : "jdbcUrl"],
        "an existing warehouse needs both jdbcUrl and secretArn",
      );
    }
    if (!existing && (dest.jdbcUrl || dest.secretArn)) {
      issue(
        [dest.jdbcUrl ? "jdbcUrl" : "secretArn"],
        `only allowed with warehouse 'existing', got warehouse '${dest.warehouse}'`,
      );
    }
    const columns = new Set(dest.columns.map((c) => c.name));
    for (const key of [dest.distKey, ...dest.sortKeys].filter((k): k is string => k !== undefined)) {
      if (!columns.has(key)) {
        issue(
          [key === dest.distKey ? "distKey" : "sortKeys"],
          `'${key}' is not one of the columns (${[...columns].join(", ")})`,
        );
      }
    }
  });

export const redshiftDestination = defineDestination({
  schema,
  checkStack(pipelines, stack, report) {
    for (const { name, destination } of pipelines) {
      if (
        destination.warehouse === "serverless" &&
        stack.network.availabilityZones < REDSHIFT_SERVERLESS_MIN_ZONES
      ) {
        report(
          ["network", "availabilityZones"],
          `Redshift Serverless (pipeline '${name}') needs subnets in ${REDSHIFT_SERVERLESS_MIN_ZONES} availability zones; set it to ${REDSHIFT_SERVERLESS_MIN_ZONES}`,
        );
      }
    }
  },
  // A warehouse the stack builds encrypts with the key and the Redshift Data API runs its DDL; which service
  // name a Serverless workgroup calls KMS through is not documented, so both are listed.
  keyServices: (dest) => {
    if (dest.warehouse === "provisioned") return ["redshift", "redshift-data"];
    if (dest.warehouse === "serverless") return ["redshift", "redshift-serverless", "redshift-data"];
    return [];
  },
  needsNetwork: (dest) => dest.warehouse !== "existing",
  columns: (dest) => dest.columns.map((c, j) => ({ name: c.name, pii: c.pii, path: ["columns", j, "name"] })),
});
