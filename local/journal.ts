// A delivery stream's write-ahead journal, so that a record PutRecordBatch acknowledged survives the process
// (SIGKILL, a crash, a lake that cannot be written): each accepted record is appended and flushed to disk before
// the answer, and the records of an unclean stop are replayed when the stream starts again on the same lake.
// The journal is a series of segment files, one line per record (`<arrival ms> <base64 data>`). As records settle
// (reach the lake in an object, or are dropped by the transform) their line numbers go to the segment's
// `.settled` note, which replay skips; a segment whose records have all settled is deleted. A record can reach the
// lake and still be replayed (a kill between an object's rename and the note of its lines): delivery is at least
// once, as Firehose's is.
import {
  appendFileSync,
  closeSync,
  existsSync,
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
  readonly line: number;
  readonly arrivalMs: number;
  readonly data: RecordData;
}

interface Segment {
  readonly id: number;
  readonly file: string;
  bytes: number;
  /** Lines written (the next record's line number). */
  lines: number;
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
  /** Records de-aggregation split, by `<segment>:<line>`: how many of their parts have not settled. */
  private readonly splits = new Map<string, number>();
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
    // Notes of settled lines whose segment is gone (deleted after the note was written).
    for (const name of readdirSync(dir)) {
      const id = /^(\d{12})\.settled$/.exec(name)?.[1];
      if (id !== undefined && !journal.segments.has(Number(id)))
        rmSync(path.join(dir, name), { force: true });
    }
    return { journal, replay };
  }

  /**
   * Appends records that arrived at `arrivalMs`; returns their segment at once and, in `written`, a promise that
   * resolves when they are on disk (flushed with fdatasync, together with whatever else is queued).
   */
  append(
    records: readonly RecordData[],
    arrivalMs: number,
  ): { segment: number; firstLine: number; written: Promise<void> } {
    if (this.current.sealed || this.current.bytes >= SEGMENT_BYTES) this.rotate();
    const segment = this.current;
    const firstLine = segment.lines;
    segment.lines += records.length;
    let text = "";
    for (const record of records) text += `${arrivalMs} ${record.base64}\n`;
    segment.bytes += text.length;
    segment.outstanding += records.length;
    segment.queued++;
    const written = new Promise<void>((resolve, reject) => {
      this.queue.push({ segment, text, done: (err) => (err === undefined ? resolve() : reject(err)) });
    });
    this.flushing ??= this.flush();
    return { segment: segment.id, firstLine, written };
  }

  /** De-aggregation split the record on this line into `parts` records: it settles when they all have. */
  split(segment: number, line: number, parts: number): void {
    const held = this.segments.get(segment);
    // Stryker disable next-line ConditionalExpression: a split into one part, tracked, settles like one never split
    if (!held || parts === 1) return;
    if (parts === 0) {
      this.release(segment, line, 1);
      return;
    }
    held.outstanding += parts - 1;
    this.splits.set(`${segment}:${line}`, parts);
  }

  /**
   * The records on lines `first` to `first + count - 1` of a segment have settled (for a split record, one of its
   * parts). Lines whose records have wholly settled are noted so that replay skips them; a segment with no record
   * left goes.
   */
  release(segment: number, first: number, count: number): void {
    const held = this.segments.get(segment);
    if (!held) return;
    held.outstanding -= count;
    if (held.outstanding === 0 && held.queued === 0) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: skips looking through no splits at all
      if (this.splits.size > 0)
        for (const key of this.splits.keys()) if (key.startsWith(`${segment}:`)) this.splits.delete(key);
      if (held === this.current) this.rotate();
      // Stryker disable next-line ConditionalExpression: every segment but the current one is sealed
      else if (held.sealed) this.delete(held);
      return;
    }
    this.noteSettled(held, first, count);
  }

  /** Appends the lines whose records have wholly settled, as ranges (`<first> <count>`), to the segment's note. */
  private noteSettled(segment: Segment, first: number, count: number): void {
    let note = "";
    let from = first;
    let run = 0;
    for (let line = first; line < first + count; line++) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: with no splits, every lookup would miss
      const key = this.splits.size > 0 ? `${segment.id}:${line}` : undefined;
      const parts = key === undefined ? undefined : this.splits.get(key);
      if (key !== undefined && parts !== undefined) {
        if (parts > 1) this.splits.set(key, parts - 1);
        else this.splits.delete(key);
      }
      if (parts !== undefined && parts > 1) {
        if (run > 0) note += `${from} ${run}\n`;
        run = 0;
        continue;
      }
      if (run === 0) from = line;
      run++;
    }
    if (run > 0) note += `${from} ${run}\n`;
    // A note lost in a crash only means its records are replayed: at least once.
    if (note !== "") appendFileSync(settledFile(segment.file), note);
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
      lines: 0,
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
    rmSync(settledFile(segment.file), { force: true });
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

function settledFile(segmentFile: string): string {
  return segmentFile.replace(/\.journal$/, ".settled");
}

/** A segment's unsettled records; a last line without its newline was never acknowledged and is left out. */
function readSegment(file: string, id: number): JournalEntry[] {
  const settled = new Set<number>();
  if (existsSync(settledFile(file))) {
    for (const range of readFileSync(settledFile(file), "latin1").split("\n")) {
      const [from, count] = range.split(" ").map(Number);
      for (let line = from; line < from + count; line++) settled.add(line);
    }
  }
  const lines = readFileSync(file, "latin1").split("\n");
  lines.pop();
  const entries: JournalEntry[] = [];
  lines.forEach((text, line) => {
    const match = LINE.exec(text);
    if (!match) {
      throw new Error(
        `journal ${file} line ${line + 1} is not '<arrival ms> <base64 data>': ${text.slice(0, 80)}`,
      );
    }
    if (settled.has(line)) return;
    const base64 = match[2];
    entries.push({
      segment: id,
      line,
      arrivalMs: Number(match[1]),
      data: { base64, bytes: Buffer.byteLength(base64, "base64") },
    });
  });
  return entries;
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
