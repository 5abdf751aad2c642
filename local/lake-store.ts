// The local stand-in for the stack's bucket: `<lake>/<bucket>/<key>`. An S3 key may hold anything, so each
// segment is percent-encoded where a file system (or a Hive-style reader, which decodes `%XX`) would read it
// differently: `%`, NUL and `\`, and the segments `.` and `..`. A segment longer than a file name may be (S3 keys
// allow 1,024 bytes, a local name 255) is stored under a hashed name, `<its first bytes>%~<hash>`, and its
// original text in `<lake>/.segments/<hash>`: no encoded segment holds `%~`, so the mapping is reversible
// (`keyOf`). Objects appear atomically: they are written under `<lake>/.tmp/<pid>/` and renamed into place, so a
// query never reads half an object. No write goes through a symbolic link inside the lake.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, promises as fs, readdirSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";

/** The longest file name Linux, macOS and Windows file systems allow, in bytes. */
const MAX_NAME_BYTES = 255;
/** How much of a long segment its hashed name keeps, for people reading the lake. */
const HASHED_HEAD_BYTES = 100;
/** Where the original text of each hashed segment is kept, one file per hash. */
const SEGMENTS_DIR = ".segments";
const HASHED = /%~([0-9a-f]{32})/;

export class LakeStore {
  readonly bucketDir: string;
  private readonly scratchRoot: string;
  private readonly scratchDir: string;
  private readonly segmentsDir: string;
  private scratchReady = false;

  constructor(
    readonly lakeDir: string,
    readonly bucket: string,
  ) {
    this.bucketDir = path.join(lakeDir, bucket);
    this.scratchRoot = path.join(lakeDir, ".tmp");
    this.scratchDir = path.join(this.scratchRoot, String(process.pid));
    this.segmentsDir = path.join(lakeDir, SEGMENTS_DIR);
  }

  /** The local file of the object `key`. */
  pathOf(key: string): string {
    const segments = key.split("/");
    const file = path.join(
      this.bucketDir,
      ...segments.map((s, i) => localName(s, i === segments.length - 1)),
    );
    if (!file.startsWith(this.bucketDir + path.sep))
      throw new Error(`object key ${JSON.stringify(key)} is not a file name`);
    return file;
  }

  /** The object key of a file in the bucket: `pathOf` reversed. */
  keyOf(file: string): string {
    return path
      .relative(this.bucketDir, file)
      .split(path.sep)
      .map((name) => {
        const hashed = HASHED.exec(name);
        if (hashed) return readFileSync(path.join(this.segmentsDir, hashed[1]), "utf8");
        return name.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      })
      .join("/");
  }

  /** Where a stream's journal lives: outside the bucket, so that starting from an empty bucket keeps it. */
  journalDir(stream: string): string {
    return path.join(this.lakeDir, ".journal", this.bucket, stream);
  }

  /**
   * A fresh scratch file name (same file system as the bucket, for the rename), in a folder of this process's
   * own: the folders of processes that no longer run are removed the first time.
   */
  async scratchPath(suffix = ""): Promise<string> {
    if (!this.scratchReady) {
      ensureDirectory(this.lakeDir, this.scratchRoot);
      for (const entry of readdirSync(this.scratchRoot)) {
        if (/^\d+$/.test(entry) && !isRunning(Number(entry))) {
          rmSync(path.join(this.scratchRoot, entry), { recursive: true, force: true });
        }
      }
      this.scratchReady = true;
    }
    ensureDirectory(this.lakeDir, this.scratchDir);
    return path.join(this.scratchDir, `${randomUUID()}${suffix}`);
  }

  async put(key: string, body: Buffer): Promise<void> {
    const scratch = await this.scratchPath();
    try {
      await fs.writeFile(scratch, body);
    } catch (err) {
      await fs.rm(scratch, { force: true });
      throw err;
    }
    await this.moveIn(scratch, key);
  }

  /** Moves a finished scratch file into place as `key`; the scratch file is gone afterwards, moved or not. */
  async moveIn(scratch: string, key: string): Promise<void> {
    try {
      const file = this.pathOf(key);
      const segments = key.split("/");
      for (const [i, segment] of segments.entries()) {
        const hashed = HASHED.exec(localName(segment, i === segments.length - 1));
        if (hashed) await this.recordSegment(hashed[1], segment);
      }
      ensureDirectory(this.lakeDir, path.dirname(file));
      await fs.rename(scratch, file);
    } catch (err) {
      await fs.rm(scratch, { force: true });
      throw err;
    }
  }

  /** Writes a long segment's original text under its hash, before any object uses its hashed name. */
  private async recordSegment(hash: string, segment: string): Promise<void> {
    const file = path.join(this.segmentsDir, hash);
    if (
      await fs.lstat(file).then(
        () => true,
        () => false,
      )
    )
      return;
    ensureDirectory(this.lakeDir, this.segmentsDir);
    const scratch = await this.scratchPath();
    try {
      await fs.writeFile(scratch, segment);
      await fs.rename(scratch, file);
    } catch (err) {
      await fs.rm(scratch, { force: true });
      throw err;
    }
  }
}

/**
 * Creates `dir` and the folders above it up to `root`, refusing any that is a symbolic link (or not a folder):
 * a link inside the lake would send objects elsewhere. `root` itself may be a link: the user chose it.
 */
export function ensureDirectory(root: string, dir: string): void {
  const relative = path.relative(root, dir);
  if (relative.startsWith("..") || path.isAbsolute(relative))
    throw new Error(`${dir} is not inside the lake ${root}`);
  mkdirSync(root, { recursive: true });
  let at = root;
  for (const part of relative === "" ? [] : relative.split(path.sep)) {
    at = path.join(at, part);
    try {
      mkdirSync(at);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const stat = lstatSync(at);
    if (stat.isSymbolicLink())
      throw new Error(`refusing to write through the symbolic link ${at} inside the lake ${root}`);
    if (!stat.isDirectory()) throw new Error(`${at} inside the lake ${root} is not a folder`);
  }
}

/** The long key segments of a lake, by the local name each is stored under: the original segment text. */
export function hashedSegments(lakeDir: string): Map<string, string> {
  const dir = path.join(lakeDir, SEGMENTS_DIR);
  if (!existsSync(dir)) return new Map();
  return new Map(
    readdirSync(dir).map((hash) => {
      const original = readFileSync(path.join(dir, hash), "utf8");
      return [localName(original, false), original];
    }),
  );
}

/** Whether a process with this id runs (one we may not signal runs too). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A key segment's local file name; the last segment (the object's name) keeps its extension when hashed. */
function localName(segment: string, last: boolean): string {
  const encoded = encodeSegment(segment);
  if (Buffer.byteLength(encoded) <= MAX_NAME_BYTES) return encoded;
  const hash = createHash("sha256").update(segment).digest("hex").slice(0, 32);
  const extension = last ? (/\.[a-z]{1,8}$/.exec(segment)?.[0] ?? "") : "";
  return `${headOf(encoded)}%~${hash}${extension}`;
}

/** The first bytes of an encoded segment, cut between characters and outside a `%XX` escape. */
function headOf(encoded: string): string {
  let head = "";
  for (const ch of encoded) {
    if (Buffer.byteLength(head + ch) > HASHED_HEAD_BYTES) break;
    head += ch;
  }
  return head.replace(/%[0-9A-F]?$/, "");
}

function encodeSegment(segment: string): string {
  if (segment === "." || segment === "..") return segment.replace(/\./g, "%2E");
  return segment.replace(
    /[%\\\0]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}
