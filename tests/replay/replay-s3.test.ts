// The AWS path of `npm run replay` (S3Lake, the Firehose sender, manifests in the bucket) against moto: the same
// CLI a user runs, pointed at moto through AWS_ENDPOINT_URL; the bucket encrypts by default with a KMS key.
import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { S3Lake } from "../../replay/lake";
import { streamNameOf } from "../../config/naming";
import { Moto } from "../../rehearse/moto";
import { settingsOf } from "../support/stacks";
import {
  createTargetStream,
  startMotoOrSkip,
  CREDENTIALS,
  deliveredLines,
  errorObject,
  REGION,
} from "./aws-fixtures";

const ROOT = path.join(__dirname, "..", "..");
const LAKE = "replay-s3-lake";
const TARGET = "replay-s3-target";

/** A KMS key in moto through its JSON API (the project has no KMS client: nothing else needs one). */
async function createKey(url: string): Promise<string> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": "TrentService.CreateKey",
      Authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${REGION}/kms/aws4_request, SignedHeaders=host, Signature=x`,
    },
    body: "{}",
  });
  const body = (await res.json()) as { KeyMetadata: { Arn: string } };
  return body.KeyMetadata.Arn;
}

function replayCli(
  url: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["-r", require.resolve("../../tools/register-ts.cjs"), "replay/cli.ts", ...args],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        AWS_ENDPOINT_URL: url,
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        AWS_REGION: REGION,
      },
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

const lastJson = (stdout: string) =>
  JSON.parse(stdout.trim().split("\n").pop() ?? "") as Record<string, number>;

describe("replay on AWS's API (moto): S3 lake, Firehose sender, manifests in the bucket", function () {
  this.timeout(120_000);
  let moto: Moto | undefined;
  let s3: S3Client;
  const dev = settingsOf("dev");
  const KEY = `errors/events/processing-failed/year=2026/month=11/day=02/firehose-etl-dev-events-1-2026-11-02-14-05-09-0d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6.gz`;
  const RECORDS = Array.from({ length: 7 }, (_, i) => `{"event_id":"e${i}","action":"click"}\n`);

  before(async function () {
    moto = await startMotoOrSkip(this);
    s3 = new S3Client({ region: REGION, endpoint: moto.url, forcePathStyle: true, credentials: CREDENTIALS });
    const keyArn = await createKey(moto.url);
    for (const bucket of [LAKE, TARGET])
      await s3.send(
        new CreateBucketCommand({
          Bucket: bucket,
          CreateBucketConfiguration: { LocationConstraint: REGION },
        }),
      );
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: LAKE,
        ServerSideEncryptionConfiguration: {
          Rules: [
            { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: keyArn } },
          ],
        },
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: LAKE, Key: KEY, Body: errorObject(RECORDS) }));
    await createTargetStream(moto.url, streamNameOf(dev, "events"), TARGET);
  });

  after(async () => {
    await moto?.stop();
  });

  it("S3Lake lists every object across pages in key order, reads SSE-KMS objects, and answers a missing key with undefined", async () => {
    const keys = Array.from({ length: 1005 }, (_, i) => `page/${String(i).padStart(5, "0")}`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(
        keys.slice(i, i + 50).map((Key) => s3.send(new PutObjectCommand({ Bucket: LAKE, Key, Body: Key }))),
      );
    }
    const lake = new S3Lake(s3, LAKE);
    const listed: string[] = [];
    for await (const o of lake.list("page/")) listed.push(o.key);
    assert.deepEqual(listed, keys, "more than one ListObjectsV2 page (1,000 keys each)");
    assert.equal((await lake.get(keys[1004]))?.toString(), keys[1004]);
    assert.equal(await lake.get("page/none"), undefined);
    await lake.put("replay/x.json", Buffer.from("{}"));
    const head = await s3.send(new GetObjectCommand({ Bucket: LAKE, Key: "replay/x.json" }));
    assert.equal(
      head.ServerSideEncryption,
      "aws:kms",
      "the bucket's default encryption applies to the manifest",
    );
  });

  it("a dry run selects exactly the error object's records; the replay sends each once; a second replay sends nothing", async () => {
    const url = moto!.url;
    const args = ["--stack", "dev", "--bucket", LAKE, "--pipeline", "events", "--json"];
    const dry = await replayCli(url, [...args, "--dry-run"]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(lastJson(dry.stdout).selected, RECORDS.length);

    const first = await replayCli(url, args);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(lastJson(first.stdout), {
      selected: RECORDS.length,
      sent: RECORDS.length,
      skipped: 0,
      failed: 0,
      resentAfterCrash: 0,
    });
    assert.deepEqual(await deliveredLines(s3, TARGET), RECORDS.map((r) => r.trim()).sort());
    const manifests = await s3.send(new ListObjectsV2Command({ Bucket: LAKE, Prefix: "replay/events/" }));
    assert.equal(manifests.Contents?.length, 1, "one manifest, beside the source object's key");

    const second = await replayCli(url, args);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(lastJson(second.stdout).sent, 0);
  });
});
