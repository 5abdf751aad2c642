// The S3 configuration that every non-S3 destination needs: Redshift stages the objects its COPY loads there,
// OpenSearch and HTTP endpoints back up failed (or all) records there. All of it goes to the lake bucket,
// encrypted with the lake's CMK, one folder per pipeline, beside (never inside) the table's data prefix.
import * as aws from "@pulumi/aws";
import { BACKUP_ROOT, STAGING_ROOT, errorPrefixOf } from "../../config/layout";
import { BindContext } from "./destination";

/** Assignable to the `s3Configuration` of the Redshift, OpenSearch and HTTP endpoint blocks (same shape). */
export type LakeS3Configuration =
  aws.types.input.kinesis.FirehoseDeliveryStreamRedshiftConfigurationS3Configuration &
    aws.types.input.kinesis.FirehoseDeliveryStreamOpensearchConfigurationS3Configuration &
    aws.types.input.kinesis.FirehoseDeliveryStreamHttpEndpointConfigurationS3Configuration;

export interface LakeBackupArgs {
  /**
   * `staging`: Redshift's COPY source. Its prefix may hold no expressions and Firehose rejects an error output
   * prefix there (developer guide). `backup`: failed records also get the pipeline's error prefix.
   */
  readonly purpose: "staging" | "backup";
  readonly buffer: { readonly sizeMiB: number; readonly intervalSeconds: number };
}

/** The lake block of the pipeline bound in `ctx`. GZIP: a compression Redshift's COPY accepts, and small backups. */
export function lakeBackup(ctx: BindContext, args: LakeBackupArgs): LakeS3Configuration {
  const staging = args.purpose === "staging";
  return {
    bucketArn: ctx.lake.bucket.arn,
    roleArn: ctx.roleArn,
    prefix: `${staging ? STAGING_ROOT : BACKUP_ROOT}${ctx.name}/`,
    ...(staging ? {} : { errorOutputPrefix: errorPrefixOf(ctx.name) }),
    bufferingSize: args.buffer.sizeMiB,
    bufferingInterval: args.buffer.intervalSeconds,
    compressionFormat: "GZIP",
    kmsKeyArn: ctx.lake.key.arn,
    cloudwatchLoggingOptions: ctx.logging.backup,
  };
}
