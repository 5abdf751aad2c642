// Where a stack's IAM policy documents sit in resource inputs, read into statements with every one-or-many
// element made a list. (The pack is deployed on its own, so it reads documents itself rather than through the
// test harness in iam/.)
import { StackResource } from "../lib/run-rule";
import { InputValue, isUnknown, UnknownValue } from "../lib/unknown-values";

/** The inputs that hold a policy document, by resource type (role inline policies are found separately). */
const DOCUMENT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  "aws:iam/role:Role": ["assumeRolePolicy"],
  "aws:iam/rolePolicy:RolePolicy": ["policy"],
  "aws:iam/policy:Policy": ["policy"],
  "aws:iam/userPolicy:UserPolicy": ["policy"],
  "aws:iam/groupPolicy:GroupPolicy": ["policy"],
  "aws:s3/bucketPolicy:BucketPolicy": ["policy"],
  "aws:kms/key:Key": ["policy"],
  "aws:kms/keyPolicy:KeyPolicy": ["policy"],
  "aws:secretsmanager/secret:Secret": ["policy"],
  "aws:secretsmanager/secretPolicy:SecretPolicy": ["policy"],
  "aws:opensearch/domain:Domain": ["accessPolicies"],
  "aws:opensearch/domainPolicy:DomainPolicy": ["accessPolicies"],
  "aws:sns/topic:Topic": ["policy"],
  "aws:sns/topicPolicy:TopicPolicy": ["policy"],
};

export interface PolicyStatement {
  /** The Sid in quotes, or the statement's position (`#2`). */
  readonly label: string;
  readonly effect: string;
  readonly actions: readonly string[];
  /** The statement uses NotAction: `actions` are the exceptions. */
  readonly notAction: boolean;
  readonly resources: readonly string[];
  readonly notResource: boolean;
  /** Every `Principal.Service` it names. */
  readonly services: readonly string[];
  /** Every key of its Condition block, across operators. */
  readonly conditionKeys: readonly string[];
}

/** One document of a resource: its statements, the unknown value it is made of at preview, or why it is unreadable. */
export type PolicyDocumentRead = { readonly resource: StackResource; readonly field: string } & (
  | { readonly statements: readonly PolicyStatement[] }
  | { readonly unknown: UnknownValue }
  | { readonly invalid: string }
);

/** Every policy document of `resource` (none for types that hold no policy). */
export function policyDocumentsOf(resource: StackResource): PolicyDocumentRead[] {
  const fields = (DOCUMENT_FIELDS[resource.type] ?? []).map((field) => ({
    field,
    value: resource.inputs[field],
  }));
  const inline = resource.type === "aws:iam/role:Role" ? inlinePolicies(resource.inputs.inlinePolicies) : [];
  return [...fields, ...inline]
    .filter((f): f is { field: string; value: InputValue } => f.value !== undefined && f.value !== null)
    .map(({ field, value }) => ({ resource, field, ...readDocument(value) }));
}

function inlinePolicies(value: InputValue | undefined): { field: string; value: InputValue | undefined }[] {
  if (!Array.isArray(value)) return [];
  return value.map((policy, index) => ({
    field: `inlinePolicies[${index}].policy`,
    value:
      typeof policy === "object" && policy !== null && !isUnknown(policy) && !Array.isArray(policy)
        ? policy.policy
        : policy,
  }));
}

type DocumentContent = { statements: PolicyStatement[] } | { unknown: UnknownValue } | { invalid: string };

function readDocument(value: InputValue): DocumentContent {
  if (isUnknown(value)) return { unknown: value };
  let document: unknown = value;
  if (typeof value === "string") {
    try {
      document = JSON.parse(value);
    } catch (error) {
      return { invalid: `is not JSON (${(error as Error).message})` };
    }
  }
  const unknown = firstUnknown(document);
  if (unknown) return { unknown };
  if (typeof document !== "object" || document === null || !("Statement" in document)) {
    return { invalid: "is not a policy document (it has no Statement)" };
  }
  const statements = listOf((document as { Statement: unknown }).Statement);
  return { statements: statements.map((s, index) => statementOf(s, index)) };
}

function statementOf(value: unknown, index: number): PolicyStatement {
  const s = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const principal = s.Principal;
  return {
    label: typeof s.Sid === "string" && s.Sid !== "" ? `"${s.Sid}"` : `#${index + 1}`,
    effect: String(s.Effect),
    actions: strings(s.NotAction ?? s.Action),
    notAction: s.NotAction !== undefined,
    resources: strings(s.NotResource ?? s.Resource),
    notResource: s.NotResource !== undefined,
    services:
      typeof principal === "object" && principal !== null
        ? strings((principal as Record<string, unknown>).Service)
        : [],
    conditionKeys: Object.values((s.Condition ?? {}) as Record<string, unknown>).flatMap((block) =>
      typeof block === "object" && block !== null ? Object.keys(block) : [],
    ),
  };
}

function strings(value: unknown): string[] {
  return listOf(value).filter((item): item is string => typeof item === "string");
}

function listOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The first unknown value inside a document given as an object (a string document is known or unknown whole). */
function firstUnknown(value: unknown): UnknownValue | undefined {
  if (isUnknown(value)) return value;
  if (typeof value !== "object" || value === null) return undefined;
  for (const item of Object.values(value)) {
    const found = firstUnknown(item);
    if (found) return found;
  }
  return undefined;
}
