// Iceberg delivery roles (Firehose developer guide, "Grant Firehose access to an Apache Iceberg Tables
// destination") and the Glue table optimizers' role (Glue developer guide, "Table optimization prerequisites"):
// each may write the data and metadata of its own tables and nothing else: no other table, prefix or bucket.
import { AccessExpectation, AccessTable } from "../../../iam/access-table";
import { PipelineFacts, StackFacts } from "../support/stack-under-test";
import {
  deliveryRoleMustDeny,
  elsewhere,
  keyAdministration,
  readRawRecords,
  readSource,
  transformAndLogs,
  viaS3,
  writeLake,
} from "./common";

type IcebergFacts = NonNullable<PipelineFacts["iceberg"]>;

function icebergOf(pipeline: PipelineFacts): IcebergFacts {
  if (!pipeline.iceberg) throw new Error(`pipeline ${pipeline.pipeline.name} has no Iceberg tables`);
  return pipeline.iceberg;
}

/** A data file and a metadata file of a table (Iceberg's layout: data/ and metadata/ under the table root). */
function tableFiles(facts: StackFacts, root: string): string[] {
  return [
    `${facts.bucketArn}/${root}data/00000-0-writer-00001.parquet`,
    `${facts.bucketArn}/${root}metadata/00001-snapshot.metadata.json`,
  ];
}

/** Someone else's Iceberg table in the same database and bucket, and the lake's Hive-style data. */
function otherTables(facts: StackFacts, iceberg: IcebergFacts) {
  return {
    tableArn: iceberg.databaseArn.replace(":database/", ":table/") + "/another_table",
    files: tableFiles(facts, "iceberg/another_table/"),
    lakeData: `${facts.bucketArn}/data/year=2026/month=01/day=01/object.parquet`,
  };
}

/** Glue authorises a table call against the catalog, the database and the table; a database call against the first two. */
function glue(actions: string[], iceberg: IcebergFacts, because: string): AccessExpectation[] {
  return actions.flatMap((action) =>
    [
      iceberg.catalogArn,
      iceberg.databaseArn,
      ...(action === "glue:GetDatabase" ? [] : iceberg.tables.map((t) => t.arn)),
    ].map((resource) => ({
      action,
      resource,
      because,
    })),
  );
}

function lakeKey(facts: StackFacts, because: string): AccessExpectation[] {
  return ["kms:GenerateDataKey", "kms:Decrypt"].map((action) => ({
    action,
    resource: facts.keyArn,
    context: viaS3(facts, facts.bucketArn),
    because,
  }));
}

export function icebergDeliveryTable(
  facts: StackFacts,
  pipeline: PipelineFacts,
  all: readonly PipelineFacts[],
): AccessTable {
  const iceberg = icebergOf(pipeline);
  const other = otherTables(facts, iceberg);
  const name = pipeline.pipeline.name;
  return {
    role: pipeline.role,
    mustAllow: [
      ...glue(
        ["glue:GetDatabase", "glue:GetTable", "glue:UpdateTable"],
        iceberg,
        "Firehose commits snapshots",
      ),
      ...iceberg.tables.flatMap((t) =>
        tableFiles(facts, t.root).flatMap((file) =>
          ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:DeleteObject"].map((action) => ({
            action,
            resource: file,
            because: `Firehose writes ${t.name}'s data and metadata (merge-on-read deletes included)`,
          })),
        ),
      ),
      ...writeLake(facts, `errors/${name}/`),
      ...writeLake(facts, `backup/${name}/`),
      ...transformAndLogs(facts, pipeline),
      ...readSource(facts),
    ],
    mustDeny: [
      ...deliveryRoleMustDeny(facts, pipeline, all),
      { action: "glue:UpdateTable", resource: other.tableArn, because: "another table in the same database" },
      { action: "glue:DeleteTable", resource: iceberg.tables[0].arn, because: "the table is the stack's" },
      { action: "glue:CreateTable", resource: iceberg.databaseArn, because: "the stack creates the tables" },
      ...other.files.map((resource) => ({
        action: "s3:PutObject",
        resource,
        because: "another table's files",
      })),
      {
        action: "s3:PutObject",
        resource: other.lakeData,
        because: "the Hive-style lake is another pipeline's",
      },
      {
        action: "s3:PutObject",
        resource: `${facts.bucketArn}/errors/another/x`,
        because: "another pipeline's errors",
      },
      {
        action: "s3:DeleteObject",
        resource: `${facts.bucketArn}/errors/${name}/processing-failed/x`,
        because: "failed records are kept for replay",
      },
    ],
  };
}

export function icebergOptimizerTable(facts: StackFacts, pipeline: PipelineFacts): AccessTable {
  const iceberg = icebergOf(pipeline);
  const other = otherTables(facts, iceberg);
  const account = facts.account;
  const logs = (group: string) =>
    `arn:aws:logs:${facts.region}:${account}:log-group:${group}:log-stream:run-1`;
  return {
    role: iceberg.optimizerRole,
    mustAllow: [
      ...glue(
        ["glue:GetTable", "glue:UpdateTable"],
        iceberg,
        "optimizers commit rewritten and expired snapshots",
      ),
      ...iceberg.tables.flatMap((t) => [
        ...tableFiles(facts, t.root).flatMap((file) =>
          ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"].map((action) => ({
            action,
            resource: file,
            because: `compaction rewrites, retention and orphan deletion remove ${t.name}'s files`,
          })),
        ),
        {
          action: "s3:ListBucket",
          resource: facts.bucketArn,
          context: { "s3:prefix": t.root },
          because: "orphan-file deletion lists the table's folder",
        },
      ]),
      ...[
        "/aws-glue/iceberg-compaction/logs",
        "/aws-glue/iceberg-retention/logs",
        "/aws-glue/iceberg-orphan-file-deletion/logs",
      ].map((group) => ({
        action: "logs:PutLogEvents",
        resource: logs(group),
        because: "Glue logs each run",
      })),
      ...lakeKey(facts, "the table's files are encrypted with the lake's key (SSE-KMS)"),
    ],
    mustDeny: [
      { action: "glue:UpdateTable", resource: other.tableArn, because: "another table" },
      { action: "glue:DeleteTable", resource: iceberg.tables[0].arn, because: "the table is the stack's" },
      ...other.files.flatMap((resource) =>
        ["s3:GetObject", "s3:DeleteObject"].map((action) => ({
          action,
          resource,
          because: "another table's files",
        })),
      ),
      { action: "s3:DeleteObject", resource: other.lakeData, because: "the Hive-style lake" },
      {
        action: "s3:ListBucket",
        resource: facts.bucketArn,
        context: { "s3:prefix": "errors/" },
        because: "only the tables' folders",
      },
      ...readRawRecords(facts, "an optimizer never reads failed records"),
      { action: "s3:PutObject", resource: `${elsewhere(facts).bucketArn}/x`, because: "another bucket" },
      {
        action: "s3:DeleteObjectVersion",
        resource: tableFiles(facts, iceberg.tables[0].root)[0],
        because: "versions expire by lifecycle",
      },
      { action: "kms:Decrypt", resource: facts.keyArn, because: "the lake's key only through S3" },
      ...keyAdministration(facts),
      { action: "logs:PutLogEvents", resource: logs("/aws/lambda/another"), because: "another log group" },
      { action: "iam:PassRole", resource: iceberg.optimizerRole.arn, because: "an optimizer passes no role" },
      {
        action: "lambda:InvokeFunction",
        resource: facts.functionArn,
        because: "the transform is Firehose's",
      },
      {
        action: "firehose:PutRecord",
        resource: pipeline.streamArn,
        because: "writing goes through the stream",
      },
    ],
  };
}
