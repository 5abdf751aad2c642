// Fixtures the replay's AWS-path tests share: a processing-failed error object as Firehose writes it, moto's
// region and credentials, and a Direct PUT stream delivering to a bucket's `replayed/` prefix.
import { gzipSync } from "node:zlib";
import { CreateDeliveryStreamCommand, FirehoseClient } from "@aws-sdk/client-firehose";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { errorDocumentLine } from "../../local/error-document";
import { Moto, findMotoServer, startMoto } from "../../rehearse/moto";

export const REGION = "eu-west-1";
export const CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" };

/** A GZIP error object of dev's `events` pipeline holding `records` as processing-failed records. */
export function errorObject(records: readonly string[]): Buffer {
  const context = {
    lambdaArn: `arn:aws:lambda:${REGION}:123456789012:function:firehose-etl-dev-transform`,
    dataCatalogTable: { catalogId: "0", databaseName: "d", tableName: "t", region: REGION, versionId: "0" },
  };
  return gzipSync(
    records
      .map((data, line) =>
        errorDocumentLine(
          {
            errorOutputType: "processing-failed",
            arrivalMs: Date.UTC(2026, 10, 2, 14, 5, 9),
            rawData: Buffer.from(data),
            errorCode: "Lambda.FunctionError",
            errorMessage: "The Lambda function was successfully invoked but it returned an error result.",
            attemptsMade: 4,
            attemptEndingMs: Date.UTC(2026, 10, 2, 14, 5, 10),
            segment: 0,
            line,
          },
          context,
        ),
      )
      .join(""),
  );
}

const DELIVERED_PREFIX = "replayed/";

/** A Direct PUT stream in moto that delivers what it takes to `s3://<bucket>/replayed/`. */
export async function createTargetStream(url: string, streamName: string, bucket: string): Promise<void> {
  const firehose = new FirehoseClient({ region: REGION, endpoint: url, credentials: CREDENTIALS });
  await firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: streamName,
      DeliveryStreamType: "DirectPut",
      ExtendedS3DestinationConfiguration: {
        BucketARN: `arn:aws:s3:::${bucket}`,
        RoleARN: "arn:aws:iam::123456789012:role/firehose",
        Prefix: DELIVERED_PREFIX,
      },
    }),
  );
  firehose.destroy();
}

/** Every line the target stream delivered, sorted. */
export async function deliveredLines(s3: S3Client, bucket: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: DELIVERED_PREFIX }));
  let bytes = "";
  for (const o of listed.Contents ?? []) {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key }));
    bytes += await out.Body!.transformToString();
  }
  return bytes
    .split("\n")
    .filter((l) => l !== "")
    .sort();
}

/** A running moto_server, or the suite skipped with a one-line reason where it is not installed. */
export async function startMotoOrSkip(suite: Mocha.Context): Promise<Moto> {
  const server = findMotoServer();
  if (!server) {
    console.log("      skipped: moto_server is not on PATH (pip install 'moto[server]')");
    suite.skip();
  }
  return startMoto(server);
}
