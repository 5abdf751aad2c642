// Runs a local command (npm start, npm run serve, npm run query) in this process, as its npm script would with
// `args` after `--`, capturing what it writes to stdout and stderr.
import { Writable } from "node:stream";

export interface CommandOutput {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable;
  /** Everything written to stdout so far. */
  out(): string;
  /** Everything written to stderr so far. */
  err(): string;
}

export function commandOutput(options: { tty?: boolean } = {}): CommandOutput {
  const text = { out: "", err: "" };
  const sink = (key: keyof typeof text) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        text[key] += String(chunk);
        done();
      },
    });
  const stdout: Writable & { isTTY?: boolean } = sink("out");
  if (options.tty) stdout.isTTY = true;
  return { stdout, stderr: sink("err"), out: () => text.out, err: () => text.err };
}

/** Calls `command` with `process.argv` as `node <script> ...args`, restoring it afterwards. */
export async function withArgs<T>(args: readonly string[], command: () => Promise<T>): Promise<T> {
  const saved = process.argv;
  process.argv = [process.execPath, "command.ts", ...args];
  try {
    return await command();
  } finally {
    process.argv = saved;
  }
}
