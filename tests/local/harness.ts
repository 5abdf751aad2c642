// Shared by the local-run tests: the real transform bundle (built once per test process), a local stack with
// its endpoint on an ephemeral loopback port, an AWS SDK client for it, and readers for what it wrote.
import { FirehoseClient } from "@aws-sdk/client-firehose";
import { ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { StackSettings } from "../../config/settings";
import { declareStack } from "../../local/declared-stack";
import { Endpoint, startEndpoint } from "../../local/endpoint";
import { createLocalStack, LocalStack, LocalStackOptions } from "../../local/local-stack";
import { localFirehoseClient, stackProducer } from "../../local/producer";
import { buildTransformBundle } from "../../local/transform-bundle";
import { tempDir } from "../support/temp-dir";

let bundleFile: string | undefined;

/** The deployable bundle, built by lambda/bundle.ts into a temporary directory (once). */
export function testBundle(): string {
  bundleFile ??= buildTransformBundle(path.join(tempDir("local-bundle"), "index.js")).file;
  return bundleFile;
}

export interface Running {
  readonly stack: LocalStack;
  readonly endpoint: Endpoint;
  readonly client: FirehoseClient;
  /** Puts records as the stack's producers do: to its Kinesis source stream, or to its first delivery stream. */
  put(records: readonly Buffer[]): Promise<number>;
  /** Closes the endpoint and the client, then flushes the stack. */
  stop(): Promise<void>;
}

export async function runStack(
  settings: StackSettings,
  options: Partial<LocalStackOptions> = {},
): Promise<Running> {
  const stack = createLocalStack(await declareStack(settings), {
    lakeDir: tempDir("local-lake"),
    bundleFile: testBundle(),
    ...options,
  });
  const endpoint = await startEndpoint(stack, { port: 0 });
  const client = localFirehoseClient(endpoint.url, settings.region);
  const producer = stackProducer(stack, endpoint.url);
  let stopped = false;
  return {
    stack,
    endpoint,
    client,
    put: (records) => producer.put(records),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      client.destroy();
      producer.close();
      await endpoint.close();
      await stack.close();
    },
  };
}

/** Every file under `dir`, relative to it, with `/` separators. */
export function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else found.push(path.relative(dir, full).split(path.sep).join("/"));
    }
  };
  walk(dir);
  return found.sort();
}

/** The lines of a (possibly GZIP) JSON Lines object, without the empty string after the last newline. */
export function linesOf(file: string): string[] {
  const raw = readFileSync(file);
  const text = (file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** UUIDs as Firehose puts them at the end of object names. */
export const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

export interface Served {
  readonly child: ChildProcess;
  /** The endpoint's URL, once serve listens and handles signals (its first progress line). */
  readonly url: Promise<string>;
  readonly exited: Promise<number | null>;
  output(): string;
}

/** `npm run serve` of the dev stack on `lakeDir`, as a child process. */
export function serve(lakeDir: string): Served {
  const child = spawn(
    process.execPath,
    [
      "-r",
      require.resolve("../../tools/register-ts.cjs"),
      "local/serve.ts",
      "--port",
      "0",
      "--lake-dir",
      lakeDir,
    ],
    { cwd: path.join(__dirname, "..", ".."), stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const url = new Promise<string>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match && /records in \d+/.test(output)) resolve(match[1]);
    };
    child.stdout?.on("data", seen);
    child.stderr?.on("data", seen);
    child.on("exit", () => reject(new Error(`serve exited before listening:\n${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, url, exited, output: () => output };
}
