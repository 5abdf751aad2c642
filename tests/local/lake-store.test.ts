import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { LakeStore } from "../../local/lake-store";
import { tempDir } from "../support/temp-dir";
import { filesUnder } from "./harness";

describe("local: object keys as local files", () => {
  const store = new LakeStore("/lake", "bucket");
  const cases: [string, string][] = [
    ["data/year=2026/x.gz", "/lake/bucket/data/year=2026/x.gz"],
    ["data/country=a b/x", "/lake/bucket/data/country=a b/x"],
    ["data/country=50%/x", "/lake/bucket/data/country=50%25/x"],
    ["data/country=A/../B/x", "/lake/bucket/data/country=A/%2E%2E/B/x"],
    ["data/./x", "/lake/bucket/data/%2E/x"],
    ["data/back\\slash/x", "/lake/bucket/data/back%5Cslash/x"],
    ["data/nul\0/x", "/lake/bucket/data/nul%00/x"],
    ["data/ünïcode/x", "/lake/bucket/data/ünïcode/x"],
  ];
  for (const [key, file] of cases) {
    it(`${JSON.stringify(key)} is ${file}`, () => {
      assert.equal(store.pathOf(key), path.normalize(file));
    });
  }

  it("a key never leaves the bucket's folder", () => {
    for (const key of ["../x", "../../etc/passwd", "a/../../x", "/x", ".."]) {
      assert.ok(store.pathOf(key).startsWith(`${path.normalize("/lake/bucket")}${path.sep}`), key);
    }
  });
});

describe("local: the lake store on disk", () => {
  it("stores a segment longer than a file name under a hashed name, and maps it back to the key", async () => {
    const lakeDir = path.join(tempDir("lake-long"), "not", "there", "yet");
    const store = new LakeStore(lakeDir, "bucket");
    const long = `country=${"ü%".repeat(150)}`;
    const keys = [`data/${long}/x.gz`, `data/${long}/y.gz`, `data/short/${"n".repeat(300)}.parquet`];
    for (const key of keys) await store.put(key, Buffer.from(key));
    for (const key of keys) {
      const file = store.pathOf(key);
      assert.equal(readFileSync(file, "utf8"), key);
      assert.equal(store.keyOf(file), key);
      for (const name of path.relative(lakeDir, file).split(path.sep)) {
        assert.ok(Buffer.byteLength(name) <= 255, `${Buffer.byteLength(name)} bytes: ${name}`);
      }
    }
    // Readable start, the hash after `%~` (which no encoded segment holds), the object's extension kept.
    assert.match(path.basename(path.dirname(store.pathOf(keys[0]))), /^country=(ü%25)+(ü)?%~[0-9a-f]{32}$/);
    assert.match(path.basename(store.pathOf(keys[2])), /^n+%~[0-9a-f]{32}\.parquet$/);
    assert.equal(store.keyOf(store.pathOf("data/50%/a\\b/..")), "data/50%/a\\b/..");
  });

  it("refuses a symbolic link or a file among the folders it writes into, naming it", async () => {
    const lakeDir = tempDir("lake-links");
    const store = new LakeStore(lakeDir, "bucket");
    mkdirSync(path.join(lakeDir, "bucket"));
    symlinkSync(tempDir("lake-elsewhere"), path.join(lakeDir, "bucket", "data"));
    writeFileSync(path.join(lakeDir, "bucket", "errors"), "");
    await assert.rejects(
      store.put("data/x", Buffer.from("x")),
      new RegExp(`refusing to write through the symbolic link ${path.join(lakeDir, "bucket", "data")}`),
    );
    await assert.rejects(
      store.put("errors/x", Buffer.from("x")),
      /bucket\/errors inside the lake .* is not a folder/,
    );
    assert.deepEqual(filesUnder(path.join(lakeDir, ".tmp")), [], "no scratch file is left behind");
  });

  it("removes the scratch folders of processes that no longer run, not those of running ones", async () => {
    const lakeDir = tempDir("lake-scratch");
    const dead = spawnSync(process.execPath, ["-e", "console.log(process.pid)"]).stdout.toString().trim();
    for (const pid of [dead, String(process.ppid)]) {
      mkdirSync(path.join(lakeDir, ".tmp", pid), { recursive: true });
      writeFileSync(path.join(lakeDir, ".tmp", pid, "left-over"), "");
    }
    await new LakeStore(lakeDir, "bucket").scratchPath();
    assert.deepEqual(filesUnder(path.join(lakeDir, ".tmp")), [`${process.ppid}/left-over`]);
  });
});
