import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { ensureDirectory, hashedSegments, isRunning, LakeStore } from "../../local/lake-store";
import { tempDir } from "../support/temp-dir";
import { filesUnder } from "./harness";

const HASHED_NAME = /^(.*)%~([0-9a-f]{32})(\.[a-z]+)?$/;

/** The pid of a process that has exited. */
function deadPid(): string {
  return spawnSync(process.execPath, ["-e", "console.log(process.pid)"]).stdout.toString().trim();
}

describe("local: lake store keys and file names", () => {
  const store = new LakeStore("/lake", "bucket");

  it("an empty key is no file name", () => {
    assert.throws(() => store.pathOf(""), { message: 'object key "" is not a file name' });
  });

  it("keeps the journal outside the bucket, per bucket and stream", () => {
    assert.equal(store.journalDir("s1"), path.normalize("/lake/.journal/bucket/s1"));
  });

  it("a segment of exactly 255 bytes keeps its name; one of 256 is hashed", () => {
    const exact = "a".repeat(255);
    assert.equal(path.basename(store.pathOf(`d/${exact}`)), exact);
    // Encoding counts: 253 characters and one `%` make 255 bytes.
    assert.equal(path.basename(store.pathOf(`d/${"a".repeat(252)}%`)), `${"a".repeat(252)}%25`);
    assert.match(path.basename(store.pathOf(`d/${"a".repeat(253)}%`)), HASHED_NAME);
    const name = path.basename(store.pathOf(`d/${"a".repeat(256)}`));
    const hash = createHash("sha256").update("a".repeat(256)).digest("hex").slice(0, 32);
    assert.equal(name, `${"a".repeat(100)}%~${hash}`);
  });

  it("a hashed name keeps the first 100 bytes, cut between characters and outside an escape", () => {
    // 99 bytes, then a 2-byte character: the head stops at 99 bytes.
    const wide = store.pathOf(`d/${"a".repeat(99)}${"é".repeat(100)}`);
    assert.equal(HASHED_NAME.exec(path.basename(wide))?.[1], "a".repeat(99));
    // An escape split by the cut is left out whole.
    for (const before of [98, 99]) {
      const escaped = store.pathOf(`d/${"a".repeat(before)}${"%".repeat(100)}`);
      assert.equal(HASHED_NAME.exec(path.basename(escaped))?.[1], "a".repeat(before), String(before));
    }
    const whole = store.pathOf(`d/${"a".repeat(97)}${"%".repeat(100)}`);
    assert.equal(HASHED_NAME.exec(path.basename(whole))?.[1], `${"a".repeat(97)}%25`);
  });

  it("only the object's name keeps a lower-case extension of 1 to 8 letters when hashed", () => {
    const long = "n".repeat(300);
    const ext = (key: string) => HASHED_NAME.exec(path.basename(store.pathOf(key)))?.[3];
    assert.equal(ext(`d/${long}.gz`), ".gz");
    assert.equal(ext(`d/${long}.abcdefgh`), ".abcdefgh");
    assert.equal(ext(`d/${long}.abcdefghi`), undefined);
    assert.equal(ext(`d/${long}.GZ`), undefined);
    assert.equal(ext(`d/${long}.g1`), undefined);
    assert.equal(ext(`d/${long}`), undefined);
    assert.equal(ext(`d/${long}.gz.x`), ".x");
    const folder = path.basename(path.dirname(store.pathOf(`d/${long}.gz/x`)));
    assert.equal(HASHED_NAME.exec(folder)?.[3], undefined);
  });

  it("the same long segment always has the same name; another has another", () => {
    const a = store.pathOf(`d/${"x".repeat(300)}`);
    assert.equal(store.pathOf(`d/${"x".repeat(300)}`), a);
    assert.notEqual(store.pathOf(`d/${"x".repeat(299)}y`), a);
  });

  it("maps file names back to keys, decoding escapes", () => {
    assert.equal(store.keyOf(path.normalize("/lake/bucket/a/50%25/%2E%2E/b%5Cc%00")), "a/50%/../b\\c\0");
    assert.equal(store.keyOf(path.normalize("/lake/bucket/x%2e")), "x%2e");
  });
});

describe("local: lake store writes", () => {
  it("writes an object atomically through its scratch folder, leaving no scratch file", async () => {
    const lakeDir = tempDir("lake-put");
    const store = new LakeStore(lakeDir, "bucket");
    await store.put("data/a/b.json", Buffer.from("one"));
    await store.put("data/a/b.json", Buffer.from("two"));
    assert.equal(readFileSync(path.join(lakeDir, "bucket", "data", "a", "b.json"), "utf8"), "two");
    assert.deepEqual(filesUnder(lakeDir), ["bucket/data/a/b.json"]);
    assert.deepEqual(readdirSync(path.join(lakeDir, ".tmp")), [String(process.pid)]);
  });

  it("a scratch path is new each time, in this process's folder, with the suffix", async () => {
    const lakeDir = tempDir("lake-scratch-path");
    const store = new LakeStore(lakeDir, "bucket");
    const a = await store.scratchPath(".parquet");
    const b = await store.scratchPath();
    assert.equal(path.dirname(a), path.join(lakeDir, ".tmp", String(process.pid)));
    assert.match(path.basename(a), /^[0-9a-f-]{36}\.parquet$/);
    assert.match(path.basename(b), /^[0-9a-f-]{36}$/);
    assert.notEqual(a, b);
    assert.ok(existsSync(path.dirname(b)));
  });

  it("removes dead processes' scratch folders once, and keeps entries that are not process ids", async () => {
    const lakeDir = tempDir("lake-scratch-once");
    const dead = deadPid();
    for (const entry of [dead, `${dead}x`, `x${dead}`]) {
      mkdirSync(path.join(lakeDir, ".tmp", entry), { recursive: true });
      writeFileSync(path.join(lakeDir, ".tmp", entry, "left-over"), "");
    }
    const store = new LakeStore(lakeDir, "bucket");
    await store.scratchPath();
    assert.deepEqual(filesUnder(path.join(lakeDir, ".tmp")), [`${dead}x/left-over`, `x${dead}/left-over`]);
    // Later calls do not look again.
    mkdirSync(path.join(lakeDir, ".tmp", dead));
    await store.put("k", Buffer.from("v"));
    assert.ok(existsSync(path.join(lakeDir, ".tmp", dead)));
  });

  it("a key that is no file name leaves no scratch file behind", async () => {
    const lakeDir = tempDir("lake-bad-key");
    const store = new LakeStore(lakeDir, "bucket");
    await assert.rejects(store.put("", Buffer.from("x")), /is not a file name/);
    assert.deepEqual(filesUnder(path.join(lakeDir, ".tmp")), []);
  });

  it("records a long segment's text once, in .segments, under its hash", async () => {
    const lakeDir = tempDir("lake-segments");
    const store = new LakeStore(lakeDir, "bucket");
    const long = "s".repeat(300);
    assert.deepEqual(hashedSegments(lakeDir), new Map());
    await store.put(`${long}/a`, Buffer.from("1"));
    const [hash] = readdirSync(path.join(lakeDir, ".segments"));
    assert.match(hash, /^[0-9a-f]{32}$/);
    assert.equal(readFileSync(path.join(lakeDir, ".segments", hash), "utf8"), long);
    // A second object under the segment finds it recorded and leaves the record as it is.
    writeFileSync(path.join(lakeDir, ".segments", hash), "marked");
    await store.put(`${long}/b`, Buffer.from("2"));
    assert.equal(readFileSync(path.join(lakeDir, ".segments", hash), "utf8"), "marked");
    writeFileSync(path.join(lakeDir, ".segments", hash), long);
    assert.deepEqual(readdirSync(path.join(lakeDir, ".segments")), [hash]);
    const folder = path.basename(path.dirname(store.pathOf(`${long}/a`)));
    assert.deepEqual(hashedSegments(lakeDir), new Map([[folder, long]]));
    assert.equal(store.keyOf(store.pathOf(`${long}/b`)), `${long}/b`);
    assert.deepEqual(filesUnder(path.join(lakeDir, ".tmp")), []);
  });
});

describe("local: lake folders", () => {
  it("creates the folders up to the lake, the lake too", () => {
    const root = path.join(tempDir("lake-dirs"), "lake");
    ensureDirectory(root, path.join(root, "a", "b"));
    assert.ok(existsSync(path.join(root, "a", "b")));
    ensureDirectory(root, path.join(root, "a", "b"));
    const empty = path.join(tempDir("lake-dirs"), "only");
    ensureDirectory(empty, empty);
    assert.deepEqual(readdirSync(empty), []);
  });

  it("refuses a folder outside the lake, naming both", () => {
    const root = tempDir("lake-outside");
    for (const dir of [path.dirname(root), path.join(root, "..", "x")]) {
      assert.throws(() => ensureDirectory(root, dir), { message: `${dir} is not inside the lake ${root}` });
    }
  });

  it("passes on an error other than an existing folder", () => {
    const root = tempDir("lake-long-name");
    assert.throws(() => ensureDirectory(root, path.join(root, "x".repeat(300))), { code: "ENAMETOOLONG" });
  });

  it("tells a running process from one that has exited", () => {
    assert.equal(isRunning(process.pid), true);
    assert.equal(isRunning(Number(deadPid())), false);
  });
});
