import { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { runStackRule } from "../lib/run-rule";
import { checkPiiFields, PiiFieldsConfig } from "../rules/pii-fields";

const configSchema: PolicyConfigSchema = {
  properties: {
    piiFieldsVariable: {
      type: "string",
      minLength: 1,
      default: "PII_FIELDS",
      description: "Environment variable listing the masked paths; a function that has it is a transform.",
    },
  },
};

/** A stack policy: the masked paths live on the function, the PII decisions on the tables. */
export const transformPiiFields: StackValidationPolicy = {
  name: "transform-pii-fields",
  description:
    "The transform's PII_FIELDS match the stack's tables: every masked path starts at a Glue or Redshift column, " +
    "every column marked PII is masked, and every column whose name says PII is masked or marked not PII.",
  enforcementLevel: "mandatory",
  configSchema,
  validateStack: (args, reportViolation) =>
    runStackRule<PiiFieldsConfig>(args, reportViolation, configSchema, checkPiiFields),
};
