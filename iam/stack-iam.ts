// Everything IAM decides with, read from the resources an evaluated stack would create: each role with its trust
// policy, inline policies and attached policies, and the resource policies that also decide a request (bucket
// policies, KMS key policies, Secrets Manager secret policies, OpenSearch domain access policies).
import { StackResource } from "../offline/evaluate-stack";
import { PolicyDocument, parsePolicyDocument } from "./policy-document";

export interface NamedPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}

export interface StackRole {
  /** The Pulumi resource name, e.g. `events-role`: what messages call the role. */
  readonly resourceName: string;
  readonly arn: string;
  readonly trustPolicy: PolicyDocument;
  /** Inline policies (RolePolicy and `inlinePolicies`) and attached customer-managed policies. */
  readonly identityPolicies: NamedPolicy[];
}

export interface ResourcePolicy {
  /** The resource the policy is attached to; requests on it and on ARNs below it (`<arn>/...`) are decided with it. */
  readonly resourceArn: string;
  /** `BucketPolicy 'lake-tls-only'`: where the policy comes from. */
  readonly source: string;
  readonly document: PolicyDocument;
}

export interface StackIam {
  readonly account: string;
  readonly roles: StackRole[];
  readonly resourcePolicies: ResourcePolicy[];
}

const RESOURCE_TYPES = {
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  policy: "aws:iam/policy:Policy",
  bucket: "aws:s3/bucket:Bucket",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  key: "aws:kms/key:Key",
  keyPolicy: "aws:kms/keyPolicy:KeyPolicy",
  secretPolicy: "aws:secretsmanager/secretPolicy:SecretPolicy",
  domain: "aws:opensearch/domain:Domain",
  domainPolicy: "aws:opensearch/domainPolicy:DomainPolicy",
} as const;

/**
 * The key policy AWS gives a key created without one: the account may do anything with the key that its IAM
 * policies allow. Used for keys the stack does not create, so that only the caller's own policy decides.
 */
export function defaultKeyPolicy(account: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Enable IAM User Permissions",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  };
}

export function collectStackIam(resources: readonly StackResource[], account: string): StackIam {
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  const label = (r: StackResource) => `${r.type.split(":").pop()} '${r.name}'`;
  const documentOf = (r: StackResource, field: string) =>
    parsePolicyDocument(r.inputs[field], `${label(r)}.${field}`);

  const managedPolicies = new Map(ofType(RESOURCE_TYPES.policy).map((p) => [p.state.arn as string, p]));
  const attachedPolicy = (roleLabel: string, policyArn: string): NamedPolicy => {
    const policy = managedPolicies.get(policyArn);
    if (!policy) {
      throw new Error(
        `${roleLabel}: attached policy ${policyArn} is not created by the stack, so it cannot be simulated`,
      );
    }
    return { name: policy.state.name ?? policy.name, document: documentOf(policy, "policy") };
  };

  const roles = ofType(RESOURCE_TYPES.role).map((role): StackRole => {
    const names = [role.state.name, role.state.id, role.state.arn];
    const belongs = (r: StackResource) => names.includes(r.inputs.role);
    const inline = (role.inputs.inlinePolicies ?? []).map((p: { name: string; policy: string }) => ({
      name: p.name,
      document: parsePolicyDocument(p.policy, `${label(role)}.inlinePolicies.${p.name}`),
    }));
    const rolePolicies = ofType(RESOURCE_TYPES.rolePolicy)
      .filter(belongs)
      .map((p) => ({ name: p.name, document: documentOf(p, "policy") }));
    const attached = [
      ...(role.inputs.managedPolicyArns ?? []),
      ...ofType(RESOURCE_TYPES.rolePolicyAttachment)
        .filter(belongs)
        .map((a) => a.inputs.policyArn),
    ].map((arn: string) => attachedPolicy(label(role), arn));
    return {
      resourceName: role.name,
      arn: role.state.arn,
      trustPolicy: documentOf(role, "assumeRolePolicy"),
      identityPolicies: [...inline, ...rolePolicies, ...attached],
    };
  });

  return { account, roles, resourcePolicies: resourcePolicies(resources, account, label, documentOf) };
}

function resourcePolicies(
  resources: readonly StackResource[],
  account: string,
  label: (r: StackResource) => string,
  documentOf: (r: StackResource, field: string) => PolicyDocument,
): ResourcePolicy[] {
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  const arnOf = (type: string, matches: (r: StackResource) => boolean, from: StackResource): string => {
    const target = ofType(type).find(matches);
    if (!target) throw new Error(`${label(from)}: no ${type} in the stack matches it`);
    return target.state.arn;
  };
  const policies: ResourcePolicy[] = [];
  for (const r of ofType(RESOURCE_TYPES.bucketPolicy)) {
    const bucketArn = arnOf(
      RESOURCE_TYPES.bucket,
      (b) => [b.state.bucket, b.state.id].includes(r.inputs.bucket),
      r,
    );
    policies.push({ resourceArn: bucketArn, source: label(r), document: documentOf(r, "policy") });
  }
  const keyPolicies = ofType(RESOURCE_TYPES.keyPolicy);
  for (const key of ofType(RESOURCE_TYPES.key)) {
    const separate = keyPolicies.find((p) => [key.state.keyId, key.state.arn].includes(p.inputs.keyId));
    const source = separate ?? (key.inputs.policy ? key : undefined);
    policies.push({
      resourceArn: key.state.arn,
      source: source ? label(source) : `${label(key)} (default key policy)`,
      document: source ? documentOf(source, "policy") : defaultKeyPolicy(account),
    });
  }
  for (const r of ofType(RESOURCE_TYPES.secretPolicy)) {
    policies.push({ resourceArn: r.inputs.secretArn, source: label(r), document: documentOf(r, "policy") });
  }
  // A separate DomainPolicy replaces the domain's own `accessPolicies`, as a KeyPolicy replaces a key's policy.
  const domainPolicies = ofType(RESOURCE_TYPES.domainPolicy);
  for (const domain of ofType(RESOURCE_TYPES.domain)) {
    const separate = domainPolicies.find((p) => p.inputs.domainName === domain.state.domainName);
    const source = separate ?? (domain.inputs.accessPolicies ? domain : undefined);
    if (source) {
      policies.push({
        resourceArn: domain.state.arn,
        source: label(source),
        document: documentOf(source, "accessPolicies"),
      });
    }
  }
  const unmatched = domainPolicies.find((p) => !policies.some((q) => q.source === label(p)));
  if (unmatched) {
    throw new Error(
      `${label(unmatched)}: no OpenSearch domain of the stack is named ${unmatched.inputs.domainName}`,
    );
  }
  return policies;
}

/** The resource policy that decides requests on `resourceArn` (an object of a bucket, a path of a domain). */
export function resourcePolicyFor(stack: StackIam, resourceArn: string): ResourcePolicy | undefined {
  return stack.resourcePolicies.find(
    (p) => resourceArn === p.resourceArn || resourceArn.startsWith(`${p.resourceArn}/`),
  );
}

export function roleNamed(stack: StackIam, resourceName: string): StackRole {
  const role = stack.roles.find((r) => r.resourceName === resourceName);
  if (!role) {
    const known = stack.roles.map((r) => r.resourceName).join(", ");
    throw new Error(`no role '${resourceName}' in the stack (roles: ${known})`);
  }
  return role;
}
