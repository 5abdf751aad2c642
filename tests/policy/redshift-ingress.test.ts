// redshift-ingress-restricted: which ports count as Redshift's, which protocols and port ranges reach them, and
// each value unknown at preview skipped by name. warehouses.test.ts holds the first rejections of each resource type.
import * as assert from "assert";
import { redshiftIngressRestricted } from "../../policy/policies/redshift-ingress-restricted";
import { warehouseSecurityGroup } from "./fixtures";
import { evaluate, messagesOf, resource, TYPES, UNKNOWN } from "./helpers";

const FIX =
  "admit only Firehose's CIDR block for the region (Firehose Developer Guide, access to Redshift) and your own " +
  "clients' ranges";
const PREVIEW_NOTE =
  "can't run policy 'redshift-ingress-restricted' during preview: not checked until the values are known at " +
  "deployment: ";

type Resources = ReturnType<typeof resource>[];

/** Each mandatory violation as [urn, message]. */
async function violationsOf(resources: Resources, config = {}) {
  return (await evaluate(redshiftIngressRestricted, resources, config))
    .filter((v) => v.level === "mandatory")
    .map((v) => [v.urn, v.message]);
}

function advisoriesOf(resources: Resources) {
  return messagesOf(evaluate(redshiftIngressRestricted, resources), "advisory");
}

/** A SecurityGroupIngressRule admitting `cidrIpv4` on `protocol` from `fromPort` to `toPort`. */
function ingressRule(
  name: string,
  protocol: string,
  fromPort: number,
  toPort: number,
  cidrIpv4 = "0.0.0.0/0",
) {
  return resource(
    TYPES.ingressRule,
    { securityGroupId: "sg-1", ipProtocol: protocol, fromPort, toPort, cidrIpv4 },
    name,
  );
}

/** An ingress SecurityGroupRule with `props` (protocol, ports, CIDRs). */
function securityGroupRule(name: string, props: Record<string, unknown>) {
  return resource(TYPES.securityGroupRule, { type: "ingress", securityGroupId: "sg-1", ...props }, name);
}

describe("redshift-ingress-restricted: ports, protocols and unknown values", () => {
  describe("which ports are Redshift's", () => {
    it("protects a provisioned cluster's own port", async () => {
      const cluster = resource(TYPES.cluster, { clusterIdentifier: "warehouse", port: 5440 }, "warehouse");
      const rule = ingressRule("warehouse-5440", "tcp", 5440, 5440);
      assert.deepEqual(await violationsOf([cluster, rule]), [
        [
          rule.urn,
          `SecurityGroupIngressRule 'warehouse-5440' admits 0.0.0.0/0 on Redshift port 5440: ${FIX}`,
        ],
      ]);
    });

    it("protects only the configured ports when a warehouse's port is unset or unknown", async () => {
      const cluster = resource(TYPES.cluster, { clusterIdentifier: "warehouse" }, "warehouse");
      const workgroup = resource(
        TYPES.workgroup,
        { workgroupName: "w", namespaceName: "n", port: UNKNOWN },
        "w",
      );
      const rule = securityGroupRule("open", {
        protocol: "-1",
        fromPort: 0,
        toPort: 0,
        cidrBlocks: ["0.0.0.0/0"],
      });
      assert.deepEqual(await violationsOf([cluster, workgroup, rule]), [
        [rule.urn, `SecurityGroupRule 'open' admits 0.0.0.0/0 on Redshift port 5439: ${FIX}`],
      ]);
    });

    it("does not count another resource's port, such as an RDS database's, as Redshift's", async () => {
      const database = resource("aws:rds/instance:Instance", { engine: "postgres", port: 5432 }, "db");
      const rule = ingressRule("postgres", "tcp", 5432, 5432);
      assert.deepEqual(await violationsOf([database, rule]), []);
    });
  });

  describe("which ingress reaches a Redshift port", () => {
    it("ignores a TCP range that starts above the Redshift port", async () => {
      const group = resource(
        TYPES.securityGroup,
        {
          vpcId: "vpc-1",
          ingress: [{ protocol: "tcp", fromPort: 8000, toPort: 9000, cidrBlocks: ["0.0.0.0/0"] }],
        },
        "web-sg",
      );
      const rule = ingressRule("web", "tcp", 8000, 9000);
      assert.deepEqual(await violationsOf([group, rule]), []);
    });

    it("treats protocol all like -1, and protocol number 6 like tcp", async () => {
      const all = securityGroupRule("all", {
        protocol: "all",
        fromPort: 0,
        toPort: 0,
        cidrBlocks: ["0.0.0.0/0"],
      });
      const six = ingressRule("six", "6", 5439, 5439);
      assert.deepEqual(await violationsOf([all, six]), [
        [all.urn, `SecurityGroupRule 'all' admits 0.0.0.0/0 on Redshift port 5439: ${FIX}`],
        [six.urn, `SecurityGroupIngressRule 'six' admits 0.0.0.0/0 on Redshift port 5439: ${FIX}`],
      ]);
    });

    it("ignores UDP on the Redshift port, which Redshift does not listen on", async () => {
      const udp = securityGroupRule("udp", {
        protocol: "udp",
        fromPort: 5439,
        toPort: 5439,
        cidrBlocks: ["0.0.0.0/0"],
      });
      assert.deepEqual(await violationsOf([udp]), []);
    });

    it("leaves an ingress without a protocol to the provider, which rejects it", async () => {
      const rule = securityGroupRule("no-protocol", {
        fromPort: 5439,
        toPort: 5439,
        cidrBlocks: ["0.0.0.0/0"],
      });
      assert.deepEqual(await violationsOf([rule]), []);
    });

    it("rejects ::/0 in an inline ingress block's ipv6CidrBlocks", async () => {
      const group = resource(
        TYPES.securityGroup,
        {
          vpcId: "vpc-1",
          ingress: [{ protocol: "tcp", fromPort: 5439, toPort: 5439, ipv6CidrBlocks: ["::/0"] }],
        },
        "warehouse-sg",
      );
      assert.deepEqual(await violationsOf([group]), [
        [group.urn, `SecurityGroup 'warehouse-sg' ingress[0] admits ::/0 on Redshift port 5439: ${FIX}`],
      ]);
    });

    it("lists every allowed CIDR when a CIDR is outside allowedCidrs", async () => {
      const rule = ingressRule("office", "tcp", 5439, 5439, "10.0.0.0/8");
      const config = { "redshift-ingress-restricted": { allowedCidrs: ["52.19.239.192/27", "10.1.0.0/16"] } };
      assert.deepEqual(await violationsOf([rule], config), [
        [
          rule.urn,
          "SecurityGroupIngressRule 'office' admits 10.0.0.0/8 on Redshift port 5439, which is not in allowedCidrs " +
            "(52.19.239.192/27, 10.1.0.0/16): admit only those",
        ],
      ]);
    });
  });

  describe("values unknown at preview", () => {
    const cases: [string, ReturnType<typeof resource>, string][] = [
      [
        "a group's inline ingress list",
        resource(TYPES.securityGroup, { vpcId: "vpc-1", ingress: UNKNOWN }, "warehouse-sg"),
        "ingress (SecurityGroup 'warehouse-sg' ingress admits no wide CIDR on a Redshift port)",
      ],
      [
        "an inline ingress block's CIDR list",
        resource(
          TYPES.securityGroup,
          {
            vpcId: "vpc-1",
            ingress: [{ protocol: "tcp", fromPort: 5439, toPort: 5439, cidrBlocks: UNKNOWN }],
          },
          "warehouse-sg",
        ),
        "ingress[0].cidrBlocks (SecurityGroup 'warehouse-sg' ingress[0] admits no wide CIDR on Redshift port 5439)",
      ],
      [
        "whether a SecurityGroupRule is ingress or egress",
        securityGroupRule("open", {
          type: UNKNOWN,
          protocol: "-1",
          fromPort: 0,
          toPort: 0,
          cidrBlocks: ["0.0.0.0/0"],
        }),
        "type (SecurityGroupRule 'open' type admits no wide CIDR on a Redshift port)",
      ],
      [
        "a rule's protocol",
        resource(
          TYPES.ingressRule,
          { ipProtocol: UNKNOWN, fromPort: 5439, toPort: 5439, cidrIpv4: "0.0.0.0/0" },
          "r",
        ),
        "ipProtocol (SecurityGroupIngressRule 'r' admits no wide CIDR on a Redshift port)",
      ],
      [
        "a rule's first port",
        resource(
          TYPES.ingressRule,
          { ipProtocol: "tcp", fromPort: UNKNOWN, toPort: 5439, cidrIpv4: "0.0.0.0/0" },
          "r",
        ),
        "fromPort (SecurityGroupIngressRule 'r' admits no wide CIDR on a Redshift port)",
      ],
      [
        "a rule's last port",
        resource(
          TYPES.ingressRule,
          { ipProtocol: "tcp", fromPort: 5439, toPort: UNKNOWN, cidrIpv4: "0.0.0.0/0" },
          "r",
        ),
        "toPort (SecurityGroupIngressRule 'r' admits no wide CIDR on a Redshift port)",
      ],
      [
        "a rule's CIDR",
        resource(
          TYPES.ingressRule,
          { ipProtocol: "tcp", fromPort: 5439, toPort: 5439, cidrIpv4: UNKNOWN },
          "r",
        ),
        "cidrIpv4 (SecurityGroupIngressRule 'r' admits no wide CIDR on Redshift port 5439)",
      ],
    ];
    for (const [what, subject, note] of cases) {
      it(`skips the check that needs ${what}, with an advisory note and no violation`, async () => {
        assert.deepEqual(await violationsOf([subject]), []);
        assert.deepEqual(await advisoriesOf([subject]), [PREVIEW_NOTE + note]);
      });
    }

    it("still checks the group's other ingress blocks when one block's CIDRs are unknown", async () => {
      const group = resource(
        TYPES.securityGroup,
        {
          ...warehouseSecurityGroup(),
          ingress: [
            { protocol: "tcp", fromPort: 5439, toPort: 5439, cidrBlocks: UNKNOWN },
            { protocol: "tcp", fromPort: 5439, toPort: 5439, cidrBlocks: ["0.0.0.0/0"] },
          ],
        },
        "warehouse-sg",
      );
      assert.deepEqual(await violationsOf([group]), [
        [group.urn, `SecurityGroup 'warehouse-sg' ingress[1] admits 0.0.0.0/0 on Redshift port 5439: ${FIX}`],
      ]);
    });
  });
});
