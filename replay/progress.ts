// A replay's progress, kept in the lake beside what it replays: one manifest per source object at
// `replay/<pipeline>/<source key>.json`, saved (whole, atomically) before each PutRecordBatch call with the
// lines it carries as in flight, and after each answer with the lines acknowledged as sent. A second run
// therefore sends nothing already acknowledged, and a run killed at any moment re-sends at most the lines it
// had in flight, which the next run counts.
import { createHash } from "node:crypto";
import { REPLAY_ROOT } from "../config/layout";
import { Lake } from "./lake";

/** What one source object's manifest holds. */
export interface ProgressDocument {
  readonly version: 1;
  readonly source: string;
  /** Lines sent and acknowledged: line → [digest of the data, epoch ms it was sent]. */
  readonly sent: Record<string, [string, number]>;
  /** Lines of a call whose answer was not recorded yet. */
  readonly inFlight: number[];
}

export function progressKeyOf(pipeline: string, sourceKey: string): string {
  return `${REPLAY_ROOT}${pipeline}/${sourceKey}.json`;
}

/** Identifies a record's bytes; a replayed record that fails again carries the same bytes. */
export function digestOf(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex").slice(0, 32);
}

export class SourceProgress {
  private readonly sent: Map<number, [string, number]>;
  private inFlight: Set<number>;
  /** Lines in flight when an earlier run stopped: sending them again may send them twice. */
  readonly leftInFlight: ReadonlySet<number>;

  constructor(
    readonly pipeline: string,
    readonly source: string,
    doc?: ProgressDocument,
  ) {
    this.sent = new Map(Object.entries(doc?.sent ?? {}).map(([line, v]) => [Number(line), v]));
    this.inFlight = new Set();
    this.leftInFlight = new Set((doc?.inFlight ?? []).filter((line) => !this.sent.has(line)));
  }

  isSent(line: number): boolean {
    return this.sent.has(line);
  }

  /** Digest and send time of each acknowledged line. */
  sentEntries(): Iterable<[string, number]> {
    return this.sent.values();
  }

  startSending(lines: readonly number[]): void {
    for (const line of lines) this.inFlight.add(line);
  }

  acknowledge(line: number, digest: string, atMs: number): void {
    this.sent.set(line, [digest, atMs]);
    this.inFlight.delete(line);
  }

  /** The line's call answered without taking it: it is not in flight any more. */
  release(line: number): void {
    this.inFlight.delete(line);
  }

  toDocument(): ProgressDocument {
    return {
      version: 1,
      source: this.source,
      sent: Object.fromEntries([...this.sent.entries()].sort((a, b) => a[0] - b[0])),
      inFlight: [...this.inFlight].sort((a, b) => a - b),
    };
  }
}

/** Reads and saves the manifests of one lake. */
export class ProgressBook {
  constructor(private readonly lake: Lake) {}

  async load(pipeline: string, source: string): Promise<SourceProgress> {
    const key = progressKeyOf(pipeline, source);
    const body = await this.lake.get(key);
    if (!body) return new SourceProgress(pipeline, source);
    let doc: ProgressDocument;
    try {
      doc = JSON.parse(body.toString("utf8")) as ProgressDocument;
    } catch {
      throw new Error(
        `${this.lake.location}/${key}: the replay manifest is not JSON; it is written whole, so something else changed it. Move it away only if you know none of its records were sent.`,
      );
    }
    if (doc.version !== 1 || doc.source !== source) {
      throw new Error(`${this.lake.location}/${key}: not a version 1 replay manifest of ${source}`);
    }
    return new SourceProgress(pipeline, source, doc);
  }

  save(progress: SourceProgress): Promise<void> {
    const key = progressKeyOf(progress.pipeline, progress.source);
    return this.lake.put(key, Buffer.from(JSON.stringify(progress.toDocument())));
  }

  /** Every record a replay of `pipeline` has sent: digest → earliest send time. */
  async sentDigests(pipeline: string): Promise<Map<string, number>> {
    const digests = new Map<string, number>();
    const prefix = `${REPLAY_ROOT}${pipeline}/`;
    for await (const object of this.lake.list(prefix)) {
      const source = object.key.slice(prefix.length, -".json".length);
      const progress = await this.load(pipeline, source);
      for (const [digest, at] of progress.sentEntries()) {
        digests.set(digest, Math.min(at, digests.get(digest) ?? at));
      }
    }
    return digests;
  }
}
