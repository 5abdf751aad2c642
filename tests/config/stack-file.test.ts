import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { MAX_STACK_FILE_BYTES, readStackFile } from "../../config/stack-file";
import { tempDir } from "../support/temp-dir";

describe("stack file reader: what it refuses, with the file named", () => {
  const dir = tempDir("stack-file");
  const file = (name: string, text?: string) => {
    const at = path.join(dir, name);
    if (text !== undefined) fs.writeFileSync(at, text);
    return at;
  };

  it("a file over the size limit (1 MiB), before parsing it", () => {
    const at = file("Pulumi.large.yaml", `${"#".repeat(99)}\n`.repeat(MAX_STACK_FILE_BYTES / 100 + 1));
    assert.throws(
      () => readStackFile(at),
      new Error(`${at}: is larger than 1048576 bytes (1 MiB), the most a stack file may hold`),
    );
  });

  it("a directory", () => {
    const at = file("Pulumi.dir.yaml");
    fs.mkdirSync(at);
    assert.throws(() => readStackFile(at), new Error(`${at}: is a directory, not a stack file`));
  });

  it("a device (a link to /dev/zero), without reading it", () => {
    const at = file("Pulumi.zero.yaml");
    fs.symlinkSync("/dev/zero", at);
    assert.throws(() => readStackFile(at), new Error(`${at}: is a device, not a stack file`));
  });

  it("a FIFO, without waiting for a writer", function () {
    const at = file("Pulumi.fifo.yaml");
    if (spawnSync("mkfifo", [at]).status !== 0) this.skip();
    assert.throws(() => readStackFile(at), new Error(`${at}: is a FIFO, not a stack file`));
  });

  it("a missing file", () => {
    const at = file("Pulumi.missing.yaml");
    assert.throws(() => readStackFile(at), new Error(`${at}: cannot be read (ENOENT)`));
  });

  it("a duplicate key, with its line", () => {
    const at = file("Pulumi.dup.yaml", "config:\n  aws:region: eu-west-1\n  a: 1\n  aws:region: us-east-1\n");
    assert.throws(() => readStackFile(at), new Error(`${at}: duplicate key "aws:region" (line 4)`));
  });

  it("a map with 20,000 keys, in linear time (the yaml package's own duplicate check takes quadratic time)", function () {
    this.timeout(10_000);
    const keys = Array.from({ length: 20_000 }, (_, i) => `    k${i}: v${i}\n`).join("");
    const at = file("Pulumi.wide.yaml", `config:\n  firehose-etl:tags:\n${keys}`);
    const { raw } = readStackFile(at);
    assert.equal(Object.keys(raw.tags as object).length, 20_000);
  });
});
