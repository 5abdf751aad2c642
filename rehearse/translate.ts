// Translates the resources a stack declares (as recorded under the mocks) into a Terraform JSON configuration
// for the upstream AWS provider, deriving every name from the provider's schema. Values that came from other
// resources become Terraform references, but only where Pulumi recorded that dependency, so that the graph
// stays Pulumi's (policy documents that name each other's ARNs would otherwise form cycles).
import { createHash } from "crypto";
import { StackResource } from "../offline/evaluate-stack";
import {
  BRIDGE_RENAMES,
  ProviderSchema,
  TfAttribute,
  TfBlock,
  TfType,
  camelOf,
  fieldsOf,
  terraformTypeOf,
} from "./schema";
import { vpcEquivalent } from "./vpc";
import { zipOfOneFile } from "./zip";

/** One resource of the generated configuration. */
export interface TerraformResource {
  readonly type: string;
  readonly label: string;
  readonly body: Record<string, unknown>;
  /** The Pulumi resource it stands for. */
  readonly source: StackResource;
}

export interface Translation {
  /** The `provider "aws"` settings of the stack (region, default tags), without the emulator's. */
  readonly provider: Record<string, unknown>;
  readonly resources: TerraformResource[];
  /** Declared resources with no Terraform equivalent here, and why. */
  readonly untranslated: { readonly resource: StackResource; readonly reason: string }[];
  /** Files the configuration names (the Lambda code), by file name. */
  readonly files: Record<string, Buffer>;
}

/** A value a resource exposes (in the mock's state) and the Terraform expression for it. */
interface Ref {
  readonly value: string;
  readonly expr: string;
}

export class TranslationError extends Error {}

/** Resource types that are grouping only: Pulumi components and provider resources. */
export function isCloudResource(type: string): boolean {
  return !type.startsWith("pulumi:providers:") && type.includes("/");
}

const AWSX_VPC = "awsx:ec2:Vpc";

/** Pulumi's wire signatures for secrets and archives (see @pulumi/pulumi/runtime/rpc). */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isArchive(value: Json): boolean {
  return isObject(value) && (value.__pulumiArchive === true || Object.values(value).includes(ARCHIVE_SIG));
}

/** The value inside Pulumi's secret wrappers. */
function unwrapSecrets(value: Json): Json {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (!isObject(value)) return value;
  if (Object.values(value).includes(SECRET_SIG) && "value" in value) return unwrapSecrets(value.value);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
}

/** Terraform would interpolate `${` and `%{` in a literal string. */
function escapeTemplate(text: string): string {
  return text.replace(/([$%])\{/g, (_, sign: string) => `${sign}${sign}{`);
}

/** Only ids this long (or ARNs) are replaced inside longer strings; short names are replaced only whole. */
const MIN_EMBEDDED_LENGTH = 20;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A literal string with each value of `refs` replaced by its reference, everything else escaped. */
export function withReferences(text: string, refs: Ref[]): string {
  const whole = refs.find((r) => r.value === text);
  if (whole) return `\${${whole.expr}}`;
  const embedded = refs
    .filter((r) => r.value.startsWith("arn:") || r.value.length >= MIN_EMBEDDED_LENGTH)
    .sort((a, b) => b.value.length - a.value.length);
  if (embedded.length === 0) return escapeTemplate(text);
  const pattern = new RegExp(embedded.map((r) => escapeRegExp(r.value)).join("|"), "g");
  let out = "";
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    out +=
      escapeTemplate(text.slice(last, match.index)) +
      `\${${embedded.find((r) => r.value === match[0])!.expr}}`;
    last = match.index + match[0].length;
  }
  return out + escapeTemplate(text.slice(last));
}

function substitute(value: Json, refs: Ref[]): Json {
  if (typeof value === "string") return withReferences(value, refs);
  if (Array.isArray(value)) return value.map((v) => substitute(v, refs));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, refs)]));
  return value;
}

/** A Terraform label from a Pulumi name: letters, digits, `_` and `-`, not starting with a digit. */
function labelOf(name: string): string {
  const label = name.replace(/[^A-Za-z0-9_-]/g, "_");
  return /^[A-Za-z_]/.test(label) ? label : `r_${label}`;
}

class Converter {
  constructor(
    private readonly where: string,
    private readonly files: Record<string, Buffer>,
  ) {}

  block(
    block: TfBlock,
    value: Json,
    path: string,
    renames: Record<string, string> = {},
  ): Record<string, Json> {
    if (!isObject(value))
      throw new TranslationError(`${this.where}: ${path} should be an object, got ${JSON.stringify(value)}`);
    const fields = fieldsOf(block, renames);
    const body: Record<string, Json> = {};
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined || v === null) continue;
      const field = fields.get(key);
      const at = path ? `${path}.${key}` : key;
      if (!field)
        throw new TranslationError(`${this.where}: no field of the provider's schema matches input ${at}`);
      if (field.blockType) {
        const items = (Array.isArray(v) ? v : [v]).map((item, i) =>
          this.block(field.blockType!.block, item, `${at}[${i}]`),
        );
        body[field.tfName] = field.blockType.nesting_mode === "single" ? items[0] : items;
      } else {
        body[field.tfName] = this.attribute(field.attribute!, v, at);
      }
    }
    return body;
  }

  private attribute(attribute: TfAttribute, value: Json, path: string): Json {
    if (attribute.nested_type) {
      const nested = { attributes: attribute.nested_type.attributes };
      if (attribute.nested_type.nesting_mode === "single") return this.block(nested, value, path);
      return (Array.isArray(value) ? value : [value]).map((item, i) =>
        this.block(nested, item, `${path}[${i}]`),
      );
    }
    return this.typed(attribute.type ?? "dynamic", value, path);
  }

  private typed(type: TfType, value: Json, path: string): Json {
    if (isArchive(value)) {
      const file = `${labelOf(path)}-${Object.keys(this.files).length}.zip`;
      this.files[file] = zipOfOneFile("index.js", "exports.handler = async (event) => event;\n");
      return file;
    }
    if (!Array.isArray(type)) return value;
    const [kind, inner] = type;
    if ((kind === "list" || kind === "set") && Array.isArray(value)) {
      return value.map((v, i) => this.typed(inner as TfType, v, `${path}[${i}]`));
    }
    if (kind === "map" && isObject(value)) {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, this.typed(inner as TfType, v, `${path}.${k}`)]),
      );
    }
    if (kind === "object" && isObject(value)) {
      const members = inner as Record<string, TfType>;
      const byCamel = new Map(Object.keys(members).map((m) => [camelOf(m), m]));
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => {
          const member = byCamel.get(k);
          if (!member) throw new TranslationError(`${this.where}: no member of ${path} matches ${k}`);
          return [member, this.typed(members[member], v, `${path}.${k}`)];
        }),
      );
    }
    return value;
  }
}

/** Inputs Pulumi auto-names even where the provider would not require them. */
const AUTONAMED = new Set(["name", "bucket"]);

/** The Pulumi-style physical name for inputs Pulumi would auto-name (the mocks do not). */
function autoName(resource: StackResource): string {
  return `${resource.name}-${createHash("sha256").update(resource.urn).digest("hex").slice(0, 7)}`;
}

/** The provider block of the stack's explicit AWS provider (its inputs are JSON strings on the wire). */
function providerOf(resources: StackResource[], region: string): Record<string, unknown> {
  const provider = resources.find((r) => r.type === "pulumi:providers:aws");
  const provider_: Record<string, unknown> = { region: provider?.inputs.region ?? region };
  const tags = provider?.inputs.defaultTags;
  if (tags) provider_.default_tags = [typeof tags === "string" ? JSON.parse(tags) : tags];
  return provider_;
}

export function translateStack(
  resources: StackResource[],
  ids: Map<string, string>,
  schema: ProviderSchema,
  region: string,
): Translation {
  const out: TerraformResource[] = [];
  const untranslated: Translation["untranslated"] = [];
  const files: Record<string, Buffer> = {};
  const refsOf = new Map<string, Ref[]>();
  const addressesOf = new Map<string, string[]>();
  const order = new Map(resources.map((r, i) => [r.urn, i]));
  const labels = new Set<string>();
  const uniqueLabel = (type: string, name: string) => {
    let label = labelOf(name);
    for (let n = 2; labels.has(`${type}.${label}`); n++) label = `${labelOf(name)}_${n}`;
    labels.add(`${type}.${label}`);
    return label;
  };
  /** The addresses a dependency on `urn` stands for: its own, or those of a component's children recorded before. */
  const addressesFor = (urn: string, before: number): string[] =>
    addressesOf.get(urn) ??
    resources
      .filter((r) => r.parent === urn && (order.get(r.urn) ?? Infinity) < before)
      .flatMap((r) => addressesFor(r.urn, before));

  resources.forEach((resource, index) => {
    if (!isCloudResource(resource.type)) return;
    const dependsOn = [...new Set(resource.dependencies.flatMap((urn) => addressesFor(urn, index)))];
    if (resource.type === AWSX_VPC) {
      const { parts, refs } = vpcEquivalent(resource, uniqueLabel("aws_vpc", resource.name), region);
      parts.forEach((p) => out.push({ ...p, source: resource }));
      refsOf.set(resource.urn, refs);
      addressesOf.set(
        resource.urn,
        parts.map((p) => `${p.type}.${p.label}`),
      );
      return;
    }
    const type = terraformTypeOf(resource.type, schema);
    if (!type) {
      untranslated.push({
        resource,
        reason: resource.type.startsWith("random:")
          ? "the random provider is not in the mirror: its mock value is used as a literal"
          : "no resource of the AWS provider corresponds to this type",
      });
      return;
    }
    const block = schema.resource_schemas[type].block;
    const renames = BRIDGE_RENAMES[type] ?? {};
    const where = `${resource.type} ${resource.name}`;
    const inputs: Record<string, Json> = {};
    for (const [key, value] of Object.entries(resource.inputs)) {
      // Only resources translated so far (recorded earlier) have refs: the graph stays acyclic.
      const refs = (resource.propertyDependencies[key] ?? []).flatMap((urn) => refsOf.get(urn) ?? []);
      inputs[key] = substitute(unwrapSecrets(value), refs);
    }
    const fields = fieldsOf(block, renames);
    // Pulumi fills auto-named inputs in the provider, which the mocks skip: use the mock's value as Pulumi would.
    for (const [key, field] of fields) {
      if (inputs[key] !== undefined || !field.attribute) continue;
      if (!field.attribute.required && !AUTONAMED.has(key)) continue;
      if (typeof resource.state[key] === "string") inputs[key] = resource.state[key];
      else if (field.attribute.required && key === "name") inputs[key] = autoName(resource);
    }
    const body = new Converter(where, files).block(block, inputs, "", renames);
    if (dependsOn.length > 0) body.depends_on = dependsOn;
    const label = uniqueLabel(type, resource.name);
    out.push({ type, label, body, source: resource });
    const address = `${type}.${label}`;
    addressesOf.set(resource.urn, [address]);
    const refs: Ref[] = [];
    const id = ids.get(resource.urn);
    if (id) refs.push({ value: id, expr: `${address}.id` });
    for (const [key, value] of Object.entries(resource.state)) {
      const field = fields.get(key);
      if (typeof value === "string" && value !== "" && field?.attribute)
        refs.push({ value, expr: `${address}.${field.tfName}` });
    }
    refsOf.set(resource.urn, refs);
  });
  return { provider: providerOf(resources, region), resources: out, untranslated, files };
}

/** The Terraform JSON configuration of a translation, with extra provider settings and resource options. */
export function configurationOf(
  translation: Translation,
  provider: Record<string, unknown>,
  terraform: Record<string, unknown>,
): Record<string, unknown> {
  const resource: Record<string, Record<string, unknown>> = {};
  for (const r of translation.resources) (resource[r.type] ??= {})[r.label] = r.body;
  return { terraform, provider: { aws: { ...translation.provider, ...provider } }, resource };
}
