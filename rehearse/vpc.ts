// An equivalent of awsx's `ec2.Vpc` in plain provider resources: the mocks record awsx's VPC as one resource
// and do not expand it, so the rehearsal builds the VPC, one subnet per availability zone and subnet spec,
// and the internet gateway public subnets need. Route tables are not rehearsed.
import { RecordedResource } from "../offline/mock-cloud";

export interface VpcPart {
  readonly type: string;
  readonly label: string;
  readonly body: Record<string, unknown>;
}

/** A mock value of the VPC's state and the Terraform expression that stands for it. */
export interface VpcRef {
  readonly value: string;
  readonly expr: string;
}

interface SubnetSpec {
  readonly type: "Public" | "Private" | "Isolated";
  readonly cidrMask: number;
}

/** awsx's defaults when `subnetSpecs` is not given. */
const DEFAULT_SPECS: SubnetSpec[] = [
  { type: "Public", cidrMask: 20 },
  { type: "Private", cidrMask: 19 },
];

function ipv4ToInt(ip: string): number {
  return ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/**
 * Subnet CIDRs inside `vpcCidr`, one per (spec, zone), largest subnets first so that each is aligned; throws
 * when they do not fit.
 */
export function subnetCidrs(vpcCidr: string, specs: SubnetSpec[], zones: number): string[][] {
  const [base, bits] = vpcCidr.split("/");
  const start = ipv4ToInt(base);
  const end = start + 2 ** (32 - Number(bits));
  const order = specs.map((_, i) => i).sort((a, b) => specs[a].cidrMask - specs[b].cidrMask);
  const cidrs: string[][] = specs.map(() => []);
  let cursor = start;
  for (const i of order) {
    const size = 2 ** (32 - specs[i].cidrMask);
    for (let zone = 0; zone < zones; zone++) {
      cursor = Math.ceil(cursor / size) * size;
      if (cursor + size > end)
        throw new Error(`awsx VPC ${vpcCidr}: subnet specs do not fit in ${zones} zones`);
      cidrs[i].push(`${intToIpv4(cursor)}/${specs[i].cidrMask}`);
      cursor += size;
    }
  }
  return cidrs;
}

const STATE_KEYS: Record<SubnetSpec["type"], string> = {
  Public: "publicSubnetIds",
  Private: "privateSubnetIds",
  Isolated: "isolatedSubnetIds",
};

export function vpcEquivalent(
  resource: RecordedResource,
  label: string,
  region: string,
): { parts: VpcPart[]; refs: VpcRef[] } {
  const { inputs, state } = resource;
  const zones: number = inputs.numberOfAvailabilityZones ?? 3;
  const specs: SubnetSpec[] = inputs.subnetSpecs ?? DEFAULT_SPECS;
  const vpc: VpcPart = {
    type: "aws_vpc",
    label,
    body: {
      cidr_block: inputs.cidrBlock ?? "10.0.0.0/16",
      enable_dns_hostnames: inputs.enableDnsHostnames ?? true,
      enable_dns_support: inputs.enableDnsSupport ?? true,
      tags: { Name: resource.name, ...(inputs.tags ?? {}) },
    },
  };
  const parts: VpcPart[] = [vpc];
  const refs: VpcRef[] = [{ value: state.vpcId, expr: `aws_vpc.${label}.id` }];
  const cidrs = subnetCidrs(vpc.body.cidr_block as string, specs, zones);
  specs.forEach((spec, i) => {
    const ids: string[] = state[STATE_KEYS[spec.type]] ?? [];
    cidrs[i].forEach((cidr, zone) => {
      const subnetLabel = `${label}_${spec.type.toLowerCase()}_${zone + 1}`;
      parts.push({
        type: "aws_subnet",
        label: subnetLabel,
        body: {
          vpc_id: `\${aws_vpc.${label}.id}`,
          cidr_block: cidr,
          availability_zone: `${region}${String.fromCharCode(97 + zone)}`,
          map_public_ip_on_launch: spec.type === "Public",
          tags: { Name: `${resource.name}-${spec.type.toLowerCase()}-${zone + 1}` },
        },
      });
      if (ids[zone]) refs.push({ value: ids[zone], expr: `aws_subnet.${subnetLabel}.id` });
    });
  });
  if (specs.some((s) => s.type === "Public")) {
    parts.push({ type: "aws_internet_gateway", label, body: { vpc_id: `\${aws_vpc.${label}.id}` } });
  }
  return { parts, refs };
}
