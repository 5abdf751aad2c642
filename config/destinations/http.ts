// HTTP endpoint: an https:// URL Firehose POSTs batches to, with an access key from a secret config key.
import { z } from "zod";
import { DESTINATION_BUFFER_LIMITS } from "../../policy/rules/firehose-limits";
import { bufferSchema, retrySeconds } from "./common";
import { defineDestination } from "./spec";

const schema = z.strictObject({
  type: z.literal("http"),
  url: z.string().regex(/^https:\/\/[^\s]+$/, "must be an https:// URL"),
  endpointName: z.string().min(1).max(256).optional(),
  /** Name of the secret stack config key holding the endpoint's access key. */
  accessKeyConfigKey: z.string().default("httpEndpointAccessKey"),
  contentEncoding: z.enum(["NONE", "GZIP"]).default("GZIP"),
  buffer: bufferSchema(DESTINATION_BUFFER_LIMITS.http_endpoint),
  retrySeconds: retrySeconds(300),
  backupMode: z.enum(["FailedDataOnly", "AllData"]).default("FailedDataOnly"),
  commonAttributes: z.record(z.string(), z.string()).default({}),
});

export const httpDestination = defineDestination({ schema });
