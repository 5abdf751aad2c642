// Firehose reaches Redshift over its public endpoint, so the warehouse's security group must admit Firehose's
// regional CIDR on the Redshift port, and nothing as wide as 0.0.0.0/0 or ::/0. Ingress is declared inline on a
// security group or as separate rule resources; the ports come from config and from the stack's warehouses.
import { arrayAt, numberAt, stringAt, stringsAt } from "../lib/fields";
import { Finding, skipped, violation } from "../lib/findings";
import { resourceLabel, StackResource } from "../lib/run-rule";
import { InputValue, isUnknown, UnknownValue } from "../lib/unknown-values";

export const SECURITY_GROUP_TYPE = "aws:ec2/securityGroup:SecurityGroup";
export const INGRESS_RULE_TYPE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const SECURITY_GROUP_RULE_TYPE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const WAREHOUSE_TYPES = ["aws:redshift/cluster:Cluster", "aws:redshiftserverless/workgroup:Workgroup"];

export const WORLD_CIDRS = ["0.0.0.0/0", "::/0"];

export interface RedshiftIngressConfig {
  /** Redshift ports to protect, besides the `port` of every cluster and workgroup in the stack. */
  readonly redshiftPorts: readonly number[];
  /** When not empty, the only CIDRs that may reach a Redshift port (Firehose's CIDR for the region). */
  readonly allowedCidrs: readonly string[];
}

/** One ingress permission, whichever resource declares it. */
interface Ingress {
  readonly resource: StackResource;
  readonly path: string;
  readonly protocol: string | undefined | UnknownValue;
  readonly fromPort: number | undefined | UnknownValue;
  readonly toPort: number | undefined | UnknownValue;
  readonly cidrs: ReadonlyArray<string | UnknownValue>;
}

export function checkRedshiftIngress(
  resources: readonly StackResource[],
  config: RedshiftIngressConfig,
): Finding[] {
  const ports = new Set(config.redshiftPorts);
  for (const warehouse of resources.filter((r) => WAREHOUSE_TYPES.includes(r.type))) {
    const port = numberAt(warehouse.inputs, "port");
    if (typeof port === "number") {
      ports.add(port);
    }
  }
  return resources.flatMap(ingressOf).flatMap((ingress) => checkIngress(ingress, [...ports], config));
}

function ingressOf(resource: StackResource): Ingress[] {
  const inputs = resource.inputs;
  switch (resource.type) {
    case SECURITY_GROUP_TYPE: {
      const rules = arrayAt(inputs, "ingress");
      if (isUnknown(rules)) {
        return [unknownIngress(resource, "ingress", rules)];
      }
      // Stryker disable next-line ArrayDeclaration: a placeholder element is no rule object: no protocol, no port
      return (rules ?? []).map((rule, index) => classicIngress(resource, `ingress[${index}]`, rule));
    }
    case SECURITY_GROUP_RULE_TYPE: {
      const type = stringAt(inputs, "type");
      if (isUnknown(type)) {
        return [unknownIngress(resource, "type", type)];
      }
      return type === "ingress" ? [classicIngress(resource, "", inputs)] : [];
    }
    case INGRESS_RULE_TYPE:
      return [
        {
          resource,
          path: "",
          protocol: stringAt(inputs, "ipProtocol"),
          fromPort: numberAt(inputs, "fromPort"),
          toPort: numberAt(inputs, "toPort"),
          cidrs: [stringAt(inputs, "cidrIpv4"), stringAt(inputs, "cidrIpv6")].flatMap((cidr) => cidr ?? []),
        },
      ];
    default:
      return [];
  }
}

/** The shape shared by inline `ingress` blocks and SecurityGroupRule: protocol, ports, CIDR lists. */
function classicIngress(resource: StackResource, path: string, rule: InputValue | undefined): Ingress {
  const cidrs = [stringsAt(rule, "cidrBlocks"), stringsAt(rule, "ipv6CidrBlocks")].flatMap((list) =>
    list === undefined ? [] : isUnknown(list) ? [list] : list,
  );
  return {
    resource,
    path,
    protocol: stringAt(rule, "protocol"),
    fromPort: numberAt(rule, "fromPort"),
    toPort: numberAt(rule, "toPort"),
    cidrs,
  };
}

function unknownIngress(resource: StackResource, path: string, value: UnknownValue): Ingress {
  // Stryker disable next-line ArrayDeclaration: the unknown protocol skips the check before the CIDRs are read
  return { resource, path, protocol: value, fromPort: undefined, toPort: undefined, cidrs: [] };
}

function checkIngress(ingress: Ingress, ports: readonly number[], config: RedshiftIngressConfig): Finding[] {
  const where = `${resourceLabel(ingress.resource)}${ingress.path === "" ? "" : ` ${ingress.path}`}`;
  const covered = coveredPorts(ingress, ports);
  if (isUnknown(covered)) {
    return [skipped(covered, `${where} admits no wide CIDR on a Redshift port`)];
  }
  if (covered.length === 0) {
    return [];
  }
  const portList = covered.join(", ");
  return ingress.cidrs.flatMap((cidr): Finding[] => {
    if (isUnknown(cidr)) {
      return [skipped(cidr, `${where} admits no wide CIDR on Redshift port ${portList}`)];
    }
    if (WORLD_CIDRS.includes(cidr)) {
      return [
        violation(
          `${where} admits ${cidr} on Redshift port ${portList}: admit only Firehose's CIDR block for the ` +
            "region (Firehose Developer Guide, access to Redshift) and your own clients' ranges",
          ingress.resource.urn,
        ),
      ];
    }
    if (config.allowedCidrs.length > 0 && !config.allowedCidrs.includes(cidr)) {
      return [
        violation(
          `${where} admits ${cidr} on Redshift port ${portList}, which is not in allowedCidrs ` +
            `(${config.allowedCidrs.join(", ")}): admit only those`,
          ingress.resource.urn,
        ),
      ];
    }
    return [];
  });
}

function coveredPorts(ingress: Ingress, ports: readonly number[]): number[] | UnknownValue {
  if (isUnknown(ingress.protocol)) {
    return ingress.protocol;
  }
  const protocol = ingress.protocol?.toLowerCase();
  if (protocol === "-1" || protocol === "all") {
    return [...ports];
  }
  if (protocol !== "tcp" && protocol !== "6") {
    return [];
  }
  if (isUnknown(ingress.fromPort)) {
    return ingress.fromPort;
  }
  if (isUnknown(ingress.toPort)) {
    return ingress.toPort;
  }
  const from = ingress.fromPort ?? 0;
  const to = ingress.toPort ?? 65535;
  return ports.filter((port) => port >= from && port <= to);
}
