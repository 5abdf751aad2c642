// The parts of `terraform providers schema -json` the translation reads, and the naming rules of Pulumi's
// Terraform bridge that turn a Terraform name into the Pulumi input name (so the mapping is derived from the
// provider's schema, not written by hand).

/** A Terraform type expression: "string", ["list", "string"], ["object", {...}], ... */
export type TfType = string | [string, TfType | Record<string, TfType>];

export interface TfAttribute {
  readonly type?: TfType;
  /** Attributes of plugin-framework resources may nest attributes instead of blocks. */
  readonly nested_type?: { readonly attributes: Record<string, TfAttribute>; readonly nesting_mode: string };
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
}

export interface TfBlockType {
  readonly nesting_mode: "single" | "list" | "set" | "map" | "group";
  readonly block: TfBlock;
  readonly max_items?: number;
}

export interface TfBlock {
  readonly attributes?: Record<string, TfAttribute>;
  readonly block_types?: Record<string, TfBlockType>;
}

export interface ProviderSchema {
  readonly provider: { readonly block: TfBlock };
  readonly resource_schemas: Record<string, { readonly block: TfBlock }>;
}

/**
 * Pulumi inputs whose names the bridge sets by hand instead of deriving them (found by comparing the inputs
 * @pulumi/aws 7.x declares with the schema); tests/rehearse/schema.test.ts checks each against both.
 */
export const BRIDGE_RENAMES: Record<string, Record<string, string>> = {
  aws_lambda_function: { name: "function_name", code: "filename" },
  aws_cloudwatch_metric_alarm: { name: "alarm_name" },
  aws_sns_topic_subscription: { topic: "topic_arn" },
};

/** `extended_s3_configuration` → `extendedS3Configuration`. */
export function camelOf(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `firehoseDeliveryStream` → `firehose_delivery_stream`. */
export function snakeOf(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The bridge's plural of a list or set name (`rule` → `rules`, `policy` → `policies`). */
export function pluralOf(name: string): string {
  if (/[^aeiou]y$/.test(name)) return `${name.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(name)) return `${name}es`;
  return `${name}s`;
}

function isCollection(type: TfType | undefined): boolean {
  return Array.isArray(type) && (type[0] === "list" || type[0] === "set");
}

/** What a Pulumi input name stands for in a block: the Terraform name and whether it is a nested block. */
export interface SchemaField {
  readonly tfName: string;
  readonly attribute?: TfAttribute;
  readonly blockType?: TfBlockType;
}

/**
 * Pulumi input name → Terraform field, for one block: camelCase of the Terraform name, plus the plural for
 * collections the bridge pluralises (list blocks with more than one item, list and set attributes).
 */
export function fieldsOf(block: TfBlock, renames: Record<string, string> = {}): Map<string, SchemaField> {
  const fields = new Map<string, SchemaField>();
  for (const [tfName, attribute] of Object.entries(block.attributes ?? {})) {
    fields.set(camelOf(tfName), { tfName, attribute });
    if (isCollection(attribute.type)) fields.set(camelOf(pluralOf(tfName)), { tfName, attribute });
  }
  for (const [tfName, blockType] of Object.entries(block.block_types ?? {})) {
    fields.set(camelOf(tfName), { tfName, blockType });
    if (blockType.nesting_mode !== "single" && blockType.max_items !== 1) {
      fields.set(camelOf(pluralOf(tfName)), { tfName, blockType });
    }
  }
  for (const [pulumiName, tfName] of Object.entries(renames)) {
    const target = [...fields.values()].find((f) => f.tfName === tfName);
    if (target) fields.set(pulumiName, target);
  }
  return fields;
}

/**
 * The Terraform resource type of a Pulumi type token: `aws:kinesis/firehoseDeliveryStream:X` is
 * `aws_kinesis_firehose_delivery_stream`; EC2's module is not part of the name (`aws_security_group`).
 */
export function terraformTypeOf(token: string, schema: ProviderSchema): string | undefined {
  const match = /^aws:([a-zA-Z0-9]+)\/([a-zA-Z0-9]+):/.exec(token);
  if (!match) return undefined;
  const [, module, resource] = match;
  const candidates = [`aws_${module}_${snakeOf(resource)}`, `aws_${snakeOf(resource)}`];
  return candidates.find((c) => schema.resource_schemas[c] !== undefined);
}
