// Runs the transform exactly as deployed: the esbuild bundle from lambda/bundle.ts, configured only through its
// environment variables. Each pipeline loads its own copy of the bundle with its own `process.env` (so two
// pipelines with different settings can run in one process) and its own log sink in place of CloudWatch.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Console } from "node:console";
import { Writable } from "node:stream";
import * as vm from "node:vm";
import { writeTransformBundle } from "../lambda/bundle";

/** The handler's contract: a Firehose transformation event in, a transformation result out. */
export type TransformHandler = (event: unknown) => Promise<unknown>;

/** The PII key local runs use when the environment gives none: local only, never a production secret. */
export const LOCAL_PII_HASH_KEY = "local-dev-key-not-secret";

/** Builds the deployable bundle (the same artifact `pulumi up` ships) and returns its path. */
export function buildTransformBundle(outfile?: string): { file: string; bytes: number } {
  const { outfile: file, bytes } = writeTransformBundle(outfile);
  return { file, bytes };
}

/**
 * Loads the bundle at `file` with `env` as its whole environment. Lines the function writes (its batch log
 * and metrics) go to `log` instead of stdout.
 */
export function loadTransformHandler(
  file: string,
  env: Readonly<Record<string, string>>,
  log: (line: string) => void,
): TransformHandler {
  const code = readFileSync(file, "utf8");
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line !== "") log(line);
      done();
    },
  });
  // The bundle sees a process whose env and stdout are the pipeline's own; everything else is the real one.
  const processView: NodeJS.Process = Object.create(process, {
    env: { value: { ...env } },
    stdout: { value: sink },
    stderr: { value: sink },
  });
  const wrapper = vm.compileFunction(
    code,
    ["exports", "require", "module", "__filename", "__dirname", "process", "console"],
    { filename: file },
  );
  const module = { exports: {} as Record<string, unknown> };
  wrapper(
    module.exports,
    createRequire(file),
    module,
    file,
    path.dirname(file),
    processView,
    new Console({ stdout: sink, stderr: sink }),
  );
  const handler = module.exports.handler;
  if (typeof handler !== "function") throw new Error(`${file} does not export a handler function`);
  return handler as TransformHandler;
}
