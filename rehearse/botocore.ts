// AWS's API models as botocore ships them (`botocore/data/<service>/<version>/service-2.json[.gz]`): the
// shapes, with the constraints (required members, min/max, enum, pattern) AWS validates requests against.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { gunzipSync } from "zlib";

export interface Shape {
  readonly type: string;
  readonly members?: Record<string, ShapeRef>;
  readonly required?: string[];
  readonly member?: ShapeRef;
  readonly key?: ShapeRef;
  readonly value?: ShapeRef;
  readonly min?: number;
  readonly max?: number;
  readonly enum?: string[];
  readonly pattern?: string;
  readonly flattened?: boolean;
}

export interface ShapeRef {
  readonly shape: string;
  readonly locationName?: string;
  readonly queryName?: string;
  readonly location?: string;
}

export interface ServiceModel {
  readonly metadata: {
    readonly protocol: string;
    readonly protocols?: string[];
    readonly signingName?: string;
    readonly endpointPrefix: string;
    readonly targetPrefix?: string;
    readonly serviceId: string;
  };
  readonly operations: Record<string, { readonly name: string; readonly input?: ShapeRef }>;
  readonly shapes: Record<string, Shape>;
}

/** Where botocore's data lives: `REHEARSE_BOTOCORE_DATA`, else asked of python3. */
export function findBotocoreData(): string | undefined {
  if (process.env.REHEARSE_BOTOCORE_DATA) return process.env.REHEARSE_BOTOCORE_DATA;
  try {
    const init = execFileSync("python3", ["-c", "import botocore; print(botocore.__file__)"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const data = path.join(path.dirname(init), "data");
    return fs.existsSync(data) ? data : undefined;
  } catch {
    return undefined;
  }
}

function readModel(file: string): ServiceModel {
  const bytes = fs.readFileSync(file);
  return JSON.parse((file.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8")) as ServiceModel;
}

/** The newest API version's model file of a service directory. */
function modelFileOf(serviceDir: string): string | undefined {
  const versions = fs
    .readdirSync(serviceDir)
    .filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(v))
    .sort();
  const latest = versions.at(-1);
  if (!latest) return undefined;
  return ["service-2.json", "service-2.json.gz"]
    .map((f) => path.join(serviceDir, latest, f))
    .find((f) => fs.existsSync(f));
}

interface IndexEntry {
  readonly file: string;
  readonly signingName: string;
  readonly targetPrefix?: string;
}

/**
 * Finds the model a request is for, by the signing name of its credential scope and, for the JSON protocol,
 * its `X-Amz-Target` prefix. The index of every model's metadata is cached next to the provider schema.
 */
export class ModelRegistry {
  private readonly loaded = new Map<string, ServiceModel>();
  private index?: IndexEntry[];

  constructor(
    private readonly dataDir: string,
    private readonly cacheDir: string,
  ) {}

  private entries(): IndexEntry[] {
    if (this.index) return this.index;
    const version = path.basename(path.dirname(this.dataDir)).replace(/\W/g, "") || "botocore";
    const stamp = fs.statSync(this.dataDir).mtimeMs.toFixed(0);
    const cached = path.join(this.cacheDir, `${version}-models-${stamp}.json`);
    if (fs.existsSync(cached))
      return (this.index = JSON.parse(fs.readFileSync(cached, "utf8")) as IndexEntry[]);
    const entries: IndexEntry[] = [];
    for (const service of fs.readdirSync(this.dataDir)) {
      const dir = path.join(this.dataDir, service);
      if (!fs.statSync(dir).isDirectory()) continue;
      const file = modelFileOf(dir);
      if (!file) continue;
      const { metadata } = readModel(file);
      entries.push({
        file,
        signingName: metadata.signingName ?? metadata.endpointPrefix,
        targetPrefix: metadata.targetPrefix,
      });
    }
    fs.mkdirSync(this.cacheDir, { recursive: true });
    fs.writeFileSync(cached, JSON.stringify(entries));
    return (this.index = entries);
  }

  private load(file: string): ServiceModel {
    let model = this.loaded.get(file);
    if (!model) this.loaded.set(file, (model = readModel(file)));
    return model;
  }

  /** The model that defines `operation` for `signingName` (and `targetPrefix`, when given). */
  find(signingName: string, operation: string, targetPrefix?: string): ServiceModel | undefined {
    return this.entries()
      .filter((e) => e.signingName === signingName && (!targetPrefix || e.targetPrefix === targetPrefix))
      .map((e) => this.load(e.file))
      .find((m) => m.operations[operation] !== undefined);
  }
}
