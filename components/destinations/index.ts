// Builds the destination a pipeline's config names. Adding a destination is one file and one case here.
import { s3Layout } from "../../config/layout";
import { PipelineSettings } from "../../config/settings";
import { StackSecrets } from "../../config/pulumi-config";
import { Destination } from "./destination";
import { HttpEndpointDestination, accessKeyOf } from "./http-endpoint";
import { OpenSearchDestination } from "./opensearch";
import { RedshiftDestination } from "./redshift";
import { S3Destination } from "./s3";

export function destinationFor(pipeline: PipelineSettings, secrets: StackSecrets): Destination {
  const dest = pipeline.destination;
  switch (dest.type) {
    case "s3":
      return new S3Destination(dest, s3Layout(dest, pipeline.name));
    case "redshift":
      return new RedshiftDestination(dest, pipeline.name);
    case "opensearch":
      return new OpenSearchDestination(dest);
    case "http":
      return new HttpEndpointDestination(dest, accessKeyOf(dest, secrets, pipeline.name));
    default: {
      const unknown: never = dest;
      throw new Error(`unknown destination type in ${JSON.stringify(unknown)}`);
    }
  }
}
