// What `npm start` and `npm run serve` both do before their own work: read the stack, refuse it when the policy
// check finds a mandatory violation, empty the bucket when asked, build the transform bundle, run the declared
// streams and start the endpoint. One place, so the two commands cannot drift apart.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { StackSettings } from "../config/settings";
import { settingsFrom, stackFileFrom } from "../config/stack-options";
import { positiveNumber } from "./cli-options";
import { declareStack } from "./declared-stack";
import { Endpoint, startEndpoint } from "./endpoint";
import { createLocalStack, localBucketName, LocalStack, LocalStackOptions } from "./local-stack";
import { passesPolicyCheck, PolicyCheckValues } from "./policy-gate";
import { buildTransformBundle } from "./transform-bundle";

export interface LocalRunValues extends PolicyCheckValues {
  readonly stack?: string;
  readonly "config-file"?: string;
  readonly "lake-dir": string;
  readonly "time-scale": string;
  readonly port: string;
}

export interface LocalRun {
  readonly settings: StackSettings;
  readonly stack: LocalStack;
  readonly endpoint: Endpoint;
  readonly bundle: { readonly file: string; readonly bytes: number };
}

/**
 * The running local stack, or undefined when the policy check refused it (the violations are printed to `out`).
 */
export async function openLocalRun(
  values: LocalRunValues,
  options: { readonly clean: boolean } & Partial<Pick<LocalStackOptions, "putQuotaMiBPerSecond">>,
  out: Pick<Console, "log" | "error"> = console,
): Promise<LocalRun | undefined> {
  const settings = settingsFrom(values);
  const timeScale = positiveNumber("time-scale", values["time-scale"]);
  const log = (line: string) => out.log(line);
  const warn = (line: string) => out.error(line);
  if (!(await passesPolicyCheck(stackFileFrom(values), settings, values, log, warn))) return undefined;
  const lakeDir = path.resolve(values["lake-dir"]);
  if (options.clean)
    await fs.rm(path.join(lakeDir, localBucketName(settings)), { recursive: true, force: true });
  const bundle = buildTransformBundle();
  const stack = createLocalStack(await declareStack(settings), {
    lakeDir,
    bundleFile: bundle.file,
    timeScale,
    putQuotaMiBPerSecond: options.putQuotaMiBPerSecond,
  });
  const endpoint = await startEndpoint(stack, { port: Number(values.port) });
  return { settings, stack, endpoint, bundle };
}

/** The streams the local run cannot run, one line each. */
export function skippedLines(stack: LocalStack): string[] {
  return stack.skipped.map(
    (s) => `  stream ${s.stream}: ${s.destination} destination, not simulated locally`,
  );
}
