// Extended S3 delivery roles: the lake, the transform, error logs, the source, and the Glue table when records
// are converted to Parquet (Firehose developer guide: "Grant Firehose access to an Amazon S3 destination" and
// "... to AWS Glue for data format conversion").
import { AccessExpectation, AccessTable } from "../../../iam/access-table";
import { PipelineFacts, StackFacts } from "../support/stack-under-test";
import { deliveryRoleMustDeny, readSource, transformAndLogs, writeLake } from "./common";

export function s3DeliveryTable(
  facts: StackFacts,
  pipeline: PipelineFacts,
  all: readonly PipelineFacts[],
): AccessTable {
  const { destination } = pipeline.pipeline;
  if (destination.type !== "s3") throw new Error(`pipeline ${pipeline.pipeline.name} is not an S3 pipeline`);
  const converts = destination.format === "parquet";
  return {
    role: pipeline.role,
    mustAllow: [
      ...writeLake(facts, pipeline.lakePrefix),
      ...writeLake(facts, "errors/"),
      ...transformAndLogs(facts, pipeline),
      ...readSource(facts),
      ...(converts ? readTableSchema(facts) : []),
    ],
    mustDeny: [...deliveryRoleMustDeny(facts, pipeline, all), ...(converts ? changeTable(facts) : [])],
  };
}

/** Glue authorises a table read against the catalog, the database and the table. */
function readTableSchema(facts: StackFacts): AccessExpectation[] {
  const glue = requireGlue(facts);
  return ["glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"].flatMap((action) =>
    [glue.catalogArn, glue.databaseArn, glue.tableArn].map((resource) => ({
      action,
      resource,
      because: "format conversion reads the table's schema",
    })),
  );
}

function changeTable(facts: StackFacts): AccessExpectation[] {
  const glue = requireGlue(facts);
  return [
    {
      action: "glue:UpdateTable",
      resource: glue.tableArn,
      because: "the schema is the stack's, not Firehose's",
    },
    {
      action: "glue:DeleteTable",
      resource: glue.tableArn,
      because: "the schema is the stack's, not Firehose's",
    },
    {
      action: "glue:GetTable",
      resource: glue.tableArn.replace(/[^/]+$/, "another_table"),
      because: "another table",
    },
  ];
}

function requireGlue(facts: StackFacts): NonNullable<StackFacts["glue"]> {
  if (!facts.glue) throw new Error(`the ${facts.stack} stack converts to Parquet but has no Glue table`);
  return facts.glue;
}
