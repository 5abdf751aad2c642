// An OpenSearch domain is reachable only from its VPC or through a restrictive access policy, and only over
// HTTPS with a TLS 1.2 policy. (A separate aws.opensearch.DomainPolicy is not joined to its domain here.)
import { booleanAt, objectAt, stringAt, stringsAt, valueAt } from "../lib/fields";
import { Finding, skipped, violation } from "../lib/findings";
import { InputObject, isUnknown } from "../lib/unknown-values";
import { openStatements } from "./access-policy";

export interface OpenSearchAccessConfig {
  readonly allowedTlsPolicies: readonly string[];
  /** Require VPC access even when the access policy is restrictive. */
  readonly requireVpc: boolean;
}

export function checkOpenSearchDomainAccess(inputs: InputObject, config: OpenSearchAccessConfig): Finding[] {
  return [...checkReach(inputs, config), ...checkTransport(inputs, config)];
}

function checkReach(inputs: InputObject, config: OpenSearchAccessConfig): Finding[] {
  const vpc = objectAt(inputs, "vpcOptions");
  if (isUnknown(vpc)) {
    return [skipped(vpc, "the domain is in a VPC or restricts its access policy")];
  }
  const subnets = stringsAt(vpc, "subnetIds");
  if (isUnknown(subnets)) {
    // A VPC configuration whose subnets are not created yet: the domain is in a VPC.
    return [];
  }
  if (subnets !== undefined && subnets.length > 0) {
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
  } else if (tls === undefined || !config.allowedTlsPolicies.includes(tls)) {
    findings.push(
      violation(
        `domainEndpointOptions.tlsSecurityPolicy is ${tls === undefined ? "not set" : `"${tls}"`}: set it to ` +
          `one of ${config.allowedTlsPolicies.join(", ")}`,
      ),
    );
  }
  return findings;
}
