// The local stand-in for the stack's bucket: `<lake>/<bucket>/<key>`. An S3 key may hold anything, so each
// segment is percent-encoded where a file system (or a Hive-style reader, which decodes `%XX`) would read it
// differently: `%`, NUL and `\`, and the segments `.` and `..`. Objects appear atomically: they are written
// under `<lake>/.tmp/` and renamed into place, so a query never reads half an object.
import { randomUUID } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";

export class LakeStore {
  readonly bucketDir: string;
  private readonly scratchDir: string;

  constructor(
    readonly lakeDir: string,
    readonly bucket: string,
  ) {
    this.bucketDir = path.join(lakeDir, bucket);
    this.scratchDir = path.join(lakeDir, ".tmp");
  }

  /** The local file of the object `key`. */
  pathOf(key: string): string {
    const segments = key.split("/").map(encodeSegment);
    const file = path.join(this.bucketDir, ...segments);
    if (!file.startsWith(this.bucketDir + path.sep))
      throw new Error(`object key ${JSON.stringify(key)} is not a file name`);
    return file;
  }

  /** A fresh scratch file name (same file system as the bucket, for the rename). */
  async scratchPath(suffix = ""): Promise<string> {
    await fs.mkdir(this.scratchDir, { recursive: true });
    return path.join(this.scratchDir, `${randomUUID()}${suffix}`);
  }

  async put(key: string, body: Buffer): Promise<void> {
    const scratch = await this.scratchPath();
    await fs.writeFile(scratch, body);
    await this.moveIn(scratch, key);
  }

  /** Moves a finished scratch file into place as `key`. */
  async moveIn(scratch: string, key: string): Promise<void> {
    const file = this.pathOf(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.rename(scratch, file);
  }
}

function encodeSegment(segment: string): string {
  if (segment === "." || segment === "..") return segment.replace(/\./g, "%2E");
  return segment.replace(
    /[%\\\0]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}
