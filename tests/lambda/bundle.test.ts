import { FirehoseTransformationEvent, FirehoseTransformationResult } from "aws-lambda";
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { bundleTransform, writeTransformBundle } from "../../lambda/bundle";
import { createHandler } from "../../lambda/transform/handler";
import { eventOf, TEST_KEY } from "./helpers";

type Handler = (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult>;

const ENV = {
  PII_HASH_KEY: TEST_KEY,
  PII_FIELDS: "email,user.email",
  PARTITION_FIELDS: "country",
  PARTITION_TIME: "day",
  DROP_RULES: '[{"field":"action","in":["healthcheck","ping"]}]',
  FIELD_DEFAULTS: '{"channel":"web"}',
};

describe("transform bundle", () => {
  const directory = mkdtempSync(path.join(tmpdir(), "transform-bundle-"));
  after(() => rmSync(directory, { recursive: true, force: true }));

  it("is one minified CommonJS file that leaves the runtime's AWS SDK external", () => {
    const { code, bytes } = bundleTransform();
    assert.equal(bytes, Buffer.byteLength(code, "utf8"));
    assert.ok(code.includes('require("@aws-sdk/client-secrets-manager")'));
    assert.ok(!code.includes("GetSecretValueCommand extends"), "the SDK itself is not bundled");
    // Stryker's instrumented source (npm run mutation) carries every mutant, so its size says nothing there.
    if (!("__stryker__" in globalThis)) assert.ok(bytes < 50_000, `bundle is ${bytes} bytes`);
    assert.ok(!code.includes("lambda/transform/"), "minified: no source path comments");
  });

  it("is deterministic, so the deployed asset only changes with the code", () => {
    assert.equal(bundleTransform().code, bundleTransform().code);
  });

  it("writes the bundle and reports its path and size", () => {
    const outfile = path.join(directory, "nested", "index.js");
    const written = writeTransformBundle(outfile);
    assert.deepEqual(written, { outfile, bytes: statSync(outfile).size });
    assert.equal(readFileSync(outfile, "utf8"), bundleTransform().code);
  });

  it("exports a handler that behaves exactly like the source", async () => {
    const outfile = path.join(directory, "handler", "index.js");
    writeTransformBundle(outfile);
    const saved = { ...process.env };
    const write = process.stdout.write;
    Object.assign(process.env, ENV);
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the built artifact is the point
      const bundled = (require(outfile) as { handler: Handler }).handler;
      const source = createHandler({ env: ENV, writeLine: () => undefined });
      const event = eventOf([
        {
          email: "jane@example.com",
          user: { email: "j@example.org" },
          country: "de",
          ts: "2025-11-25T10:00:00Z",
        },
        { action: "ping" },
        "not an object",
        { country: "fr/be", timestamp: 1764064800 },
      ]);
      const fromBundle = await bundled(event);
      assert.deepEqual(fromBundle, await source(event));
      assert.deepEqual(
        fromBundle.records.map((entry) => entry.result),
        ["Ok", "Dropped", "ProcessingFailed", "Ok"],
      );
    } finally {
      process.stdout.write = write;
      for (const name of Object.keys(ENV)) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });
});
