// Checks an API request against its operation's input shape as AWS does before it acts: required members,
// min/max (lengths, sizes, values), enums and patterns, plus the few constraints AWS documents but its model
// does not carry. Messages use AWS's own wording ("Value '200' at '...' failed to satisfy constraint: ...").
import { AWS_TEXT, TextRule } from "../config/aws-text";
import { ServiceModel, Shape, ShapeRef } from "./botocore";

/** A wire value parsed to JSON: strings for every scalar of the query protocols. */
type Value = unknown;

/** Constraints AWS documents and enforces that botocore's model lacks, by `<service id>:<shape>.<member>`. */
const DOCUMENTED: Record<string, TextRule> = {
  "EC2:IpRange.Description": AWS_TEXT.ipRangeRuleDescription,
  "EC2:Ipv6Range.Description": AWS_TEXT.ipRangeRuleDescription,
  "EC2:PrefixListId.Description": AWS_TEXT.ipRangeRuleDescription,
  "EC2:UserIdGroupPair.Description": AWS_TEXT.securityGroupRuleDescription,
  "EC2:SecurityGroupRuleRequest.Description": AWS_TEXT.securityGroupRuleDescription,
  "EC2:CreateSecurityGroupRequest.Description": AWS_TEXT.securityGroupDescription,
};

function compile(pattern: string): RegExp | undefined {
  for (const flags of ["u", ""]) {
    try {
      // AWS matches a model's pattern against the whole value (a name with a space fails `[a-zA-Z0-9_.-]+`).
      return new RegExp(`^(?:${pattern})$`, flags);
    } catch {
      // Some models use Java-only syntax; try without the Unicode flag, then give up on the pattern.
    }
  }
  return undefined;
}

function show(value: Value): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export class RequestChecker {
  readonly problems: string[] = [];
  private readonly patterns = new Map<string, RegExp | undefined>();

  constructor(private readonly model: ServiceModel) {}

  private fail(value: Value, path: string, constraint: string): void {
    this.problems.push(`Value '${show(value)}' at '${path}' failed to satisfy constraint: ${constraint}`);
  }

  check(shapeName: string, value: Value, path: string): void {
    const shape = this.model.shapes[shapeName];
    if (!shape || value === undefined || value === null) return;
    switch (shape.type) {
      case "structure":
        return this.structure(shapeName, shape, value, path);
      case "list":
        if (!Array.isArray(value)) return;
        this.size(shape, value.length, value, path, "length");
        value.forEach((item, i) => this.check(shape.member!.shape, item, `${path}.${i + 1}`));
        return;
      case "map":
        if (typeof value !== "object") return;
        this.size(shape, Object.keys(value as object).length, value, path, "length");
        for (const [k, v] of Object.entries(value as object)) {
          this.check(shape.key!.shape, k, `${path}.${k}(key)`);
          this.check(shape.value!.shape, v, `${path}.${k}`);
        }
        return;
      case "string":
        return this.string(shape, String(value), path);
      case "integer":
      case "long":
      case "float":
      case "double":
        return this.size(shape, Number(value), value, path, "value");
      default:
        return;
    }
  }

  private structure(name: string, shape: Shape, value: Value, path: string): void {
    if (typeof value !== "object" || Array.isArray(value)) return;
    const fields = value as Record<string, Value>;
    for (const member of shape.required ?? []) {
      if (fields[member] === undefined) {
        this.fail("null", path ? `${path}.${member}` : member, "Member must not be null");
      }
    }
    for (const [member, ref] of Object.entries(shape.members ?? {})) {
      const at = path ? `${path}.${member}` : member;
      this.check(ref.shape, fields[member], at);
      const documented = DOCUMENTED[`${this.model.metadata.serviceId}:${name}.${member}`];
      const text = fields[member];
      if (documented && typeof text === "string") {
        if (!documented.pattern.test(text)) {
          this.fail(text, at, `Member must contain only ${documented.allowed}`);
        }
        if ([...text].length > documented.max) {
          this.fail(text, at, `Member must have length less than or equal to ${documented.max}`);
        }
      }
    }
  }

  private string(shape: Shape, text: string, path: string): void {
    this.size(shape, [...text].length, text, path, "length");
    if (shape.enum && !shape.enum.includes(text)) {
      this.fail(text, path, `Member must satisfy enum value set: [${shape.enum.join(", ")}]`);
    }
    if (shape.pattern) {
      if (!this.patterns.has(shape.pattern)) this.patterns.set(shape.pattern, compile(shape.pattern));
      const regex = this.patterns.get(shape.pattern);
      if (regex && !regex.test(text)) {
        this.fail(text, path, `Member must satisfy regular expression pattern: ${shape.pattern}`);
      }
    }
  }

  private size(shape: Shape, n: number, value: Value, path: string, what: "length" | "value"): void {
    if (shape.min !== undefined && n < shape.min) {
      this.fail(value, path, `Member must have ${what} greater than or equal to ${shape.min}`);
    }
    if (shape.max !== undefined && n > shape.max) {
      this.fail(value, path, `Member must have ${what} less than or equal to ${shape.max}`);
    }
  }
}

/** The constraint violations of one request's input, in AWS's wording (empty when valid). */
export function checkInput(model: ServiceModel, operation: string, input: Value): string[] {
  const ref = model.operations[operation]?.input;
  if (!ref) return [];
  const checker = new RequestChecker(model);
  checker.check(ref.shape, input ?? {}, "");
  return checker.problems;
}

/** The name a member has on the wire in the query protocols (`ec2` capitalises `locationName`). */
function wireName(member: string, ref: ShapeRef, protocol: string): string {
  if (protocol === "ec2") {
    if (ref.queryName) return ref.queryName;
    if (ref.locationName) return ref.locationName[0].toUpperCase() + ref.locationName.slice(1);
    return member;
  }
  return ref.locationName ?? member;
}

/**
 * The input of a query or ec2 protocol request (`Tags.member.1.Key=...`, `IpPermissions.1.IpRanges.1.CidrIp=...`)
 * as a JSON value shaped like the operation's input, scalars as strings.
 */
export function fromQuery(model: ServiceModel, operation: string, params: URLSearchParams): Value {
  const protocol = model.metadata.protocol;
  const keys = [...params.keys()];
  const present = (prefix: string) => keys.some((k) => k === prefix || k.startsWith(`${prefix}.`));
  const read = (ref: ShapeRef, prefix: string): Value => {
    if (!present(prefix)) return undefined;
    const shape = model.shapes[ref.shape];
    switch (shape?.type) {
      case "structure": {
        const out: Record<string, Value> = {};
        for (const [member, memberRef] of Object.entries(shape.members ?? {})) {
          const v = read(memberRef, `${prefix}.${wireName(member, memberRef, protocol)}`);
          if (v !== undefined) out[member] = v;
        }
        return out;
      }
      case "list": {
        const flat = protocol === "ec2" || shape.flattened;
        const itemPrefix = flat ? prefix : `${prefix}.${shape.member?.locationName ?? "member"}`;
        const items: Value[] = [];
        for (let i = 1; present(`${itemPrefix}.${i}`); i++)
          items.push(read(shape.member!, `${itemPrefix}.${i}`));
        return items;
      }
      case "map": {
        const out: Record<string, Value> = {};
        const entry = shape.flattened ? prefix : `${prefix}.entry`;
        for (let i = 1; present(`${entry}.${i}`); i++) {
          const key = params.get(`${entry}.${i}.${shape.key?.locationName ?? "key"}`);
          if (key !== null)
            out[key] = read(shape.value!, `${entry}.${i}.${shape.value?.locationName ?? "value"}`);
        }
        return out;
      }
      default:
        return params.get(prefix) ?? undefined;
    }
  };
  const ref = model.operations[operation]?.input;
  if (!ref) return {};
  const input: Record<string, Value> = {};
  for (const [member, memberRef] of Object.entries(model.shapes[ref.shape]?.members ?? {})) {
    const v = read(memberRef, wireName(member, memberRef, protocol));
    if (v !== undefined) input[member] = v;
  }
  return input;
}
