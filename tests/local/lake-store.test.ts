import * as assert from "node:assert/strict";
import * as path from "node:path";
import { LakeStore } from "../../local/lake-store";

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
