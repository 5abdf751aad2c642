// A delivery stream's write-ahead journal, so that a record PutRecordBatch acknowledged survives the process
// (SIGKILL, a crash, a lake that cannot be written): each accepted record is appended and flushed to disk before
// the answer, and the records of an unclean stop are replayed when the stream starts again on the same lake.
// The journal is a series of segment files, one line per record (`<arrival ms> <base64 data>`); a segment is
// deleted once every record written to it has settled (is in a lake object, or was dropped by the transform).
// A record can reach the lake and still be replayed (a kill between an object's rename and its segment's
// deletion): delivery is at least once, as Firehose's is.
import {
  closeSync,
  openSync,
  promises as fs,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import * as path from "node:path";
import { ensureDirectory, isRunning } from "./lake-store";
import { RecordData } from "./records";

/** A segment this large is closed and a new one opened: settled segments are deleted whole. */
const SEGMENT_BYTES = 16 * 1024 * 1024;
const SEGMENT_FILE = /^(\d{12})\.journal$/;
const LINE = /^(\d+) ([A-Za-z0-9+/]*={0,2})$/;

/** A record read back from the journal at start. */
export interface JournalEntry {
  readonly segment: number;
  readonly arrivalMs: number;
  readonly data: RecordData;
}

interface Segment {
  readonly id: number;
  readonly file: string;
  bytes: number;
  /** Records written to it and not settled yet. */
  outstanding: number;
  /** Appends queued for it and not yet on disk. */
  queued: number;
  sealed: boolean;
  handle?: fs.FileHandle;
}

interface Append {
  readonly segment: Segment;
  readonly text: string;
  readonly done: (err?: unknown) => void;
}

export class Journal {
  private readonly segments = new Map<number, Segment>();
  private current: Segment;
  private queue: Append[] = [];
  private flushing: Promise<void> | undefined;

  private constructor(
    readonly dir: string,
    private readonly lock: string,
    nextId: number,
  ) {
    this.current = this.segment(nextId);
  }

  /**
   * Opens the journal in `dir` (created under `root`, the lake) for this process, and reads back the records an
   * earlier run left unsettled. Refuses a journal another running process holds.
   */
  static open(root: string, dir: string): { journal: Journal; replay: JournalEntry[] } {
    ensureDirectory(root, dir);
    const lock = path.join(dir, "lock");
    takeLock(lock);
    const replay: JournalEntry[] = [];
    const ids = readdirSync(dir)
      .map((name) => SEGMENT_FILE.exec(name)?.[1])
      .filter((id): id is string => id !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    const journal = new Journal(dir, lock, (ids[ids.length - 1] ?? 0) + 1);
    for (const id of ids) {
      const segment = journal.segment(id);
      const entries = readSegment(segment.file, id);
      segment.sealed = true;
      segment.outstanding = entries.length;
      if (entries.length === 0) journal.delete(segment);
      replay.push(...entries);
    }
    return { journal, replay };
  }

  /** Records neither in the lake nor dropped, in every segment. */
  get outstanding(): number {
    let total = 0;
    for (const segment of this.segments.values()) total += segment.outstanding;
    return total;
  }

  /**
   * Appends records that arrived at `arrivalMs`; returns their segment at once and, in `written`, a promise that
   * resolves when they are on disk (flushed with fdatasync, together with whatever else is queued).
   */
  append(records: readonly RecordData[], arrivalMs: number): { segment: number; written: Promise<void> } {
    if (this.current.sealed || this.current.bytes >= SEGMENT_BYTES) this.rotate();
    const segment = this.current;
    let text = "";
    for (const record of records) text += `${arrivalMs} ${record.base64}\n`;
    segment.bytes += text.length;
    segment.outstanding += records.length;
    segment.queued++;
    const written = new Promise<void>((resolve, reject) => {
      this.queue.push({ segment, text, done: (err) => (err === undefined ? resolve() : reject(err)) });
    });
    this.flushing ??= this.flush();
    return { segment: segment.id, written };
  }

  /** `count` more records stand for a segment's records (de-aggregation split one into several). */
  hold(segment: number, count: number): void {
    const held = this.segments.get(segment);
    if (held) held.outstanding += count;
  }

  /** `count` records of a segment have settled; a segment with none left goes. */
  release(segment: number, count: number): void {
    const held = this.segments.get(segment);
    if (!held) return;
    held.outstanding -= count;
    if (held.outstanding > 0 || held.queued > 0) return;
    if (held === this.current) this.rotate();
    else if (held.sealed) this.delete(held);
  }

  /** Waits for queued appends, closes the files and the lock; segments with unsettled records stay for replay. */
  async close(): Promise<void> {
    await this.flushing;
    this.current.sealed = true;
    for (const segment of [...this.segments.values()]) {
      await segment.handle?.close();
      segment.handle = undefined;
      if (segment.outstanding === 0) this.delete(segment);
    }
    rmSync(this.lock, { force: true });
  }

  private segment(id: number): Segment {
    const segment: Segment = {
      id,
      file: path.join(this.dir, `${String(id).padStart(12, "0")}.journal`),
      bytes: 0,
      outstanding: 0,
      queued: 0,
      sealed: false,
    };
    this.segments.set(id, segment);
    return segment;
  }

  private rotate(): void {
    const old = this.current;
    old.sealed = true;
    this.current = this.segment(old.id + 1);
    if (old.outstanding === 0 && old.queued === 0) this.delete(old);
  }

  private delete(segment: Segment): void {
    this.segments.delete(segment.id);
    void segment.handle?.close();
    rmSync(segment.file, { force: true });
  }

  /** Writes queued appends in order, one write and one fdatasync per segment per round (group commit). */
  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const round = this.queue;
      this.queue = [];
      const bySegment = new Map<Segment, Append[]>();
      for (const append of round) {
        const list = bySegment.get(append.segment) ?? [];
        list.push(append);
        bySegment.set(append.segment, list);
      }
      for (const [segment, appends] of bySegment) {
        let error: unknown;
        try {
          segment.handle ??= await fs.open(segment.file, "a");
          await segment.handle.write(appends.map((a) => a.text).join(""));
          await segment.handle.datasync();
        } catch (err) {
          error = err;
        }
        segment.queued -= appends.length;
        for (const append of appends) append.done(error);
        if (segment.outstanding === 0 && segment.queued === 0 && segment.sealed) this.delete(segment);
      }
    }
    this.flushing = undefined;
  }
}

/** A segment's records; a last line without its newline was never acknowledged and is left out. */
function readSegment(file: string, id: number): JournalEntry[] {
  const lines = readFileSync(file, "latin1").split("\n");
  lines.pop();
  return lines.map((line, i) => {
    const match = LINE.exec(line);
    if (!match)
      throw new Error(
        `journal ${file} line ${i + 1} is not '<arrival ms> <base64 data>': ${line.slice(0, 80)}`,
      );
    const base64 = match[2];
    return {
      segment: id,
      arrivalMs: Number(match[1]),
      data: { base64, bytes: Buffer.byteLength(base64, "base64") },
    };
  });
}

/** Claims the journal for this process: a lock naming a process that still runs refuses it. */
function takeLock(lock: string): void {
  let fd: number;
  try {
    fd = openSync(lock, "wx");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    const holder = Number(readFileSync(lock, "utf8"));
    if (holder !== process.pid && holder > 0 && isRunning(holder)) {
      throw new Error(
        `the journal ${path.dirname(lock)} is in use by process ${holder}: one local run per lake and stream at a time`,
      );
    }
    unlinkSync(lock);
    fd = openSync(lock, "wx");
  }
  writeSync(fd, String(process.pid));
  closeSync(fd);
}
