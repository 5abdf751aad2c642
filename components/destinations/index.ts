// Builds the destination a pipeline's config names. Adding a destination is one file and one case here.
import { s3Layout } from "../../config/layout";
import { PipelineSettings } from "../../config/settings";
import { StackSecrets } from "../../config/pulumi-config";
import { Destination } from "./destination";
import { S3Destination } from "./s3";

export function destinationFor(pipeline: PipelineSettings, secrets: StackSecrets): Destination {
  const dest = pipeline.destination;
  switch (dest.type) {
    case "s3":
      return new S3Destination(dest, s3Layout(dest, pipeline.name));
    case "redshift":
    case "opensearch":
    case "http":
      throw new Error(`destination type '${dest.type}' is not built yet`);
    default: {
      const unknown: never = dest;
      throw new Error(`unknown destination type in ${JSON.stringify(unknown)}`);
    }
  }
}
