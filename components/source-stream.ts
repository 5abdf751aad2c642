// The encrypted Kinesis data stream that feeds every delivery stream of the stack (fan-out), when the stack's
// source is `kinesis`. Firehose's own server-side encryption is for Direct PUT only, so a Kinesis-sourced stream
// is encrypted through this stream's KMS encryption.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { sourceStreamNameOf } from "../config/naming";

export interface SourceStreamArgs {
  /** The stream is named `<namePrefix>-source`. */
  readonly namePrefix: string;
  readonly keyArn: pulumi.Input<string>;
  /** Provisioned shards; omit for on-demand capacity. */
  readonly shardCount?: number;
  readonly retentionHours: number;
  readonly protect: boolean;
}

export class SourceStream extends pulumi.ComponentResource {
  public readonly stream: aws.kinesis.Stream;

  constructor(name: string, args: SourceStreamArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("firehose-etl:ingest:SourceStream", name, {}, opts);
    this.stream = new aws.kinesis.Stream(
      `${name}-stream`,
      {
        name: sourceStreamNameOf(args.namePrefix),
        encryptionType: "KMS",
        kmsKeyId: args.keyArn,
        retentionPeriod: args.retentionHours,
        ...(args.shardCount === undefined
          ? { streamModeDetails: { streamMode: "ON_DEMAND" } }
          : { shardCount: args.shardCount, streamModeDetails: { streamMode: "PROVISIONED" } }),
      },
      { parent: this, protect: args.protect },
    );
    this.registerOutputs({ streamArn: this.stream.arn });
  }

  /** What a consuming delivery role needs (Firehose developer guide: Kinesis data stream as source). */
  readStatements(keyArn: pulumi.Input<string>, region: string) {
    return [
      pulumi.output(this.stream.arn).apply((arn) => ({
        Sid: "ReadSourceStream",
        Effect: "Allow" as const,
        Action: [
          "kinesis:DescribeStream",
          "kinesis:GetShardIterator",
          "kinesis:GetRecords",
          "kinesis:ListShards",
        ],
        Resource: arn,
      })),
      pulumi.output(keyArn).apply((key) => ({
        Sid: "DecryptSourceStream",
        Effect: "Allow" as const,
        Action: "kms:Decrypt",
        Resource: key,
        Condition: { StringEquals: { "kms:ViaService": `kinesis.${region}.amazonaws.com` } },
      })),
    ];
  }
}
