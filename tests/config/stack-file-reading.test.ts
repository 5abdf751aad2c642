// How a stack file becomes config: its name, the namespaces of its keys, secrets, and the errors that name the
// file.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { ConfigError } from "../../config/settings";
import {
  MAX_STACK_FILE_BYTES,
  SECRET_PLACEHOLDER,
  loadStackFile,
  readStackFile,
  stackFilePath,
  stackNameOf,
} from "../../config/stack-file";
import { tempDir } from "../support/temp-dir";

describe("stack file reader: names, keys and values", () => {
  const dir = tempDir("stack-file-reading");
  const file = (name: string, text: string) => {
    const at = path.join(dir, name);
    fs.writeFileSync(at, text);
    return at;
  };

  describe("the stack name", () => {
    it("is what stands between 'Pulumi.' and '.yaml' or '.yml'", () => {
      assert.equal(stackNameOf("Pulumi.dev.yaml"), "dev");
      assert.equal(stackNameOf("/a/b/Pulumi.eu.prod.yml"), "eu.prod");
      assert.equal(stackNameOf("Pulumi.x.yaml"), "x");
    });

    it("is refused, naming the file, when the file is not named Pulumi.<stack>.yaml", () => {
      for (const name of [
        "xPulumi.dev.yaml",
        "Pulumi.dev.yaml.bak",
        "Pulumi..yaml",
        "Pulumi.dev.json",
        "Pulumi-dev.yaml",
      ]) {
        assert.throws(
          () => stackNameOf(name),
          new Error(`${name}: a stack file is named Pulumi.<stack>.yaml`),
        );
      }
    });
  });

  it("reads an empty file, or one without 'config', as no config", () => {
    for (const [name, text] of [
      ["Pulumi.empty.yaml", ""],
      ["Pulumi.other.yaml", "encryptionsalt: abc\n"],
      ["Pulumi.null.yaml", "config:\n"],
    ]) {
      assert.deepEqual(readStackFile(file(name, text)), { stack: name.split(".")[1], raw: {}, all: {} });
    }
  });

  it("refuses a 'config' that is not a map", () => {
    for (const [name, text] of [
      ["Pulumi.list.yaml", "config: [a, b]\n"],
      ["Pulumi.text.yaml", "config: text\n"],
      ["Pulumi.number.yaml", "config: 5\n"],
    ]) {
      const at = file(name, text);
      assert.throws(() => readStackFile(at), new Error(`${at}: 'config' must be a map of keys to values`));
    }
  });

  it("gives the project's keys as the engine passes them, and every key with its namespace", () => {
    const at = file(
      "Pulumi.keys.yaml",
      [
        "config:",
        "  aws:region: eu-west-1",
        "  other:protect: maybe",
        "  firehose-etl:protect: false",
        "  environment: dev",
        "  firehose-etl:tags: { team: data, size: 5 }",
        "  firehose-etl:hashLength: 16",
        "",
      ].join("\n"),
    );
    assert.deepEqual(readStackFile(at), {
      stack: "keys",
      raw: { protect: "false", environment: "dev", tags: { team: "data", size: 5 }, hashLength: "16" },
      all: {
        "aws:region": "eu-west-1",
        "other:protect": "maybe",
        "firehose-etl:protect": false,
        environment: "dev",
        "firehose-etl:tags": { team: "data", size: 5 },
        "firehose-etl:hashLength": 16,
      },
    });
  });

  it("replaces each encrypted value, however deep, and only those", () => {
    const at = file(
      "Pulumi.secrets.yaml",
      [
        "config:",
        "  firehose-etl:piiHashKey: { secure: AAAB }",
        "  firehose-etl:nested:",
        "    key: { secure: AAAC }",
        "    list: [{ secure: AAAD }, plain, null, 3]",
        "    both: { secure: AAAE, other: 1 }",
        "    unsecure: { insecure: AAAF }",
        "",
      ].join("\n"),
    );
    const nested = {
      key: SECRET_PLACEHOLDER,
      list: [SECRET_PLACEHOLDER, "plain", null, 3],
      both: { secure: "AAAE", other: 1 },
      unsecure: { insecure: "AAAF" },
    };
    assert.equal(SECRET_PLACEHOLDER, "[secret]");
    assert.deepEqual(readStackFile(at).raw, { piiHashKey: "[secret]", nested });
    assert.deepEqual(readStackFile(at).all, {
      "firehose-etl:piiHashKey": "[secret]",
      "firehose-etl:nested": nested,
    });
  });

  describe("file size", () => {
    it("reads a file of exactly the limit whole", function () {
      this.timeout(10_000);
      const text = `config:\n  environment: dev\n${"#".repeat(MAX_STACK_FILE_BYTES - 28)}\n`;
      assert.equal(text.length, MAX_STACK_FILE_BYTES);
      assert.deepEqual(readStackFile(file("Pulumi.limit.yaml", text)).raw, { environment: "dev" });
    });

    it("refuses a file one byte over the limit", function () {
      this.timeout(10_000);
      const at = file("Pulumi.over.yaml", `config: {}\n${"#".repeat(MAX_STACK_FILE_BYTES - 11)}\n`);
      assert.equal(fs.statSync(at).size, MAX_STACK_FILE_BYTES + 1);
      assert.throws(() => readStackFile(at), /is larger than 1048576 bytes/);
    });

    it("closes the file it read, and the one it refused", function () {
      this.timeout(10_000);
      if (!fs.existsSync("/proc/self/fd")) this.skip();
      const open = () => fs.readdirSync("/proc/self/fd").length;
      const before = open();
      readStackFile(stackFilePath("dev"));
      const big = file("Pulumi.big.yaml", "#".repeat(MAX_STACK_FILE_BYTES + 1));
      assert.throws(() => readStackFile(big), /is larger than/);
      assert.equal(open(), before);
    });

    it("reads multi-byte characters as UTF-8", () => {
      const at = file("Pulumi.utf8.yaml", "config:\n  firehose-etl:tags: { owner: Zoë ☃ }\n");
      assert.deepEqual(readStackFile(at).raw, { tags: { owner: "Zoë ☃" } });
    });
  });

  describe("what it refuses, with the file named", () => {
    it("text that is not YAML, with the parser's message", () => {
      const at = file("Pulumi.bad.yaml", "config:\n  a: [1, 2\n");
      assert.throws(
        () => readStackFile(at),
        (err: Error) => err.message.startsWith(`${at}: `) && /flow sequence/i.test(err.message),
      );
    });

    it("a duplicate key in a nested map, with its line", () => {
      const at = file("Pulumi.dup2.yaml", "config:\n  firehose-etl:tags:\n    a: 1\n    b: 2\n    a: 3\n");
      assert.throws(() => readStackFile(at), new Error(`${at}: duplicate key "a" (line 5)`));
    });

    it("a duplicate key on the last line, counting every line before it", () => {
      const at = file("Pulumi.dup3.yaml", "#\na: 1\n\na: 2");
      assert.throws(() => readStackFile(at), new Error(`${at}: duplicate key "a" (line 4)`));
    });

    it("a duplicate complex key, without a line", () => {
      const at = file("Pulumi.dup4.yaml", "config:\n  ? [a, b]\n  : 1\n  ? [a, b]\n  : 2\n");
      assert.throws(
        () => readStackFile(at),
        new Error(`${at}: duplicate key ${JSON.stringify('["a","b"]')}`),
      );
    });

    // Each special file in a directory of its own: a test run again in the same process must not find it made.
    it("a FIFO", function () {
      const at = path.join(tempDir("stack-file-fifo"), "Pulumi.fifo.yaml");
      if (spawnSync("mkfifo", [at]).status !== 0) this.skip();
      assert.throws(() => readStackFile(at), new Error(`${at}: is a FIFO, not a stack file`));
    });

    it("a socket", async () => {
      const at = path.join(tempDir("stack-file-socket"), "Pulumi.socket.yaml");
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(at, resolve));
      try {
        assert.throws(() => readStackFile(at), new Error(`${at}: is a socket, not a stack file`));
      } finally {
        server.close();
      }
    });

    it("a block device", function () {
      const device = ["/dev/loop0", "/dev/sda", "/dev/vda", "/dev/nvme0n1"].find((d) => {
        try {
          return fs.statSync(d).isBlockDevice();
        } catch {
          return false;
        }
      });
      if (!device) this.skip();
      const at = path.join(tempDir("stack-file-block"), "Pulumi.block.yaml");
      fs.symlinkSync(device, at);
      assert.throws(() => readStackFile(at), new Error(`${at}: is a device, not a stack file`));
    });
  });

  describe("loading settings", () => {
    const dev = fs.readFileSync(stackFilePath("dev"), "utf8");

    it("takes the region from aws:region, the project's namespace and the stack from the name", () => {
      const settings = loadStackFile(file("Pulumi.copy.yaml", dev.replace("eu-west-1", "us-east-2")));
      assert.equal(settings.region, "us-east-2");
      assert.equal(settings.project, "firehose-etl");
      assert.equal(settings.stack, "copy");
      assert.equal(loadStackFile(file("Pulumi.copy.yaml", dev), "other").project, "other");
    });

    it("requires a region given as text, naming the file", () => {
      for (const region of ["", "5"]) {
        const at = file(
          "Pulumi.noregion.yaml",
          dev.replace("aws:region: eu-west-1", region && `aws:region: ${region}`),
        );
        assert.throws(
          () => loadStackFile(at),
          (err: unknown) =>
            err instanceof ConfigError &&
            err.message.startsWith(`Invalid stack config in ${at}:\n`) &&
            err.problems.join("\n") === "aws:region: is required (pulumi config set aws:region <region>)",
        );
      }
    });
  });
});
