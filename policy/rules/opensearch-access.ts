// An OpenSearch domain is reachable only from its VPC or through a restrictive access policy, and only over
// HTTPS with a TLS 1.2 policy. The access policy is the domain's `accessPolicies` or a separate
// aws.opensearch.DomainPolicy, which is joined to its domain through the stack.
import { booleanAt, objectAt, stringAt, stringsAt, valueAt } from "../lib/fields";
import { Finding, skipped, violation } from "../lib/findings";
import { resourceLabel, StackResource } from "../lib/run-rule";
import { InputObject, isUnknown, UnknownValue } from "../lib/unknown-values";
import { openStatements } from "./access-policy";

export const DOMAIN_TYPE = "aws:opensearch/domain:Domain";
export const DOMAIN_POLICY_TYPE = "aws:opensearch/domainPolicy:DomainPolicy";

export interface OpenSearchAccessConfig {
  readonly allowedTlsPolicies: readonly string[];
  /** Require VPC access even when the access policy is restrictive. */
  readonly requireVpc: boolean;
}

export function checkOpenSearchDomainAccess(inputs: InputObject, config: OpenSearchAccessConfig): Finding[] {
  return [...checkReach(inputs, config), ...checkTransport(inputs, config)];
}

/** Whether the domain is in a VPC: subnets given (or still to be created), not a public endpoint. */
function inVpc(inputs: InputObject): boolean | UnknownValue {
  const vpc = objectAt(inputs, "vpcOptions");
  if (isUnknown(vpc)) {
    return vpc;
  }
  const subnets = stringsAt(vpc, "subnetIds");
  // A VPC configuration whose subnets are not created yet: the domain is in a VPC.
  return isUnknown(subnets) || (subnets !== undefined && subnets.length > 0);
}

function checkReach(inputs: InputObject, config: OpenSearchAccessConfig): Finding[] {
  const vpc = inVpc(inputs);
  if (isUnknown(vpc)) {
    return [skipped(vpc, "the domain is in a VPC or restricts its access policy")];
  }
  if (vpc) {
    return [];
  }
  if (config.requireVpc) {
    return [
      violation("vpcOptions.subnetIds is not set, so the domain has a public endpoint: put it in a VPC"),
    ];
  }
  const document = valueAt(inputs, "accessPolicies");
  if (isUnknown(document)) {
    return [skipped(document, "the access policy of a public domain allows no anonymous access")];
  }
  if (document === undefined) {
    return [];
  }
  // Unknown parts inside an object document (a role ARN) are never the anonymous principal "*".
  const result = openStatements(document);
  if (!result.ok) {
    return [violation(`accessPolicies ${result.error}: give a valid IAM policy document`)];
  }
  return result.open.length === 0
    ? []
    : [
        violation(
          `accessPolicies statement ${result.open.join(", ")} allows Principal "*" without a Condition on a ` +
            "domain outside a VPC, so anyone on the internet can reach it: put the domain in a VPC (vpcOptions) " +
            "or name the principals (the Firehose role) in the policy",
        ),
      ];
}

export interface DomainPolicyAccessConfig {
  /** Take a DomainPolicy's domain that another stack owns to be in a VPC. */
  readonly domainsOutsideStackInVpc: boolean;
}

/**
 * Each separate DomainPolicy, against its domain: found through the policy's `domainName` input (the domain's
 * output it came from, or the same name). A domain outside the stack is not known to be in a VPC, unless config
 * says so.
 */
export function checkOpenSearchDomainPolicies(
  resources: readonly StackResource[],
  config: DomainPolicyAccessConfig,
): Finding[] {
  const domains = resources.filter((r) => r.type === DOMAIN_TYPE);
  return resources
    .filter((r) => r.type === DOMAIN_POLICY_TYPE)
    .flatMap((policy): Finding[] => {
      const name = stringAt(policy.inputs, "domainName");
      // Stryker disable next-line ArrayDeclaration: a placeholder element never equals a domain's URN, as [] never does
      const from = policy.propertyDependencyUrns.domainName ?? [];
      const domain = domains.find(
        (d) =>
          from.includes(d.urn) || (typeof name === "string" && stringAt(d.inputs, "domainName") === name),
      );
      const vpc = domain === undefined ? config.domainsOutsideStackInVpc : inVpc(domain.inputs);
      if (isUnknown(vpc)) {
        return [skipped(vpc, "the domain of the DomainPolicy is in a VPC or the policy is restrictive")];
      }
      if (vpc) {
        return [];
      }
      const document = valueAt(policy.inputs, "accessPolicies");
      if (isUnknown(document)) {
        return [skipped(document, "the DomainPolicy of a public domain allows no anonymous access")];
      }
      const result = openStatements(document);
      const label = resourceLabel(policy);
      if (!result.ok) {
        return [
          violation(`${label}: accessPolicies ${result.error}: give a valid IAM policy document`, policy.urn),
        ];
      }
      const where =
        domain === undefined
          ? `its domain (${typeof name === "string" ? `'${name}'` : "unnamed"}) is not in this stack, so not known to be in a VPC`
          : `its domain ${resourceLabel(domain)} is outside a VPC`;
      return result.open.length === 0
        ? []
        : [
            violation(
              `${label}: accessPolicies statement ${result.open.join(", ")} allows Principal "*" without a ` +
                `Condition and ${where}, so anyone on the internet can reach the domain: put the domain in a ` +
                "VPC (vpcOptions) or name the principals (the Firehose role) in the policy",
              policy.urn,
            ),
          ];
    });
}

function checkTransport(inputs: InputObject, config: OpenSearchAccessConfig): Finding[] {
  const findings: Finding[] = [];
  const https = booleanAt(inputs, "domainEndpointOptions", "enforceHttps");
  if (isUnknown(https)) {
    findings.push(skipped(https, "HTTPS is enforced"));
  } else if (https !== true) {
    findings.push(
      violation(
        `domainEndpointOptions.enforceHttps is ${String(https ?? "not set")}: set it to true so clients ` +
          "cannot talk plain HTTP",
      ),
    );
  }
  const tls = stringAt(inputs, "domainEndpointOptions", "tlsSecurityPolicy");
  if (isUnknown(tls)) {
    findings.push(skipped(tls, "TLS policy is a TLS 1.2 one"));
  } else if (!config.allowedTlsPolicies.some((allowed) => allowed === tls)) {
    findings.push(
      violation(
        `domainEndpointOptions.tlsSecurityPolicy is ${tls === undefined ? "not set" : `"${tls}"`}: set it to ` +
          `one of ${config.allowedTlsPolicies.join(", ")}`,
      ),
    );
  }
  return findings;
}
