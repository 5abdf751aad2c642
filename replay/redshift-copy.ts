// Redshift's failed COPY: when Firehose gives up on a batch of staged objects it writes a manifest of them to
// the `errors/` folder of the staging prefix (developer guide, "Handle data delivery failures": "a manifest file
// in the errors/ folder, which you can use for manual backfill"). The records are already staged and
// transformed, so replaying them means running COPY again over that manifest (Redshift's manifest format:
// `{"entries": [{"url": "s3://...", "mandatory": bool}]}`), through the Redshift Data API, not re-sending them.
// The manifest's exact key under `errors/` is not documented; we read every object there.
import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  ExecuteStatementCommandInput,
  RedshiftDataClient,
} from "@aws-sdk/client-redshift-data";
import { STAGING_ROOT } from "../config/layout";
import { streamNameOf } from "../config/naming";
import { RedshiftDestinationSettings, StackSettings } from "../config/settings";

/** Where Firehose writes the manifests of a Redshift pipeline's skipped objects. */
export function copyErrorPrefixOf(pipeline: string): string {
  return `${STAGING_ROOT}${pipeline}/errors/`;
}

/** The staged objects a manifest lists, or a problem naming the manifest and what is wrong. */
export function readCopyManifest(key: string, body: Buffer): { urls: string[] } | { problem: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString("utf8"));
  } catch {
    return { problem: `${key}: a COPY manifest is a JSON document, this one is corrupt or truncated` };
  }
  const entries = (doc as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(entries)) return { problem: `${key}: a COPY manifest has an "entries" list` };
  const urls: string[] = [];
  for (const [i, entry] of entries.entries()) {
    const url = (entry as { url?: unknown } | null)?.url;
    if (typeof url !== "string" || !url.startsWith("s3://")) {
      return { problem: `${key}: entries[${i}].url must be an s3:// URL, got ${JSON.stringify(url)}` };
    }
    urls.push(url);
  }
  return { urls };
}

/**
 * The Data API request that loads the objects of the manifest at `key` again, with the pipeline's COPY options.
 * `IAM_ROLE default` uses the warehouse's default role unless a role is given. An existing warehouse is named
 * only by its JDBC URL, so the caller must name it.
 */
export function copyStatementOf(
  settings: StackSettings,
  pipeline: string,
  dest: RedshiftDestinationSettings,
  bucket: string,
  key: string,
  options: { roleArn?: string; workgroup?: string } = {},
): ExecuteStatementCommandInput {
  const role = options.roleArn ? `'${options.roleArn}'` : "default";
  const sql = `COPY ${dest.table} FROM 's3://${bucket}/${key}' IAM_ROLE ${role} MANIFEST ${dest.copyOptions}`;
  const name = streamNameOf(settings, pipeline);
  if (dest.warehouse === "serverless") return { WorkgroupName: name, Database: dest.database, Sql: sql };
  if (dest.warehouse === "provisioned") {
    return { ClusterIdentifier: name, Database: dest.database, DbUser: dest.username, Sql: sql };
  }
  if (!options.workgroup) {
    throw new Error(
      `pipeline '${pipeline}': an existing warehouse is reached by its JDBC URL; name its workgroup with --redshift-workgroup`,
    );
  }
  return {
    WorkgroupName: options.workgroup,
    SecretArn: dest.secretArn,
    Sql: sql,
    Database: databaseOf(dest),
  };
}

function databaseOf(dest: RedshiftDestinationSettings): string {
  return dest.jdbcUrl?.split("/").pop() ?? dest.database;
}

/** Runs the statement and waits for it: resolves when COPY finished, throws with Redshift's error otherwise. */
export async function runCopy(
  client: Pick<RedshiftDataClient, "send">,
  input: ExecuteStatementCommandInput,
  pollMs = 1000,
): Promise<void> {
  const { Id } = await client.send(new ExecuteStatementCommand(input));
  for (;;) {
    const state = await client.send(new DescribeStatementCommand({ Id }));
    if (state.Status === "FINISHED") return;
    if (state.Status === "FAILED" || state.Status === "ABORTED") {
      throw new Error(
        `COPY ${state.Status.toLowerCase()}: ${state.Error ?? "no error given"} (${input.Sql})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
