// The lake a replay reads error objects from and writes its progress to: the stack's bucket through S3
// (ListObjectsV2, GetObject, PutObject; SSE-KMS is transparent to a caller allowed to decrypt through S3), or
// the local run's bucket directory. The replay runs the same code over either.
import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { LakeStore } from "../local/lake-store";

export interface LakeObject {
  readonly key: string;
  readonly size: number;
}

export interface Lake {
  /** For messages: `s3://bucket` or the local bucket directory. */
  readonly location: string;
  readonly bucket: string;
  /** Every object under `prefix`, in key order. */
  list(prefix: string): AsyncIterable<LakeObject>;
  /** The object's bytes, or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  /** Writes the object whole: a reader sees the old bytes or the new ones, never a part. */
  put(key: string, body: Buffer): Promise<void>;
}

export class S3Lake implements Lake {
  readonly location: string;

  constructor(
    private readonly client: Pick<S3Client, "send">,
    readonly bucket: string,
  ) {
    this.location = `s3://${bucket}`;
  }

  async *list(prefix: string): AsyncIterable<LakeObject> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) if (o.Key) yield { key: o.Key, size: o.Size ?? 0 };
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : Buffer.alloc(0);
    } catch (err) {
      if (err instanceof NoSuchKey) return undefined;
      throw err;
    }
  }

  async put(key: string, body: Buffer): Promise<void> {
    // The bucket's default encryption (SSE-KMS with the lake key) applies: no key is named here.
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: "application/json" }),
    );
  }
}

/** The local run's bucket directory; keys are mapped to files by the local run's own LakeStore. */
export class LocalLake implements Lake {
  readonly location: string;
  readonly bucket: string;

  constructor(private readonly store: LakeStore) {
    this.location = store.bucketDir;
    this.bucket = store.bucket;
  }

  async *list(prefix: string): AsyncIterable<LakeObject> {
    const dir = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/") + 1) : "";
    const start = dir === "" ? this.store.bucketDir : path.dirname(this.store.pathOf(`${dir}x`));
    const found: LakeObject[] = [];
    await walk(start, async (file) => {
      const key = keyOf(path.relative(this.store.bucketDir, file));
      if (key.startsWith(prefix)) found.push({ key, size: (await fs.stat(file)).size });
    });
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    yield* found;
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await fs.readFile(this.store.pathOf(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
  }

  /** Scratch file and rename, as the local run writes its own objects. */
  put(key: string, body: Buffer): Promise<void> {
    return this.store.put(key, body);
  }
}

async function walk(dir: string, visit: (file: string) => Promise<void>): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, visit);
    else await visit(full);
  }
}

/** The inverse of LakeStore's file names: segments joined with `/`, its `%XX` escapes decoded. */
function keyOf(relative: string): string {
  return relative
    .split(path.sep)
    .map((s) => s.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))))
    .join("/");
}
