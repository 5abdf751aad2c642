// The component half of the destination registry: how each destination type named in config is built. Adding a
// destination is one line here (the compiler asks for it: the record is keyed by every type config knows) and one
// in config/destinations/index.ts.
import { DestinationSettings, DestinationType } from "../../config/destinations";
import { s3Layout } from "../../config/layout";
import { StackSecrets } from "../../config/pulumi-config";
import { PipelineSettings } from "../../config/settings";
import { Destination } from "./destination";
import { HttpEndpointDestination, accessKeyOf } from "./http-endpoint";
import { IcebergDestination } from "./iceberg";
import { OpenSearchDestination } from "./opensearch";
import { RedshiftDestination } from "./redshift";
import { S3Destination } from "./s3";

type Factory<T extends DestinationType> = (
  destination: Extract<DestinationSettings, { type: T }>,
  pipeline: string,
  secrets: StackSecrets,
) => Destination;

const FACTORIES: { readonly [T in DestinationType]: Factory<T> } = {
  s3: (dest, pipeline) => new S3Destination(dest, s3Layout(dest, pipeline)),
  redshift: (dest, pipeline) => new RedshiftDestination(dest, pipeline),
  opensearch: (dest) => new OpenSearchDestination(dest),
  http: (dest, pipeline, secrets) => new HttpEndpointDestination(dest, accessKeyOf(dest, secrets, pipeline)),
  iceberg: (dest) => new IcebergDestination(dest),
};

export function destinationFor(pipeline: PipelineSettings, secrets: StackSecrets): Destination {
  // TypeScript cannot pair a union value with the factory of its own member; FACTORIES' type guarantees it.
  const factory = FACTORIES[pipeline.destination.type] as Factory<DestinationType>;
  return factory(pipeline.destination, pipeline.name, secrets);
}
