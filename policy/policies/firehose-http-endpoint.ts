import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { runResourceRule } from "../lib/run-rule";
import { checkHttpEndpoint, HttpEndpointConfig } from "../rules/http-endpoint";

const configSchema: PolicyConfigSchema = {
  properties: {
    requireSecretsManager: {
      type: "boolean",
      default: false,
      description: "Require the endpoint's access key from secretsManagerConfiguration instead of accessKey.",
    },
  },
};

export const firehoseHttpEndpoint: ResourceValidationPolicy = {
  name: "firehose-http-endpoint",
  description:
    "HTTP endpoint destinations deliver over https (and, if configured, take the key from Secrets Manager).",
  enforcementLevel: "mandatory",
  configSchema,
  validateResource: validateResourceOfType(
    aws.kinesis.FirehoseDeliveryStream,
    (_stream, args, reportViolation) =>
      runResourceRule<HttpEndpointConfig>(args, reportViolation, configSchema, checkHttpEndpoint),
  ),
};
