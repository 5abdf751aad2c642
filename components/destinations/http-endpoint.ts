// HTTP endpoint: Firehose POSTs batches to an https:// URL, authenticated by an access key it reads from a
// Secrets Manager secret (encrypted with the lake's CMK) that this program fills from a secret stack config key.
// Failed (or all) data is backed up to the lake.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StackSecrets } from "../../config/pulumi-config";
import { HttpDestinationSettings } from "../../config/settings";
import { BindContext, BoundDestination, Destination } from "./destination";
import { lakeBackup } from "./lake-backup";
import { secretReadStatements } from "./secret-access";

type HttpEndpointConfiguration = aws.types.input.kinesis.FirehoseDeliveryStreamHttpEndpointConfiguration;

/** The access key from `pulumi config set --secret <accessKeyConfigKey>`; fails, saying how to set it. */
export function accessKeyOf(
  settings: HttpDestinationSettings,
  secrets: StackSecrets,
  pipeline: string,
): pulumi.Output<string> {
  const key = settings.accessKeyConfigKey;
  const value = secrets.byKey.get(key);
  if (!value) {
    throw new Error(
      `pipeline '${pipeline}': destination.accessKeyConfigKey names the secret config key '${key}', which is ` +
        `not set; run \`pulumi config set --secret ${key} <access key>\``,
    );
  }
  return value;
}

export class HttpEndpointDestination implements Destination {
  constructor(
    private readonly settings: HttpDestinationSettings,
    private readonly accessKey: pulumi.Output<string>,
  ) {}

  bind(scope: pulumi.ComponentResource, ctx: BindContext): BoundDestination {
    const { settings } = this;
    const keyArn = ctx.lake.key.arn;
    const secret = new aws.secretsmanager.Secret(
      `${ctx.name}-access-key`,
      {
        description: `Access key of the HTTP endpoint ${ctx.streamName} delivers to`,
        kmsKeyId: keyArn,
        // A deleted secret stays restorable in protected stacks; destroyable ones delete it at once.
        recoveryWindowInDays: ctx.statefulOpts.protect === true ? 30 : 0,
      },
      { parent: scope },
    );
    // The shape Firehose expects for HTTP endpoints (developer guide, "Understand secrets").
    const version = new aws.secretsmanager.SecretVersion(
      `${ctx.name}-access-key-version`,
      {
        secretId: secret.id,
        secretString: pulumi.secret(pulumi.jsonStringify({ api_key: this.accessKey })),
      },
      { parent: scope },
    );

    const config: HttpEndpointConfiguration = {
      url: settings.url,
      ...(settings.endpointName ? { name: settings.endpointName } : {}),
      roleArn: ctx.roleArn,
      secretsManagerConfiguration: { enabled: true, secretArn: secret.arn, roleArn: ctx.roleArn },
      requestConfiguration: {
        contentEncoding: settings.contentEncoding,
        commonAttributes: Object.entries(settings.commonAttributes).map(([name, value]) => ({ name, value })),
      },
      bufferingSize: settings.buffer.sizeMiB,
      bufferingInterval: settings.buffer.intervalSeconds,
      retryDuration: settings.retrySeconds,
      s3BackupMode: settings.backupMode,
      s3Configuration: lakeBackup(ctx, { purpose: "backup", buffer: settings.buffer }),
      processingConfiguration: ctx.processing,
      cloudwatchLoggingOptions: ctx.logging.destination,
    };
    return {
      destination: "http_endpoint",
      streamArgs: { httpEndpointConfiguration: config },
      statements: [
        ...ctx.lake.deliveryStatements(ctx.region),
        ...secretReadStatements({
          sid: "EndpointAccessKey",
          secretArn: secret.arn,
          keyArn,
          region: ctx.region,
        }),
      ],
      dependsOn: [version],
      metrics: {
        freshness: "DeliveryToHttpEndpoint.DataFreshness",
        success: "DeliveryToHttpEndpoint.Success",
      },
      alarms: [],
    };
  }
}
