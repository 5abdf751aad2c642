// Runs terraform offline against the upstream AWS provider from a filesystem mirror, and caches the
// provider's schema (`terraform providers schema -json`, about 14 MB) that the translation derives names from.
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ProviderSchema } from "./schema";

/** The provider version @pulumi/aws 7.x bridges; the mirror on the machine image holds exactly this one. */
export const AWS_PROVIDER_VERSION = "5.100.0";

export interface TerraformEnv {
  readonly terraform: string;
  /** Root of the filesystem mirror (the directory that contains `registry.terraform.io`). */
  readonly mirror: string;
  /** Where the schema is cached between runs. */
  readonly cacheDir: string;
}

/** The first file named `name` on PATH, or undefined. */
export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

const MIRROR_CANDIDATES = ["/opt/tf-plugins", path.join(os.homedir(), ".terraform.d", "plugins")];

function holdsProvider(mirror: string): boolean {
  const dir = path.join(mirror, "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION);
  return fs.existsSync(dir);
}

/**
 * Finds terraform and the provider mirror (`REHEARSE_TF_MIRROR` overrides), or says what is missing: the
 * rehearsal cannot run without both.
 */
export function findTerraform(): TerraformEnv | { missing: string } {
  const terraform = process.env.REHEARSE_TERRAFORM ?? onPath("terraform");
  if (!terraform) return { missing: "terraform is not on PATH (or set REHEARSE_TERRAFORM)" };
  const mirrors = process.env.REHEARSE_TF_MIRROR ? [process.env.REHEARSE_TF_MIRROR] : MIRROR_CANDIDATES;
  const mirror = mirrors.find(holdsProvider);
  if (!mirror) {
    return {
      missing: `no filesystem mirror holds hashicorp/aws ${AWS_PROVIDER_VERSION} (looked in ${mirrors.join(", ")}; set REHEARSE_TF_MIRROR)`,
    };
  }
  const cacheDir =
    process.env.REHEARSE_CACHE_DIR ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "firehose-etl-rehearse");
  return { terraform, mirror, cacheDir };
}

export interface TerraformRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one terraform command in `dir` with a CLI config that installs providers from the mirror only. */
export function runTerraform(env: TerraformEnv, dir: string, args: string[]): Promise<TerraformRun> {
  const cliConfig = path.join(dir, ".terraformrc");
  if (!fs.existsSync(cliConfig)) {
    fs.writeFileSync(
      cliConfig,
      `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(env.mirror)}\n  }\n}\n`,
    );
  }
  return new Promise((resolve) => {
    execFile(
      env.terraform,
      args,
      {
        cwd: dir,
        maxBuffer: 256 * 1024 * 1024,
        env: {
          ...process.env,
          TF_CLI_CONFIG_FILE: cliConfig,
          TF_IN_AUTOMATION: "1",
          TF_INPUT: "0",
          CHECKPOINT_DISABLE: "1",
        },
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The `terraform { required_providers }` block every configuration of the rehearsal starts with. */
export const REQUIRED_PROVIDERS = {
  required_providers: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_VERSION } },
};

/** `terraform init` in `dir`, failing with terraform's own message. */
export async function initTerraform(env: TerraformEnv, dir: string): Promise<void> {
  const init = await runTerraform(env, dir, ["init", "-input=false", "-no-color", "-backend=false"]);
  if (init.code !== 0) throw new Error(`terraform init failed in ${dir}:\n${init.stderr || init.stdout}`);
}

/**
 * The AWS provider's schema, from the cache or from `terraform providers schema -json` (a few seconds, once
 * per machine). Delete the cache directory to regenerate it.
 */
export async function providerSchema(env: TerraformEnv): Promise<ProviderSchema> {
  const cached = path.join(env.cacheDir, `aws-${AWS_PROVIDER_VERSION}-schema.json`);
  if (!fs.existsSync(cached)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "firehose-etl-rehearse-schema-"));
    try {
      fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ terraform: REQUIRED_PROVIDERS }));
      await initTerraform(env, dir);
      const run = await runTerraform(env, dir, ["providers", "schema", "-json"]);
      if (run.code !== 0) throw new Error(`terraform providers schema failed:\n${run.stderr}`);
      const all = JSON.parse(run.stdout) as { provider_schemas: Record<string, ProviderSchema> };
      const aws = all.provider_schemas["registry.terraform.io/hashicorp/aws"];
      fs.mkdirSync(env.cacheDir, { recursive: true });
      // Written whole then renamed, so that a concurrent run never reads half a file.
      const partial = `${cached}.${process.pid}`;
      fs.writeFileSync(partial, JSON.stringify(aws));
      fs.renameSync(partial, cached);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return JSON.parse(fs.readFileSync(cached, "utf8")) as ProviderSchema;
}
