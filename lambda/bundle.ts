import { buildSync } from "esbuild";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";

export const TRANSFORM_ENTRY_POINT = path.join(__dirname, "transform", "index.ts");
/** The replay state machine's worker (`replay.stateMachine`). */
export const REPLAY_WORKER_ENTRY_POINT = path.join(__dirname, "..", "replay", "worker.ts");
export const DEFAULT_TRANSFORM_OUTFILE = "dist/lambda/transform/index.js";

/**
 * Bundles a Lambda handler into one CommonJS file for the Node.js 20/22 Lambda runtime. `@aws-sdk/*` stays
 * external because the runtime ships AWS SDK v3. The output is deterministic, so the Pulumi asset only changes
 * when the code does.
 */
export function bundleLambda(entryPoint: string): { code: string; bytes: number } {
  const result = buildSync({
    entryPoints: [entryPoint],
    bundle: true,
    write: false,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    legalComments: "none",
    external: ["@aws-sdk/*"],
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  return { code: output.text, bytes: output.contents.byteLength };
}

export function bundleTransform(): { code: string; bytes: number } {
  return bundleLambda(TRANSFORM_ENTRY_POINT);
}

/** Writes the bundle (relative paths resolve against the working directory) and returns its path and size. */
export function writeTransformBundle(outfile: string = DEFAULT_TRANSFORM_OUTFILE): {
  outfile: string;
  bytes: number;
} {
  const { code, bytes } = bundleTransform();
  const resolved = path.resolve(outfile);
  mkdirSync(path.dirname(resolved), { recursive: true });
  writeFileSync(resolved, code);
  return { outfile: resolved, bytes };
}
