// The rehearsal of one stack: translate what it declares to the upstream provider's schema, then terraform
// validate, plan and apply against moto behind the validation layer. Resources moto cannot create are
// validated and planned only, and so is everything that depends on them.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StackResource } from "../offline/evaluate-stack";
import { ModelRegistry, findBotocoreData } from "./botocore";
import { planOnlyReason } from "./coverage";
import { findMotoServer, startMoto } from "./moto";
import { ProxyStats, startValidationProxy } from "./proxy";
import {
  REQUIRED_PROVIDERS,
  TerraformEnv,
  findTerraform,
  initTerraform,
  providerSchema,
  runTerraform,
} from "./terraform";
import { TerraformResource, configurationOf, isCloudResource, translateStack } from "./translate";

export interface RehearsalTools {
  readonly terraform: TerraformEnv;
  readonly motoServer: string;
  readonly botocoreData: string;
}

/** The tools the rehearsal needs, or one line saying which is missing. */
export function findRehearsalTools(): RehearsalTools | { missing: string } {
  const terraform = findTerraform();
  if ("missing" in terraform) return terraform;
  const motoServer = findMotoServer();
  if (!motoServer)
    return {
      missing: "moto_server is not on PATH (pip install 'moto[server]', or set REHEARSE_MOTO_SERVER)",
    };
  const botocoreData = findBotocoreData();
  if (!botocoreData)
    return {
      missing:
        "botocore's data is not found (python3 -c 'import botocore' fails; set REHEARSE_BOTOCORE_DATA)",
    };
  return { terraform, motoServer, botocoreData };
}

export type Stage = "translate" | "validate" | "plan" | "apply";

export interface RehearsalError {
  /** `<pulumi type> <name>`, or "configuration" when terraform names no resource. */
  readonly resource: string;
  readonly stage: Stage;
  readonly message: string;
}

export interface RehearsalResult {
  /** The stack's cloud resources (components and providers excluded). */
  readonly resources: number;
  readonly created: string[];
  readonly planOnly: { readonly resource: string; readonly reason: string }[];
  readonly untranslated: { readonly resource: string; readonly reason: string }[];
  readonly errors: RehearsalError[];
  readonly layer: ProxyStats;
  /** Terraform's working directory, when kept. */
  readonly dir?: string;
}

export interface RehearsalOptions {
  /** Plan slow resources (an OpenSearch domain) instead of applying them. */
  readonly fast: boolean;
  /** Keep the working directory (main.tf.json, state) for inspection. */
  readonly keep?: boolean;
  /** Progress, one line at a time. */
  readonly progress?: (line: string) => void;
}

function labelOf(resource: StackResource): string {
  return `${resource.type} ${resource.name}`;
}

/** The addresses a resource's body refers to or depends on. */
function dependenciesOf(resource: TerraformResource): string[] {
  const text = JSON.stringify(resource.body);
  const refs = [...text.matchAll(/\$\{(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)\./g)].map((m) => m[1]);
  return [...refs, ...((resource.body.depends_on as string[] | undefined) ?? [])];
}

/** Plan-only resources by address, with the reason; a resource that needs a plan-only one is plan-only too. */
export function planOnlyAddresses(resources: TerraformResource[], fast: boolean): Map<string, string> {
  const planOnly = new Map<string, string>();
  const byAddress = new Map(resources.map((r) => [`${r.type}.${r.label}`, r]));
  for (const r of resources) {
    const own = planOnlyReason(r, { fast });
    const blocking = dependenciesOf(r).find((a) => planOnly.has(a));
    const reason =
      own ?? (blocking ? `needs ${labelOf(byAddress.get(blocking)!.source)}, which is plan-only` : undefined);
    if (reason) planOnly.set(`${r.type}.${r.label}`, reason);
  }
  return planOnly;
}

interface Diagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  readonly snippet?: { readonly context?: string };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/** The JSON lines terraform's `-json` output is made of. */
function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The mock's id of each resource, by URN. */
function idsOf(resources: readonly StackResource[]): Map<string, string> {
  return new Map(resources.flatMap((r) => (r.id === undefined ? [] : [[r.urn, r.id] as [string, string]])));
}

export async function rehearseStack(
  stack: { readonly resources: StackResource[] },
  region: string,
  tools: RehearsalTools,
  options: RehearsalOptions,
): Promise<RehearsalResult> {
  const progress = options.progress ?? (() => undefined);
  const declared = stack.resources.filter((r) => isCloudResource(r.type));
  const schema = await providerSchema(tools.terraform);
  const translation = translateStack(stack.resources, idsOf(stack.resources), schema, region);
  const planOnly = planOnlyAddresses(translation.resources, options.fast);
  const byAddress = new Map(translation.resources.map((r) => [`${r.type}.${r.label}`, r]));
  const resourceOf = (text: string | undefined): string => {
    const match = /(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)/.exec(text ?? "");
    const r = match ? byAddress.get(match[1]) : undefined;
    return r ? `${labelOf(r.source)} (${match![1]})` : "configuration";
  };
  const errors: RehearsalError[] = [];
  const collect = (stage: Stage, diagnostics: Diagnostic[]) => {
    for (const d of diagnostics.filter((x) => x.severity === "error")) {
      errors.push({
        stage,
        resource: resourceOf(d.address ?? d.snippet?.context),
        message: oneLine(`${d.summary}${d.detail ? `: ${d.detail}` : ""}`),
      });
    }
  };

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "firehose-etl-rehearse-"));
  const moto = await startMoto(tools.motoServer);
  const layer = await startValidationProxy(
    new ModelRegistry(tools.botocoreData, tools.terraform.cacheDir),
    moto.url,
  );
  const created = new Set<string>();
  try {
    const endpoints = Object.keys(schema.provider.block.block_types?.endpoints?.block.attributes ?? {});
    const config = configurationOf(
      translation,
      {
        access_key: "rehearsal",
        secret_key: "rehearsal",
        skip_credentials_validation: true,
        // Not skipped: the provider then builds ARNs and Glue catalog ids with an empty account, which AWS
        // never sees; moto's STS answers with the mocks' account.
        skip_requesting_account_id: false,
        skip_metadata_api_check: true,
        skip_region_validation: true,
        s3_use_path_style: true,
        endpoints: [Object.fromEntries(endpoints.map((e) => [e, layer.url]))],
      },
      REQUIRED_PROVIDERS,
    );
    fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(config, null, 2));
    for (const [file, bytes] of Object.entries(translation.files))
      fs.writeFileSync(path.join(dir, file), bytes);

    progress(`terraform init (${dir})`);
    await initTerraform(tools.terraform, dir);
    progress("terraform validate");
    const validate = await runTerraform(tools.terraform, dir, ["validate", "-json", "-no-color"]);
    collect("validate", (JSON.parse(validate.stdout) as { diagnostics: Diagnostic[] }).diagnostics);
    if (errors.length === 0) {
      progress(`terraform plan (${translation.resources.length} resources)`);
      const plan = await runTerraform(tools.terraform, dir, [
        "plan",
        "-json",
        "-input=false",
        "-out=rehearsal.tfplan",
      ]);
      collect(
        "plan",
        jsonLines(plan.stdout)
          .filter((l) => l.type === "diagnostic")
          .map((l) => l.diagnostic as Diagnostic),
      );
      if (plan.code !== 0 && errors.length === 0)
        errors.push({ stage: "plan", resource: "configuration", message: oneLine(plan.stderr) });
    }
    if (errors.length === 0) {
      const targets = translation.resources
        .map((r) => `${r.type}.${r.label}`)
        .filter((a) => !planOnly.has(a));
      progress(`terraform apply (${targets.length} resources; ${planOnly.size} plan-only)`);
      const args =
        planOnly.size === 0
          ? ["apply", "-json", "-input=false", "rehearsal.tfplan"]
          : ["apply", "-json", "-input=false", "-auto-approve", ...targets.map((t) => `-target=${t}`)];
      const apply = await runTerraform(tools.terraform, dir, args);
      const lines = jsonLines(apply.stdout);
      for (const line of lines.filter((l) => l.type === "apply_complete")) {
        created.add((line.hook as { resource: { addr: string } }).resource.addr);
      }
      collect(
        "apply",
        lines.filter((l) => l.type === "diagnostic").map((l) => l.diagnostic as Diagnostic),
      );
      if (apply.code !== 0 && !errors.some((e) => e.stage === "apply")) {
        errors.push({ stage: "apply", resource: "configuration", message: oneLine(apply.stderr) });
      }
    }
  } finally {
    await layer.close();
    await moto.stop();
    if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
  }

  const addressesBySource = new Map<StackResource, string[]>();
  for (const r of translation.resources) {
    addressesBySource.set(r.source, [...(addressesBySource.get(r.source) ?? []), `${r.type}.${r.label}`]);
  }
  const createdLabels: string[] = [];
  const planOnlyList: RehearsalResult["planOnly"] = [];
  for (const [source, addresses] of addressesBySource) {
    const reason = addresses.map((a) => planOnly.get(a)).find((x) => x);
    if (reason) planOnlyList.push({ resource: labelOf(source), reason });
    else if (addresses.every((a) => created.has(a))) createdLabels.push(labelOf(source));
  }
  return {
    resources: declared.length,
    created: createdLabels,
    planOnly: planOnlyList,
    untranslated: translation.untranslated.map((u) => ({ resource: labelOf(u.resource), reason: u.reason })),
    errors,
    layer: layer.stats,
    dir: options.keep ? dir : undefined,
  };
}

/** The report: plan-only and untranslated resources with their reasons, each error on one line, the totals. */
export function formatRehearsal(stackName: string, result: RehearsalResult): string {
  const lines: string[] = [];
  for (const p of result.planOnly) lines.push(`plan-only: ${p.resource}: ${p.reason}`);
  for (const u of result.untranslated) lines.push(`not rehearsed: ${u.resource}: ${u.reason}`);
  const checked =
    Object.entries(result.layer.checked)
      .map(([p, n]) => `${n} ${p}`)
      .join(", ") || "none";
  const unchecked =
    Object.entries(result.layer.unchecked)
      .map(([s, n]) => `${n} ${s}`)
      .join(", ") || "none";
  lines.push(`validation layer: checked ${checked}; forwarded unchecked ${unchecked}`);
  if (result.dir) lines.push(`terraform working directory kept: ${result.dir}`);
  for (const e of result.errors) lines.push(`ERROR ${e.resource} [${e.stage}]: ${e.message}`);
  lines.push(
    `${stackName}: ${result.resources} resources, ${result.created.length} created, ${result.planOnly.length} plan-only, ${result.errors.length} errors`,
  );
  return lines.join("\n");
}
