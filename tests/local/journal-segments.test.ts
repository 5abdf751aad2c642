import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, promises, readdirSync, readFileSync, writeFileSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import * as path from "node:path";
import { Journal } from "../../local/journal";
import { RecordData } from "../../local/records";
import { tempDir } from "../support/temp-dir";

const record = (text: string): RecordData => ({
  base64: Buffer.from(text).toString("base64"),
  bytes: Buffer.byteLength(text),
});

/** A lake and the journal folder in it, with `files` (name to content) written there first. */
function journalDir(label: string, files: Record<string, string> = {}): { root: string; dir: string } {
  const root = tempDir(label);
  const dir = path.join(root, ".journal", "s");
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return { root, dir };
}

const lines = (...texts: string[]) => texts.map((text, i) => `${100 + i} ${record(text).base64}\n`).join("");
const contentOf = (dir: string, name: string) => readFileSync(path.join(dir, name), "latin1");
const texts = (replay: { data: RecordData }[]) =>
  replay.map((e) => Buffer.from(e.data.base64, "base64").toString());

/**
 * Replaces fs.promises.open (the journal's) until `restore`: logs the calls on the handles it opens, and keeps
 * the handles, so that a handle left open stays open (garbage collection would close it).
 */
function watchOpens(): { calls: string[]; handles: FileHandle[]; restore: () => void } {
  const calls: string[] = [];
  const handles: FileHandle[] = [];
  const open = promises.open;
  promises.open = async (...args: Parameters<typeof open>) => {
    calls.push("open");
    const handle = await open(...args);
    handles.push(handle);
    const { write, datasync } = handle;
    handle.write = ((...written: Parameters<typeof write>) => {
      calls.push("write");
      return write.apply(handle, written);
    }) as typeof write;
    handle.datasync = () => {
      calls.push("datasync");
      return datasync.apply(handle);
    };
    return handle;
  };
  return { calls, handles, restore: () => (promises.open = open) };
}

describe("local: the journal's segments, lines and notes", () => {
  it("replays segments in numeric order and appends to a new segment after the highest", async () => {
    const { root, dir } = journalDir("journal-order", {
      "000000000010.journal": lines("j"),
      "000000000002.journal": lines("b", "c"),
      "000000000009.journal": lines("i"),
      // Not segments: the names must be exactly 12 digits and ".journal".
      "00000000001.journal": "not a record\n",
      "0000000000011.journal": "not a record\n",
      "x000000000012.journal": "not a record\n",
      "000000000013.journal.tmp": "not a record\n",
    });
    const { journal, replay } = Journal.open(root, dir);
    assert.deepEqual(
      replay.map((e) => [e.segment, e.line, e.arrivalMs, e.data.bytes]),
      [
        [2, 0, 100, 1],
        [2, 1, 101, 1],
        [9, 0, 100, 1],
        [10, 0, 100, 1],
      ],
    );
    assert.deepEqual(texts(replay), ["b", "c", "i", "j"]);
    assert.equal(contentOf(dir, "lock"), String(process.pid));

    const first = journal.append([record("x"), record("yz")], 1234);
    assert.deepEqual([first.segment, first.firstLine], [11, 0]);
    const second = journal.append([record("w")], 5);
    assert.deepEqual([second.segment, second.firstLine], [11, 2]);
    await Promise.all([first.written, second.written]);
    assert.equal(contentOf(dir, "000000000011.journal"), "1234 eA==\n1234 eXo=\n5 dw==\n");
    await journal.close();
  });

  it("starts at segment 1 in an empty journal, and a close with nothing outstanding leaves nothing", async () => {
    const { root, dir } = journalDir("journal-empty");
    const { journal, replay } = Journal.open(root, dir);
    assert.deepEqual(replay, []);
    const { segment, firstLine, written } = journal.append([record("a")], 1);
    assert.deepEqual([segment, firstLine], [1, 0]);
    await written;
    journal.release(segment, firstLine, 1);
    await journal.close();
    assert.deepEqual(readdirSync(dir), []);
  });

  it("close deletes a segment whose records settled before they were on disk", async () => {
    const { root, dir } = journalDir("journal-close-settled");
    const { journal } = Journal.open(root, dir);
    const { segment, firstLine } = journal.append([record("a")], 1);
    journal.release(segment, firstLine, 1);
    await journal.close();
    assert.deepEqual(readdirSync(dir), []);
  });

  it("close waits for queued appends and keeps the segments whose records have not settled", async () => {
    const { root, dir } = journalDir("journal-close");
    const { journal } = Journal.open(root, dir);
    const opens = watchOpens();
    try {
      journal.append([record("kept")], 7);
      await journal.close();
    } finally {
      opens.restore();
    }
    assert.deepEqual(readdirSync(dir), ["000000000001.journal"]);
    assert.deepEqual(
      opens.handles.map((handle) => handle.fd),
      [-1],
      "close closes the segment files",
    );
    const { replay } = Journal.open(root, dir);
    assert.deepEqual(texts(replay), ["kept"]);
  });

  it("skips the lines a note settled, and deletes at start a segment with none left and notes without a segment", async () => {
    const { root, dir } = journalDir("journal-notes", {
      "000000000001.journal": lines("a", "b"),
      "000000000001.settled": "0 2\n",
      "000000000003.journal": lines("c", "d", "e", "f"),
      "000000000003.settled": "0 1\n2 1\n",
      "000000000005.settled": "0 1\n",
      "x000000000006.settled": "0 1\n",
      "000000000007.settled.old": "0 1\n",
      "other.settled": "0 1\n",
    });
    const { journal, replay } = Journal.open(root, dir);
    assert.deepEqual(
      replay.map((e) => [e.segment, e.line]),
      [
        [3, 1],
        [3, 3],
      ],
    );
    assert.deepEqual(texts(replay), ["d", "f"]);
    assert.deepEqual(readdirSync(dir).sort(), [
      "000000000003.journal",
      "000000000003.settled",
      "000000000007.settled.old",
      "lock",
      "other.settled",
      "x000000000006.settled",
    ]);
    const appended = journal.append([record("g")], 1);
    assert.equal(appended.segment, 4);
    await appended.written;
    await journal.close();
  });

  it("reads a record with no data, and refuses a line that is not '<arrival ms> <base64 data>'", () => {
    const { root, dir } = journalDir("journal-empty-record", { "000000000001.journal": "12 \n" });
    assert.deepEqual(Journal.open(root, dir).replay, [
      { segment: 1, line: 0, arrivalMs: 12, data: { base64: "", bytes: 0 } },
    ]);
    const bad = ["x12 YQ==", "12 YQ===", "12 YQ== ", "12YQ==", "12  YQ==", "12 Y-Q=", "-1 YQ==", "1.5 YQ=="];
    for (const text of bad) {
      const refused = journalDir("journal-bad", { "000000000001.journal": `${lines("ok")}${text}\n` });
      const file = path.join(refused.dir, "000000000001.journal");
      assert.throws(() => Journal.open(refused.root, refused.dir), {
        message: `journal ${file} line 2 is not '<arrival ms> <base64 data>': ${text}`,
      });
    }
    const long = `1 ${"!".repeat(100)}`;
    const refused = journalDir("journal-long", { "000000000001.journal": `${long}\n` });
    assert.throws(() => Journal.open(refused.root, refused.dir), {
      message: `journal ${path.join(refused.dir, "000000000001.journal")} line 1 is not '<arrival ms> <base64 data>': ${long.slice(0, 80)}`,
    });
  });

  it("notes settled lines as ranges, a split line once all its parts have settled", async () => {
    const { root, dir } = journalDir("journal-ranges");
    const { journal } = Journal.open(root, dir);
    const { segment, written } = journal.append(["a", "b", "c", "d", "e", "f"].map(record), 1);
    await written;
    const note = () => contentOf(dir, "000000000001.settled");
    journal.release(segment, 0, 2);
    assert.equal(note(), "0 2\n");
    journal.split(segment, 3, 3);
    journal.split(segment, 1, 1); // one part: nothing to track
    journal.release(segment, 2, 3);
    assert.equal(note(), "0 2\n2 1\n4 1\n");
    journal.release(segment, 3, 1);
    assert.equal(note(), "0 2\n2 1\n4 1\n", "one of three parts left");
    journal.release(segment, 3, 1);
    assert.equal(note(), "0 2\n2 1\n4 1\n3 1\n");
    journal.split(segment, 5, 0); // no parts: the record settles, and with it the segment
    assert.deepEqual(readdirSync(dir), ["lock"], "a segment whose records have all settled goes");
    journal.release(segment, 5, 1);
    assert.deepEqual(readdirSync(dir), ["lock"], "a release for a segment that has gone notes nothing");
    const next = journal.append([record("g")], 2);
    assert.deepEqual([next.segment, next.firstLine], [2, 0]);
    await next.written;
    await journal.close();
    const after = journal.append([record("h")], 3);
    assert.deepEqual([after.segment, after.firstLine], [3, 0], "close sealed segment 2");
    await after.written;
    await journal.close();
  });

  it("a segment that goes while the journal is open has its file closed", async () => {
    const { root, dir } = journalDir("journal-close-gone");
    const { journal } = Journal.open(root, dir);
    const opens = watchOpens();
    try {
      const { segment, written } = journal.append([record("a")], 1);
      await written;
      journal.release(segment, 0, 1);
    } finally {
      opens.restore();
    }
    // The close is not waited for: it is done within moments.
    const until = Date.now() + 5000;
    while (opens.handles[0].fd !== -1 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.equal(opens.handles[0].fd, -1);
    await journal.close();
  });

  it("a split line at the start and end of a released range, and releases of unknown segments", async () => {
    const { root, dir } = journalDir("journal-split-edges");
    const { journal } = Journal.open(root, dir);
    const { segment, written } = journal.append(["a", "b", "c", "d"].map(record), 1);
    await written;
    journal.split(segment, 0, 2);
    journal.split(segment, 3, 2);
    journal.release(segment, 0, 4);
    assert.equal(contentOf(dir, "000000000001.settled"), "1 2\n");
    journal.release(99, 0, 1);
    journal.split(99, 0, 2);
    journal.split(99, 0, 0);
    assert.deepEqual(readdirSync(dir).sort(), ["000000000001.journal", "000000000001.settled", "lock"]);
    await journal.close();
    assert.deepEqual(texts(Journal.open(root, dir).replay), ["a", "d"]);
  });

  it("a segment settling forgets only its own split records", async () => {
    const { root, dir } = journalDir("journal-split-other", { "000000000001.journal": lines("old") });
    const { journal } = Journal.open(root, dir);
    const { segment, written } = journal.append([record("new")], 1);
    await written;
    assert.equal(segment, 2);
    journal.split(segment, 0, 2);
    journal.release(1, 0, 1);
    assert.equal(existsSync(path.join(dir, "000000000001.journal")), false);
    journal.release(segment, 0, 1);
    assert.equal(
      existsSync(path.join(dir, "000000000002.settled")),
      false,
      "one part of the split record is left",
    );
    await journal.close();
  });

  it("closes a segment at 16 MiB and deletes it once its records settle and its appends are on disk", async () => {
    const { root, dir } = journalDir("journal-rotate");
    const { journal } = Journal.open(root, dir);
    // "1 <data>\n": 16 MiB less one byte stays open, 16 MiB closes.
    const under = journal.append([{ base64: "A".repeat(16 * 1024 * 1024 - 4), bytes: 0 }], 1);
    const same = journal.append([record("x")], 1);
    assert.deepEqual([same.segment, same.firstLine], [under.segment, 1]);
    const full = journal.append([{ base64: "A".repeat(16 * 1024 * 1024 - 3), bytes: 0 }], 1);
    assert.equal(full.segment, under.segment + 1);
    const next = journal.append([record("y")], 2);
    assert.deepEqual([next.segment, next.firstLine], [full.segment + 1, 0]);
    journal.release(full.segment, 0, 1);
    await Promise.all([under.written, same.written, full.written, next.written]);
    assert.deepEqual(readdirSync(dir).sort(), ["000000000001.journal", "000000000003.journal", "lock"]);
    await journal.close();
  });

  it("keeps every segment with an unsettled record on disk, sealed or current, through rotation and partial settling", async () => {
    const { root, dir } = journalDir("journal-keeps-unsettled");
    const { journal } = Journal.open(root, dir);
    const big = { base64: "A".repeat(16 * 1024 * 1024), bytes: 0 };
    const first = journal.append([record("a"), record("b"), big], 1);
    await first.written;
    // The segment is full: this append seals it and starts the next one, while a, b and big are unsettled.
    const next = journal.append([record("c")], 2);
    await next.written;
    assert.equal(next.segment, first.segment + 1);
    journal.release(first.segment, 0, 1);
    // A crash now (no close): the next run replays what was acknowledged and has not settled.
    const reopened = Journal.open(root, dir);
    assert.deepEqual(
      reopened.replay.map((e) => [e.segment, e.line, e.data.base64.length]),
      [
        [first.segment, 1, record("b").base64.length],
        [first.segment, 2, big.base64.length],
        [next.segment, 0, record("c").base64.length],
      ],
    );
    await reopened.journal.close();
  });

  it("group commit: one open per segment, one write and one datasync per round of queued appends", async () => {
    const { root, dir } = journalDir("journal-group-commit");
    const { journal } = Journal.open(root, dir);
    const { calls, restore } = watchOpens();
    try {
      // The first append starts a round at once; the four after it wait for the next one together.
      const appended = ["a", "b", "c", "d", "e"].map((text) => journal.append([record(text)], 1).written);
      await Promise.all(appended);
      await journal.append([record("f")], 1).written;
    } finally {
      restore();
    }
    assert.deepEqual(calls, ["open", "write", "datasync", "write", "datasync", "write", "datasync"]);
    assert.equal(
      contentOf(dir, "000000000001.journal"),
      lines("a", "b", "c", "d", "e", "f").replace(/\d+ /g, "1 "),
    );
    await journal.close();
  });

  it("a write that fails rejects the appends it carried", async () => {
    const { root, dir } = journalDir("journal-write-fails");
    const { journal } = Journal.open(root, dir);
    mkdirSync(path.join(dir, "000000000001.journal"));
    const { written } = journal.append([record("a")], 1);
    await assert.rejects(written, { code: "EISDIR" });
    await assert.rejects(journal.append([record("b")], 1).written, { code: "EISDIR" });
  });

  it("takes over a lock of this process, of a process that has gone, or that names no process", () => {
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    for (const holder of [String(process.pid), String(gone), "0", "-1", "not a pid", ""]) {
      const { root, dir } = journalDir("journal-stale-lock", { lock: holder });
      Journal.open(root, dir);
      assert.equal(contentOf(dir, "lock"), String(process.pid), `lock ${JSON.stringify(holder)}`);
    }
  });

  it("refuses a journal another running process holds, naming the journal and the process", () => {
    const { root, dir } = journalDir("journal-held", { lock: String(process.ppid) });
    assert.throws(() => Journal.open(root, dir), {
      message: `the journal ${dir} is in use by process ${process.ppid}: one local run per lake and stream at a time`,
    });
    assert.equal(contentOf(dir, "lock"), String(process.ppid));
  });
});
