import * as aws from "@pulumi/aws";
import { PolicyConfigSchema, ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** One property of a configSchema (the SDK does not export the name). */
type PolicyConfigJSONSchema = PolicyConfigSchema["properties"][string];
import { runResourceRule } from "../lib/run-rule";
import { checkOrganisationBufferBounds, OrganisationBufferConfig } from "../rules/buffer-bounds";
import { DESTINATIONS } from "../rules/firehose-destinations";

const bound = (description: string): PolicyConfigJSONSchema => ({ type: "number", minimum: 0, description });

const destinationBounds: PolicyConfigJSONSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    minSizeMiB: bound("Smallest buffer size, in MiB."),
    maxSizeMiB: bound("Largest buffer size, in MiB."),
    minIntervalSeconds: bound("Shortest buffer interval, in seconds."),
    maxIntervalSeconds: bound("Longest buffer interval, in seconds."),
  },
};

const configSchema: PolicyConfigSchema = {
  properties: {
    bounds: {
      type: "object",
      description: "Bounds per destination type on the buffer that delivers to it.",
      additionalProperties: false,
      properties: Object.fromEntries(DESTINATIONS.map((destination) => [destination, destinationBounds])),
      default: {
        extended_s3: { minSizeMiB: 16, minIntervalSeconds: 60 },
        redshift: { minSizeMiB: 16, minIntervalSeconds: 60 },
      },
    },
  },
};

/** Advisory by default: these are the organisation's sizing choices, not AWS's limits. */
export const firehoseBufferOrganisationBounds: ResourceValidationPolicy = {
  name: "firehose-buffer-organisation-bounds",
  description:
    "Buffering hints are within the organisation's bounds per destination type, to keep object sizes sane " +
    "for Athena and loads efficient.",
  enforcementLevel: "advisory",
  configSchema,
  validateResource: validateResourceOfType(
    aws.kinesis.FirehoseDeliveryStream,
    (_stream, args, reportViolation) =>
      runResourceRule<OrganisationBufferConfig>(
        args,
        reportViolation,
        configSchema,
        checkOrganisationBufferBounds,
      ),
  ),
};
