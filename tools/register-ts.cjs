// Runs the command-line tools' TypeScript without ts-node: esbuild strips the types of each file as it is
// required. ts-node loads the TypeScript compiler (about 2 s) and installs source-map support, which maps every
// frame of the stack trace that Pulumi's SDK captures for each promise: together most of `npm run check`'s time.
// Each file's output is cached by a hash of its text (a call to esbuild costs about 4 ms a file, 0.5 s a run).
// Stack traces of these tools therefore show esbuild's output lines; the tests keep ts-node and source maps.
"use strict";
const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const path = require("node:path");

const CACHE_DIR = path.join(__dirname, "..", "node_modules", ".cache", "register-ts");
let esbuild;

function transform(source, filename) {
  const key = createHash("sha256").update(filename).update("\0").update(source).digest("hex");
  const cached = path.join(CACHE_DIR, `${key}.js`);
  try {
    return readFileSync(cached, "utf8");
  } catch {
    esbuild ??= require("esbuild");
    const { code } = esbuild.transformSync(source, {
      loader: "ts",
      format: "cjs",
      target: "node20",
      sourcefile: filename,
    });
    // Written aside and renamed, so a concurrent run never reads half a file.
    mkdirSync(CACHE_DIR, { recursive: true });
    const scratch = `${cached}.${process.pid}`;
    writeFileSync(scratch, code);
    renameSync(scratch, cached);
    return code;
  }
}

require.extensions[".ts"] = (module, filename) => {
  module._compile(transform(readFileSync(filename, "utf8"), filename), filename);
};
