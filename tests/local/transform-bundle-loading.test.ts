// The transform bundle as the local run builds and loads it: the deployable artifact, loaded with its own
// environment and a log sink in place of stdout, the handler it exports, and the local-only PII hash key.
import * as assert from "node:assert/strict";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { buildTransformBundle, LOCAL_PII_HASH_KEY, loadTransformHandler } from "../../local/transform-bundle";
import { tempDir } from "../support/temp-dir";

/** A bundle file with `code` as its body. */
function bundleOf(code: string): string {
  const file = path.join(tempDir("fake-bundle"), "index.js");
  writeFileSync(file, code);
  return file;
}

describe("local: the transform bundle", () => {
  it("uses a PII hash key that says it is local and not secret", () => {
    assert.equal(LOCAL_PII_HASH_KEY, "local-dev-key-not-secret");
  });

  it("builds the bundle where asked and returns its absolute path and size", () => {
    const dir = tempDir("bundle-build");
    const relative = path.relative(process.cwd(), path.join(dir, "out", "index.js"));
    const { file, bytes } = buildTransformBundle(relative);
    assert.equal(file, path.join(dir, "out", "index.js"));
    assert.equal(bytes, statSync(file).size);
    assert.ok(bytes > 1000, `${bytes}`);
    assert.match(readFileSync(file, "utf8"), /handler/);
  });

  it("loads the handler with the given environment as the whole of process.env", async () => {
    const file = bundleOf(
      "exports.handler = async () => { const seen = { ...process.env }; process.env.CHANGED = 'yes'; return seen; };",
    );
    const env = { PII_HASH_KEY: LOCAL_PII_HASH_KEY };
    const handler = loadTransformHandler(file, env, () => undefined);
    assert.deepEqual(await handler({}), env);
    assert.deepEqual(env, { PII_HASH_KEY: LOCAL_PII_HASH_KEY });
    assert.equal(process.env.CHANGED, undefined);
  });

  it("sends each non-empty line the bundle writes to stdout, stderr or its console to the log", async () => {
    const file = bundleOf(
      [
        "exports.handler = async (event) => {",
        "  process.stdout.write('one\\n\\ntwo\\n');",
        "  process.stderr.write('three\\n');",
        "  console.log('four');",
        "  console.error('five');",
        "  return event;",
        "};",
      ].join("\n"),
    );
    const lines: string[] = [];
    const handler = loadTransformHandler(file, {}, (line) => lines.push(line));
    assert.deepEqual(await handler({ records: [] }), { records: [] });
    assert.deepEqual(lines, ["one", "two", "three", "four", "five"]);
  });

  it("gives the bundle its own module, require, file name and directory", async () => {
    const file = bundleOf(
      [
        "const { join } = require('node:path');",
        "module.exports.handler = async () => ({",
        "  file: __filename, dir: __dirname, joined: join('a', 'b'), same: exports === module.exports,",
        "});",
      ].join("\n"),
    );
    const handler = loadTransformHandler(file, {}, () => undefined);
    assert.deepEqual(await handler({}), { file, dir: path.dirname(file), joined: "a/b", same: true });
  });

  it("refuses a bundle that exports no handler function, naming the file", () => {
    const file = bundleOf("exports.handler = 'not a function';");
    assert.throws(() => loadTransformHandler(file, {}, () => undefined), {
      message: `${file} does not export a handler function`,
    });
  });

  it("reports a syntax error at the bundle's file", () => {
    const file = bundleOf("exports.handler = (;");
    assert.throws(
      () => loadTransformHandler(file, {}, () => undefined),
      (err: Error) => err instanceof SyntaxError && String(err.stack).includes(file),
    );
  });
});
