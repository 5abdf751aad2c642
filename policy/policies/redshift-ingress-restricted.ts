import { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { runStackRule } from "../lib/run-rule";
import { checkRedshiftIngress, RedshiftIngressConfig } from "../rules/redshift-ingress";

const configSchema: PolicyConfigSchema = {
  properties: {
    redshiftPorts: {
      type: "array",
      items: { type: "integer", minimum: 1, maximum: 65535 },
      default: [5439],
      description: "Redshift ports to protect, besides the port of every cluster and workgroup in the stack.",
    },
    allowedCidrs: {
      type: "array",
      items: { type: "string" },
      default: [],
      description:
        "When not empty, the only CIDRs that may reach a Redshift port (Firehose's CIDR for the region).",
    },
  },
};

/** A stack policy: the ports come from the stack's warehouses, the ingress from three resource types. */
export const redshiftIngressRestricted: StackValidationPolicy = {
  name: "redshift-ingress-restricted",
  description:
    "No security group ingress admits 0.0.0.0/0 or ::/0 on a Redshift port (inline ingress, " +
    "SecurityGroupIngressRule or SecurityGroupRule); optionally only the allowed CIDRs.",
  enforcementLevel: "mandatory",
  configSchema,
  validateStack: (args, reportViolation) =>
    runStackRule<RedshiftIngressConfig>(args, reportViolation, configSchema, checkRedshiftIngress),
};
