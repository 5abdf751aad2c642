// Wildcard actions and resources in the policies of data-plane roles: roles a service assumes to move data
// (Firehose delivery roles, the transform's Lambda role). Such a role should name what its service calls, on the
// resources the stack made. Advisory: some AWS actions cannot be scoped at all, and those are let through.
import { Finding, skipped, violation } from "../lib/findings";
import { StackResource, resourceLabel } from "../lib/run-rule";
import { IamCatalogue } from "./catalogue";
import { PolicyDocumentRead, PolicyStatement, policyDocumentsOf } from "./policy-documents";
import { isWideResource } from "./resource-breadth";
import { globOf } from "./unknown-names";

export interface DataPlaneWildcardsConfig {
  /** Service principals whose roles are data-plane roles. */
  readonly dataPlaneServices: string[];
  /** Resource patterns accepted although they hold a wildcard (IAM's `*` and `?`), e.g. ENIs not yet created. */
  readonly allowedResourcePatterns: string[];
}

const ROLE = "aws:iam/role:Role";
/** Resources that attach an identity policy to a role, and the input that names the role. */
const ATTACHED_TO_ROLE: Readonly<Record<string, string>> = {
  "aws:iam/rolePolicy:RolePolicy": "role",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "role",
};

export function dataPlaneWildcards(
  resources: readonly StackResource[],
  config: DataPlaneWildcardsConfig,
  catalogue: IamCatalogue,
): Finding[] {
  return resources
    .filter((r) => r.type === ROLE)
    .flatMap((role) => {
      const [trust] = policyDocumentsOf(role).filter((d) => d.field === "assumeRolePolicy");
      if (!trust) return [];
      if ("unknown" in trust)
        return [skipped(trust.unknown, "wildcards in the policies of data-plane roles")];
      if (!("statements" in trust)) return [];
      const services = trust.statements
        .filter((s) => s.effect === "Allow")
        .flatMap((s) => s.services)
        .filter((service) => config.dataPlaneServices.includes(service));
      if (services.length === 0) return [];
      const assumedBy = `data-plane role '${role.name}', assumed by ${[...new Set(services)].join(", ")}`;
      return identityDocumentsOf(role, resources).flatMap((document) =>
        wildcardFindings(document, assumedBy, config, catalogue),
      );
    });
}

/** The role's inline policies and the policies attached to it, linked by input value or by dependency. */
function identityDocumentsOf(role: StackResource, resources: readonly StackResource[]): PolicyDocumentRead[] {
  const roleName = role.inputs.name;
  const linked = (r: StackResource, input: string) =>
    (r.propertyDependencyUrns[input] ?? []).includes(role.urn) ||
    (typeof roleName === "string" && r.inputs[input] === roleName);
  const attachments = resources.filter(
    (r) => ATTACHED_TO_ROLE[r.type] && linked(r, ATTACHED_TO_ROLE[r.type]),
  );
  const attachedPolicies = resources.filter(
    (policy) =>
      policy.type === "aws:iam/policy:Policy" &&
      attachments.some((a) => (a.propertyDependencyUrns.policyArn ?? []).includes(policy.urn)),
  );
  return [role, ...attachments, ...attachedPolicies]
    .flatMap(policyDocumentsOf)
    .filter((d) => d.field !== "assumeRolePolicy");
}

function wildcardFindings(
  document: PolicyDocumentRead,
  assumedBy: string,
  config: DataPlaneWildcardsConfig,
  catalogue: IamCatalogue,
): Finding[] {
  if ("unknown" in document)
    return [skipped(document.unknown, "wildcards in the policies of data-plane roles")];
  if (!("statements" in document)) return [];
  const where = `${resourceLabel(document.resource)} (${document.field} of ${assumedBy})`;
  return document.statements
    .filter((s) => s.effect === "Allow")
    .flatMap((s) => [...wideActions(s), ...wideResources(s, config, catalogue)])
    .map((problem) => violation(`${where}: ${problem}`, document.resource.urn));
}

function wideActions(statement: PolicyStatement): string[] {
  if (statement.notAction) {
    return [
      `statement ${statement.label} allows every action but ${statement.actions.join(", ")}; name the actions`,
    ];
  }
  const wild = statement.actions.filter((a) => /[*?]/.test(a));
  return wild.length > 0
    ? [`statement ${statement.label} allows ${wild.join(", ")}; name the actions the service calls`]
    : [];
}

function wideResources(
  statement: PolicyStatement,
  config: DataPlaneWildcardsConfig,
  catalogue: IamCatalogue,
): string[] {
  if (statement.notResource) {
    return [
      `statement ${statement.label} applies to every resource but ${statement.resources.join(", ")}; name them`,
    ];
  }
  const allowed = config.allowedResourcePatterns.map(globOf);
  const wide = statement.resources.filter(
    (resource) =>
      isWideResource(resource, catalogue) &&
      !allowed.some((pattern) => pattern.test(resource)) &&
      !(resource === "*" && statement.actions.every((action) => isWildcardOnly(action, catalogue))),
  );
  return wide.length > 0
    ? [`statement ${statement.label} grants on ${wide.join(", ")}; name the resources the stack made`]
    : [];
}

/** An action that supports no resource-level permissions, so `"Resource": "*"` is the only valid resource. */
function isWildcardOnly(action: string, catalogue: IamCatalogue): boolean {
  const [prefix, name = ""] = action.split(":");
  return catalogue.services.get(prefix.toLowerCase())?.actions.get(name.toLowerCase())?.wildcardOnly === true;
}
