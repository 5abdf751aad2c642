// The config shared by the policies that ask for a customer managed KMS key.
import { PolicyConfigSchema } from "@pulumi/policy";

export const keyChoiceSchema: PolicyConfigSchema = {
  properties: {
    allowAwsManagedKeys: {
      type: "boolean",
      default: false,
      description: "Accept AWS managed keys (alias/aws/<service>) where a customer managed key is asked for.",
    },
  },
};
